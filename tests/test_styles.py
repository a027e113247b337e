"""Every moderncv style × colour, and every style under each engine, compiles on real TeX."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import PROFILES, STYLED_PROFILE, pdf_lines, pdf_text, words_on_pages

from texcv.build import Settings, build
from texcv.templates import families, search_path

# The styles and colour names moderncv's family.yaml declares.
_MODERNCV = next(f for f in families(search_path(None)) if f.name == "moderncv").options
STYLES, COLORS = _MODERNCV["style"].values, _MODERNCV["color"].values

CJK_STYLED_PROFILE = """\
languages: [zh, en]
name: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}}
headline: {zh: 大模型训练, en: Large model training}
sections:
  - title: {zh: 教育经历, en: Education}
    entries:
      - {title: {zh: 中山大学 计算机科学与技术, en: Sun Yat-sen University}, start: 2018-09, end: present,
        note: {zh: "直博生 “联合培养”", en: "Ph.D. — “joint” †"}}
"""


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("styles") / "zoe.yaml"
    path.write_text(STYLED_PROFILE, encoding="utf-8")
    return path


def _build(profile: Path, out: Path, **design: str) -> str:
    (built,) = build(profile, out, Settings(design=design))
    assert built.pdf.read_bytes().startswith(b"%PDF")
    assert not [w for w in built.warnings if "missing" in w], built.warnings
    return pdf_text(built.pdf)


@pytest.mark.tex
@pytest.mark.parametrize("color", COLORS)
@pytest.mark.parametrize("style", STYLES)
def test_style_and_colour_compile_with_pdflatex(profile: Path, tmp_path: Path, style: str, color: str) -> None:
    text = _build(profile, tmp_path, style=style, color=color, engine="pdflatex")
    assert "Çelik-Nørgaard" in text and "Shipped 100% of it" in text


@pytest.mark.tex("xelatex", "lualatex")
@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
@pytest.mark.parametrize("style", STYLES)
def test_every_style_compiles_with_unicode_engines(profile: Path, tmp_path: Path, style: str, engine: str) -> None:
    text = _build(profile, tmp_path, style=style, engine=engine)
    assert "Çelik-Nørgaard" in text and "C#, C++, snake_case" in text


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("font", ["sans", "roman"])
def test_cjk_profile_builds_both_languages(tmp_path: Path, font: str) -> None:
    path = tmp_path / "kan.yaml"
    path.write_text(CJK_STYLED_PROFILE, encoding="utf-8")
    zh, en = build(path, tmp_path / "out")
    assert (zh.pdf.name, en.pdf.name) == ("kan.zh.pdf", "kan.en.pdf")
    assert zh.engine == "xelatex" and en.engine == "pdflatex"
    zh_text = pdf_text(zh.pdf)
    assert "吴侃" in zh_text and "直博生 “联合培养”" in zh_text.replace("“ ", "“").replace(" ”", "”")
    assert "Ph.D. — “joint” †" in pdf_text(en.pdf)
    assert zh.warnings == []


CONTACTS = """\
name: Ada Lovelace
contact:
  email: [ada@example.org, a.lovelace@analytical-engine.example.edu, ada.byron@royal-society.example.org]
  phone: ["+44 20 7946 0958", "+44 20 7946 0959"]
  homepage: https://example.org/~ada/analytical-engine/notes
  address: [12 St James's Square, London SW1Y 4JH, United Kingdom]
  links: [{label: Notes, url: "https://example.org/notes"}, {label: Letters, url: "https://example.org/letters"}]
social: {github: ada-lovelace, linkedin: ada-lovelace, orcid: 0000-0002-1825-0097, mastodon: "@ada@example.social"}
design: {style: casual, margins: {top: 1.5cm, bottom: 1.5cm, left: 2cm, right: 2cm}}
sections:
  - title: Notes
    entries: [{title: Note G, date: 1843, description: "The first published algorithm. " }]
"""


@pytest.mark.tex
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_casual_makes_room_for_a_footer_of_many_contacts(tmp_path: Path, engine: str) -> None:
    """casual prints the contact details in the footer: however many lines they take, the page keeps
    the bottom margin below the last of them, and the text above the first (every word reaches the PDF)."""
    profile = tmp_path / "ada.yaml"
    filler = "The first published algorithm. " * 400  # a full page, so the text reaches the footer
    profile.write_text(CONTACTS.replace("The first published algorithm. ", filler), encoding="utf-8")
    (built,) = build(profile, tmp_path / "out", Settings(design={"engine": engine}))
    assert not built.warnings, built.warnings
    width, height, words = words_on_pages(built.pdf)[0]
    footer = [w for w in words if w[0] in ("Square", "ada@example.org", "ada-lovelace", "Letters")]
    assert len(footer) >= 4, [w[0] for w in words][-40:]
    footer_top, footer_bottom = min(w[2] for w in footer), max(w[4] for w in footer)
    text_bottom = max(w[4] for w in words if w[0] == "algorithm.")
    assert height - footer_bottom >= 1.5 / 2.54 * 72 - 4, "the bottom margin stays below the footer (a descender in it)"
    assert footer_top - text_bottom > 10, "the text ends above the footer"


@pytest.mark.tex
def test_oldstyle_sets_the_text_right_of_its_details_column(tmp_path: Path) -> None:
    """oldstyle puts the contact details in a column on the left and the text beside it: a summary long
    enough to be set line by line starts right of the column, not over it; a further email address
    stands in the column like the first, wrapped inside it."""
    profile = tmp_path / "ada.yaml"
    profile.write_text(
        CONTACTS.replace("style: casual", "style: oldstyle") + "summary: " + "Analyst of engines. " * 60 + "\n",
        encoding="utf-8",
    )
    (built,) = build(profile, tmp_path / "out", Settings())
    assert not built.warnings, built.warnings
    words = words_on_pages(built.pdf)[0][2]
    column = max(x_max for word, _, _, x_max, _ in words if word in ("Square", "ada@example.org", "ada-lovelace"))
    summary = [x_min for word, x_min, _, _, _ in words if word == "Analyst"]
    assert len(summary) == 60 and min(summary) > column, (min(summary), column)


LONG_NAME = "{given: Ada María, family: Ferreira-Łukasik}"


@pytest.mark.tex
@pytest.mark.parametrize(
    "name, headline, lines",
    [
        ("Ada Lovelace", "Analyst", ["Ada Lovelace | Analyst"]),
        (LONG_NAME, "Analyst", ["Ada María Ferreira-Łukasik", "Analyst"]),  # the name takes most of the line
        (
            LONG_NAME,
            "Research software engineer for compilers",
            ["Ada María Ferreira-Łukasik", "Research software engineer for compilers"],
        ),
    ],
)
def test_banking_keeps_the_name_whole_and_moves_a_long_headline_below(
    tmp_path: Path, name: str, headline: str, lines: list[str]
) -> None:
    """banking sets "Name | Headline" in one paragraph: a headline that does not fit beside the name goes
    below it, without the bar, and neither the name nor the headline is split where it fits a line."""
    profile = tmp_path / "ada.yaml"
    profile.write_text(
        f"name: {name}\nheadline: {headline}\ndesign: {{style: banking}}\n"
        "sections: [{title: Notes, entries: [{title: Note G, date: 1843}]}]\n",
        encoding="utf-8",
    )
    (built,) = build(profile, tmp_path / "out", Settings())
    assert not built.warnings, built.warnings
    text = [line for line in pdf_lines(built.pdf) if line]
    assert text[: len(lines)] == lines, text[:4]


@pytest.mark.tex
def test_oldstyle_sets_a_long_headline_ragged_and_clear_of_the_photo(tmp_path: Path) -> None:
    """oldstyle sets the name and headline in one box beside the photo: a headline that wraps is ragged,
    not hyphenated, and keeps 1em from the photo's frame (it ran into it)."""
    shutil.copyfile(PROFILES / "example-photo.png", tmp_path / "photo.png")
    profile = tmp_path / "ada.yaml"
    profile.write_text(
        f"name: {LONG_NAME}\nheadline: Research Software Engineer — compilers & numerical methods\n"
        "photo: photo.png\ndesign: {style: oldstyle}\n"
        "sections: [{title: Notes, entries: [{title: Note G, date: 1843}]}]\n",
        encoding="utf-8",
    )
    (built,) = build(profile, tmp_path / "out", Settings())
    assert not built.warnings, built.warnings
    assert "methods" in pdf_lines(built.pdf), "the headline's last word is not hyphenated"
    width, _, words = words_on_pages(built.pdf)[0]
    photo_left = width - 2 / 2.54 * 72 - (64 + 2 * 3 + 0.8)  # the 2cm margin, the photo and its frame
    headline = [x_max for word, _, _, x_max, _ in words if word in ("Research", "compilers", "numerical", "methods")]
    assert headline and max(headline) < photo_left - 10, (max(headline), photo_left)
