"""Social networks (social.py, one table): profile addresses built from usernames and read back,
Mastodon's @user@instance, and every network's symbol and link in both families' PDFs; websites of
the profile's own (contact.links) beside them, each with the Font Awesome icon it names."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import LOCATED, cli, pdf_text, pdf_uris

from texcv.social import NETWORKS, icon_names

ACCOUNTS = {
    "mastodon": ("@ada@mathstodon.xyz", "mathstodon.xyz/@ada"),
    "x": ("ada_l", "x.com/ada_l"),
    "bluesky": ("ada.bsky.social", "bsky.app/profile/ada.bsky.social"),
    "instagram": ("ada.codes", "www.instagram.com/ada.codes"),
    "youtube": ("AdaTalks", "www.youtube.com/@AdaTalks"),
    "stackoverflow": ("12345/ada", "stackoverflow.com/users/12345/ada"),
    "orcid": ("0000-0002-1825-0097", "orcid.org/0000-0002-1825-0097"),
}


@pytest.mark.parametrize("network, username, address", [(n, u, a) for n, (u, a) in ACCOUNTS.items()])
def test_an_address_is_built_from_a_username_and_read_back(network: str, username: str, address: str) -> None:
    kind = NETWORKS[network]
    assert kind.address(username) == address
    assert kind.username(address) == username.split("/")[0] if network == "stackoverflow" else username
    assert kind.username("www." + address.removeprefix("www.") + "/?tab=1") == username.split("/")[0]


def test_an_address_of_another_network_is_not_read_as_a_username() -> None:
    assert NETWORKS["github"].username("gitlab.com/ada") is None
    assert NETWORKS["mastodon"].username("x.com/ada") is None
    assert NETWORKS["skype"].username("skype.com/ada") is None


def test_every_network_has_a_symbol_in_moderncv(tmp_path: Path) -> None:
    """moderncv defines a symbol for the networks it knows; social.py gives an icon to the others."""
    found = subprocess.run(["kpsewhich", "moderncv.cls"], capture_output=True, text=True)
    if not found.stdout.strip():
        pytest.skip("needs moderncv")  # never when CI=true: conftest turns a TeX skip into a failure
    cls = Path(found.stdout.strip()).read_text(encoding="utf-8")
    assert [n for n, kind in NETWORKS.items() if not kind.icon and f"\\{n}socialsymbol" not in cls] == []
    assert [n for n, kind in NETWORKS.items() if kind.icon and f"\\{n}socialsymbol" in cls] == []


def test_a_mastodon_account_must_name_its_instance(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\nsocial:\n  mastodon: ada\n", encoding="utf-8")
    status, _, err = cli(capsys, "validate", profile)
    assert status == 1
    assert LOCATED.search(err) and "cv.yaml:3:3: social.mastodon: 'ada' is not @user@instance" in err


@pytest.mark.tex
@pytest.mark.parametrize("family", ["moderncv", "ats"])
def test_each_network_links_to_its_page_and_reads_as_its_username(tmp_path: Path, family: str) -> None:
    from texcv.build import Settings, build

    profile = tmp_path / "social.yaml"
    accounts = "".join(f"  {network}: '{username}'\n" for network, (username, _) in ACCOUNTS.items())
    links = "contact:\n  links:\n    - {label: Blog, url: 'http://ada.example.org/blog'}\n"
    profile.write_text(f"name: Ada Lovelace\nsocial:\n{accounts}{links}sections: []\n", encoding="utf-8")
    (built,) = build(profile, tmp_path / "out", Settings(design={"template": family}))
    expected = {f"https://{address}" for _, address in ACCOUNTS.values()} | {"http://ada.example.org/blog"}
    assert expected <= pdf_uris(built.pdf)  # the scheme written is kept: http stays http
    text = pdf_text(built.pdf)
    shown = [address for _, address in ACCOUNTS.values()] if family == "ats" else [u for u, _ in ACCOUNTS.values()]
    shown.append("Blog: http://ada.example.org/blog" if family == "ats" else "Blog")
    assert all(item in text for item in shown), text
    assert "X ada_l" not in text  # the X symbol is a picture: no letter in the text layer


def test_links_and_unknown_networks_survive_a_json_resume_round_trip(tmp_path: Path, capsys) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        "name: Ada\ncontact:\n  links: [{label: Blog, url: 'http://ada.example.org'}]\n"
        "social: {mastodon: '@ada@mathstodon.xyz'}\n",
        encoding="utf-8",
    )
    assert cli(capsys, "export", profile, "--format", "jsonresume", "-o", tmp_path / "cv.json")[0] == 0
    assert cli(capsys, "import", tmp_path / "cv.json", "-o", tmp_path / "back.yaml")[0] == 0
    back = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    assert "label: Blog" in back and "url: http://ada.example.org" in back and "mastodon: '@ada@mathstodon.xyz'" in back


@pytest.mark.tex
def test_the_icon_table_is_the_installed_fontawesome5s() -> None:
    """src/texcv/data/fontawesome5-icons.txt was read from fontawesome5's mapping; it must stay true."""
    found = subprocess.run(["kpsewhich", "fontawesome5-mapping.def"], capture_output=True, text=True)
    mapping = Path(found.stdout.strip()).read_text(encoding="utf-8")
    installed = set(re.findall(r"^\\__fontawesome_def_icon:nnnnn\{[^}]*\}\{([^}]+)\}", mapping, re.MULTILINE))
    assert len(installed) > 1000 and icon_names() == installed


