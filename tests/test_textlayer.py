"""textlayer.py and the check build runs with it: every word of every profile field a template
printed must be in the PDF's text, or the build fails naming the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from texcv import textlayer
from texcv.build import Settings, build
from texcv.errors import TexError

PROFILE = """\
name: Ada Lovelace
headline: Analyst of engines
sections:
  - title: Notes
    entries:
      - {label: Note, text: First program}
"""


@pytest.mark.parametrize(
    "printed, extracted",
    [
        ("office", "oﬃce"),  # a ligature the font set as one glyph
        ("Hyphenation works", "Hyphen-\nation works"),  # broken at a line end
        ("Gödel, Erdős", "Go\u0308del, Erdo˝s"),  # accents built from two glyphs
        ("«C'est ça»", "« C’est ça »"),  # punctuation and spacing are not words
        ("5 * 3 = 15", "5 ∗ 3 = 15"),
        ("中文简历", "中文\n简历"),  # a line break inside a run of CJK
        ("Two columns", "Two\n\n2019\n\ncolumns"),  # the date column read between two lines of text
        ("Hyphenation across pages", "Hyphen-\n\n1/25\n\fation across pages"),  # the page number between the halves
        ("Hyphenation across pages", "Hyphen1/25\n\fation across pages"),  # pdftotext joined the page number on
        # a long word broken over lines beside a label that wraps too (found by test_hostile_profiles)
        (
            "A" * 60 + "https://example.org/" + "0" * 60,
            "label " + "A" * 40 + "\nlabel " + "A" * 20 + "https://example.org/" + "0" * 30 + "\nlabel " + "0" * 30,
        ),
    ],
)
def test_typesetting_and_extraction_differences_are_not_losses(printed: str, extracted: str) -> None:
    assert textlayer.check([printed], [extracted]).missing == {}


def test_a_lost_word_is_named_with_its_text() -> None:
    result = textlayer.check(["Analyst of engines", "First program"], ["Analyst of\n"])
    assert result.missing == {"Analyst of engines": ["engines"], "First program": ["first", "program"]}
    assert result.words == 5


def test_a_long_word_cut_short_is_lost() -> None:
    word = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # a hash: no piece repeats
    assert textlayer.check([word], [word[:45]]).missing == {word: [word]}


def test_a_lost_cjk_character_is_found() -> None:
    assert textlayer.check(["吴侃"], ["吴"]).missing == {"吴侃": ["侃"]}


def _hiding_template(folder: Path) -> Path:
    """A moderncv header override that typesets the headline into a box never shipped out: the
    PDF is whole, but the headline is not in it."""
    family = folder / "moderncv"
    family.mkdir(parents=True)
    (family / "header.tex.j2").write_text(
        "((* set headline = cv.headline *))((* set cv = dict(cv, headline=none) *))"
        '((* include "default/moderncv/header.tex.j2" *))\n'
        "\\AtBeginDocument{\\setbox0\\hbox{((( headline )))}}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.tex
def test_a_field_missing_from_the_pdf_fails_the_build_with_its_location(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    good = build(profile, tmp_path / "out")[0]
    assert good.words_checked >= 8 and good.fields_with_lost_text == 0
    previous = good.pdf.read_bytes()
    hiding = Settings(template_dirs=(_hiding_template(tmp_path / "tpl"),))
    with pytest.raises(TexError) as failure:
        build(profile, tmp_path / "out", hiding)
    assert str(failure.value).startswith(
        f"{profile}:2:1: headline: 3 word(s) missing from the PDF's text: 'analyst', 'of', 'engines'"
    )
    assert "--allow-missing-text" in str(failure.value)
    assert good.pdf.read_bytes() == previous

    allowed = build(profile, tmp_path / "out", Settings(template_dirs=hiding.template_dirs, allow_missing_text=True))[0]
    assert allowed.fields_with_lost_text == 1 and any("headline: 3 word(s) missing" in w for w in allowed.warnings)
    with pytest.raises(TexError):  # a PDF that lost text is never served from the cache
        build(profile, tmp_path / "out", hiding)


@pytest.mark.tex
def test_the_build_line_says_how_much_was_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from texcv.cli import main

    profile = tmp_path / "cv.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    assert main(["build", str(profile), "-o", str(tmp_path / "out")]) == 0
    assert re.search(
        r"\(pdflatex, 1 page\(s\), 1 pass, [\d.]+ s; text layer: \d+ words, all present\)", capsys.readouterr().err
    )
