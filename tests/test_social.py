"""Social networks (social.py, one table): profile addresses built from usernames and read back,
Mastodon's @user@instance, and every network's symbol and link in both families' PDFs; websites of
the profile's own (contact.links) beside them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import LOCATED, cli, pdf_text, pdf_uris

from texcv.social import NETWORKS

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
