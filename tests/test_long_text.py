"""Text that is long must typeset, not vanish (issue 11): a summary of 5,000 characters, a 7,000-character
description and text entry, a 15 KB bullet and a publication with 3,000 authors run over as many pages
as they need, in every family and engine, with every word in the PDF. A long bare address breaks inside
the margin; a long homepage in the header wraps beside the name instead of running into it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import pdf_text, words_on_pages

from texcv.build import Settings, build

CONSONANTS, VOWELS = "bcdfghjklmnprstvz", "aeiou"


def words(tag: str, count: int) -> list[str]:
    """`count` different words, each `tag` and three syllables: checkable one by one in the PDF."""
    syllables = [c + v for v in VOWELS for c in CONSONANTS]
    n = len(syllables)
    return [tag + syllables[i % n] + syllables[i // n % n] + syllables[i // n // n % n] for i in range(count)]


def text(tag: str, chars: int) -> str:
    """Words of `tag` until the text is `chars` characters long."""
    return " ".join(words(tag, chars // 9 + 1))


SUMMARY, DESCRIPTION, BULLET, NOTE = text("sm", 5200), text("de", 7000), text("bu", 15000), text("tx", 7000)
AUTHORS = [f"Au{w} Zo{w}" for w in words("", 3000)]
URL_TAIL = "q" * 300
HOMEPAGE = "https://example.org/" + "home" * 30
LONG_FIELDS = {
    "summary": SUMMARY,
    "description": DESCRIPTION,
    "bullet": BULLET,
    "text": NOTE,
    "authors": ", ".join(AUTHORS),
}
# A page holds fewer characters than this (measured: about 3,500 in moderncv, 5,000 in ats at 11pt).
MOST_CHARACTERS_PER_PAGE = 6500
# The most a page may end short of the text's foot: the room kept by \needspace{6\baselineskip}
# before a heading (moderncv), and a little (points).
LEFT_FOR_A_HEADING = 120


def profile(headline: str) -> dict:
    return {
        "name": "Lorem Longtext",
        "headline": headline,
        "contact": {"email": "lorem@example.org", "homepage": HOMEPAGE},
        "summary": SUMMARY,
        "sections": [
            {
                "title": "Experience",
                "entries": [
                    {
                        "title": "Engineer",
                        "organization": "Org",
                        "start": "2020-01",
                        "end": "present",
                        "description": DESCRIPTION,
                        "bullets": [BULLET, f"See https://example.org/{URL_TAIL} for details."],
                    }
                ],
            },
            {
                "title": "Publications",
                "entries": [{"title": "A Big Paper", "date": 2024, "venue": "Nature", "authors": AUTHORS}],
            },
            {"title": "Notes", "entries": [{"text": NOTE}, "A last short bullet."]},
        ],
    }


def reading_text(pdf: Path) -> str:
    """The PDF's text without page numbers ("3/25"), a word hyphenated at a page's end joined again:
    pdftotext keeps the hyphen or drops it, leaving the page number right after the word's first part."""
    return re.sub(r" \d+/\d+ ", " ", re.sub(r"(?<=[a-z])(?:- )?\d+/\d+ ", "", pdf_text(pdf)))