LINKS = """\
name: Ada Lovelace
contact:
  links:
    - {label: Lab notes, url: "https://lab.example.org/ada", icon: flask}
    - {label: Code, url: "https://gitlab.example.org/ada", icon: %s}
    - {label: Plain, url: "https://plain.example.org"}
sections: []
"""


def test_a_link_icon_is_a_font_awesome_name(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(LINKS % "gitlab", encoding="utf-8")
    assert cli(capsys, "validate", profile)[0] == 0
    profile.write_text(LINKS % "gitlb", encoding="utf-8")
    status, _, err = cli(capsys, "validate", profile)
    assert status == 1 and LOCATED.search(err)
    assert "cv.yaml:5:60: contact.links[1].icon: 'gitlb' is not a Font Awesome 5 icon" in err
    assert err.rstrip().endswith("did you mean 'gitlab'?")


@pytest.mark.parametrize("icons", [True, False])
def test_each_link_has_the_icon_it_names_in_the_header(tmp_path: Path, icons: bool) -> None:
    from texcv.build import Settings, documents

    profile = tmp_path / "cv.yaml"
    profile.write_text(LINKS % "gitlab", encoding="utf-8")
    (doc,) = documents(profile, Settings(design={"icons": icons}))
    keys = re.findall(r"\\collectionadd\[([^]]+)\]\{socials\}\{\\href\{[^}]+\}\{([^}]+)\}\}", doc.tex)
    assert keys == [("link-flask", "Lab notes"), ("link-gitlab", "Code"), ("link-link", "Plain")]
    symbols = re.findall(r"\\@namedef\{(link-[a-z-]+socialsymbol)\}\{\{\\small\\faIcon\{([a-z-]+)\}\}~\}", doc.tex)
    expected = [("link-flasksocialsymbol", "flask"), ("link-gitlabsocialsymbol", "gitlab")]
    assert symbols == ([*expected, ("link-linksocialsymbol", "link")] if icons else [])


@pytest.mark.tex
@pytest.mark.parametrize("style, icons", [("classic", True), ("oldstyle", True), ("classic", False)])
def test_link_icons_are_drawn_and_their_labels_read(tmp_path: Path, style: str, icons: bool) -> None:
    """flask is in Font Awesome's solid font, gitlab in its brands font: each link drew its own icon
    (nothing else in this header is an icon). oldstyle under pdflatex loads no fontawesome5 of its own."""
    from texcv.build import Settings, build

    profile = tmp_path / "cv.yaml"
    profile.write_text(LINKS % "gitlab", encoding="utf-8")
    (built,) = build(profile, tmp_path / "out", Settings(design={"style": style, "icons": icons}))
    assert {"https://lab.example.org/ada", "https://gitlab.example.org/ada"} <= pdf_uris(built.pdf)
    assert all(label in pdf_text(built.pdf) for label in ("Lab notes", "Code", "Plain"))
    fonts = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    drawn = set(re.findall(r"\+(FontAwesome5[\w-]+)", fonts))
    assert drawn == ({"FontAwesome5Free-Solid", "FontAwesome5Brands-Regular"} if icons else set())


def test_a_link_icon_named_like_its_network_survives_json_resume(tmp_path: Path, capsys) -> None:
    """JSON Resume has no icons (its themes choose one by the network's name): import names the icon
    so, and export says which other icons it leaves out."""
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        "name: Ada\ncontact:\n  links:\n    - {label: Blog, url: 'https://ada.example.org', icon: blog}\n"
        "    - {label: Lab notes, url: 'https://lab.example.org', icon: flask}\n",
        encoding="utf-8",
    )
    status, _, err = cli(capsys, "export", profile, "--format", "jsonresume", "-o", tmp_path / "cv.json")
    assert status == 0 and "contact.links[1].icon: JSON Resume has no icons" in err and "links[0]" not in err
    assert cli(capsys, "import", tmp_path / "cv.json", "-o", tmp_path / "back.yaml")[0] == 0
    links = yaml.safe_load((tmp_path / "back.yaml").read_text(encoding="utf-8"))["contact"]["links"]
    assert links == [
        {"label": "Blog", "url": "https://ada.example.org", "icon": "blog"},
        {"label": "Lab notes", "url": "https://lab.example.org"},
    ]


def test_a_lost_label_is_not_blamed_on_an_icon_of_the_same_name() -> None:
    """A word missing from the PDF is looked for in the fields that print text: an icon prints none."""
    from texcv import fields, loader

    doc = loader.parse("name: Ada\ncontact:\n  links: [{label: Blog, url: 'https://a.org', icon: blog}]\n", "cv.yaml")
    found, _ = fields.holders(["blog"], doc, "en", str.casefold, fields.NOT_TEXT)
    assert list(found) == [("contact", "links", 0, "label")]