@pytest.mark.parametrize(
    "template, engine, style",
    [
        pytest.param("moderncv", "pdflatex", "classic", marks=pytest.mark.tex("pdflatex")),
        pytest.param("moderncv", "pdflatex", "banking", marks=pytest.mark.tex("pdflatex")),
        pytest.param("moderncv", "xelatex", "fancy", marks=pytest.mark.tex("xelatex")),
        pytest.param("ats", "pdflatex", None, marks=pytest.mark.tex("pdflatex")),  # ats has no styles
        pytest.param("ats", "xelatex", None, marks=pytest.mark.tex("xelatex")),
    ],
)
def test_long_fields_run_over_pages_and_stay_on_them(
    tmp_path: Path, template: str, engine: str, style: str | None
) -> None:
    headline = "Engineer 工程师" if engine == "xelatex" else "Engineer"  # CJK needs xelatex (engine.py)
    source = tmp_path / "long.yaml"
    source.write_text(yaml.safe_dump(profile(headline), allow_unicode=True), encoding="utf-8")
    design = {"template": template, "engine": engine, **({"style": style} if style else {})}
    (built,) = build(source, tmp_path / "out", Settings(design=design))
    assert built.engine == engine

    shown = set(re.findall(r"\w+", reading_text(built.pdf)))
    for field, value in LONG_FIELDS.items():
        missing = [w for w in re.findall(r"\w+", value) if w not in shown]
        assert not missing, (
            f"{template}/{engine}/{style}: {len(missing)} words of the {field} are not in the PDF, e.g. {missing[-3:]}"
        )
    assert URL_TAIL in re.sub(r"\s", "", pdf_text(built.pdf)), "the long address is not all in the PDF"
    assert "last short bullet" in reading_text(built.pdf), "the entry after the long ones is lost"
    characters = sum(len(value) for value in LONG_FIELDS.values())
    assert built.pages >= characters / MOST_CHARACTERS_PER_PAGE, f"{built.pages} pages for {characters} characters"

    pages = words_on_pages(built.pdf)
    for number, (width, height, on_page) in enumerate(pages, 1):
        outside = [w for w in on_page if w[1] < 0 or w[3] > width - 20 or w[2] < 0 or w[4] > height]
        assert not outside, f"page {number}: words off the page or in its right margin: {outside[:3]}"
    # Every page but the last is full, but for the room a \needspace keeps before a heading.
    bottoms = [max(w[4] for w in on_page if not re.fullmatch(r"\d+/\d+", w[0])) for _, _, on_page in pages]
    short = [number for number, bottom in enumerate(bottoms[:-1], 1) if bottom < max(bottoms) - LEFT_FOR_A_HEADING]
    assert not short, f"{template}/{engine}/{style}: pages {short} end early"
    # A heading stays with the start of its first entry.
    for heading, first in (("Experience", "Engineer"), ("Publications", "A Big Paper"), ("Notes", NOTE.split()[0])):
        (page,) = [number for number, (_, _, on_page) in enumerate(pages, 1) if heading in {w[0] for w in on_page}]
        assert first in " ".join(w[0] for w in pages[page - 1][2]), (
            f"{template}/{engine}/{style}: {heading} ends page {page}"
        )


def overlapping(boxes: list[tuple[str, float, float, float, float]]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than half a point each way."""
    eps = 0.5
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] + eps < b[3] and b[1] + eps < a[3] and a[2] + eps < b[4] and b[2] + eps < a[4]
    ]


@pytest.mark.tex("pdflatex")
@pytest.mark.parametrize("style", ["classic", "casual", "banking", "oldstyle", "fancy"])
def test_long_homepage_wraps_beside_the_name(tmp_path: Path, style: str) -> None:
    source = tmp_path / "home.yaml"
    contact = {"email": "lorem@example.org", "homepage": HOMEPAGE, "phone": ["+49 30 1234"]}
    source.write_text(
        yaml.safe_dump({"name": "Lorem Longtext", "headline": "Engineer", "contact": contact, "summary": "Short."}),
        encoding="utf-8",
    )
    (built,) = build(source, tmp_path / "out", Settings(design={"style": style}))
    width, _, on_page = words_on_pages(built.pdf)[0]
    assert [w[0] for w in on_page if w[0] in ("Lorem", "Longtext")] == ["Lorem", "Longtext"], (
        "the name is split or hyphenated"
    )
    assert not overlapping(on_page), f"{style}: header texts run into each other"
    assert all(w[1] >= 0 and w[3] <= width for w in on_page), f"{style}: header text off the page"
    assert "home" * 30 in re.sub(r"\s", "", pdf_text(built.pdf))
