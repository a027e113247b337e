"""Whole profiles with arbitrary Unicode in every free-text field: each builds and all of its text is
in the PDF, or fails validation with located messages; never a TeX error, never a traceback.

Text is compared after the documented normalisations (docs/security.md): NFC/NFKD, whitespace runs
collapsed (and ignored, as line breaks may fall anywhere), ' → ’, controls / private-use /
unassigned code points dropped, invisible format characters and combining marks not compared,
brackets compared up to mirroring, and characters no font has dropped — those must be reported as
warnings naming the character and the field. Text with right-to-left letters is compared by its
characters only: the PDF holds it in visual order.
"""

from __future__ import annotations

import re
import string
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from helpers import expected
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from texcv.build import Settings, build
from texcv.errors import ProfileError, UserError
from texcv.escape import LONG_WORD
from texcv.markup import plain
from texcv.texlog import missing_glyphs
from texcv.textlayer import in_pieces

# Explicit bidi embeddings, overrides and isolates reorder what is shown on purpose, so the PDF's
# order is not the typed order; test_bidi_overrides_are_reported covers them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

PIECES = [
    r"\input{/etc/passwd}",
    r"\write18{rm -rf ~}",
    r"\immediate\write18{x}",
    r"\directlua{os.exit(1)}",
    r"\openout5=x.tex",
    "^^5cinput",
    r"\catcode`\@=11",
    r"\csname relax\endcsname",
    r"\def\x{\x}\x",
    "}",
    "{",
    "$",
    "$$",
    "%",
    "#",
    "&",
    "_",
    "^",
    "~",
    "\\",
    "\\\\",
    "--",
    "---",
    "``",
    "''",
    ",,",
    "<<",
    ">>",
    "*",
    "**",
    "_x_",
    "`",
    "[",
    "](",
    "[a](javascript:alert(1))",
    "[b](https://example.org/x_y)",
    "(",
    ")",
    "]",
    "«",
    "»",
    "「",
    "」",
    "‹",
    "›",  # unpaired brackets
    "שלום",
    "مرحبا",
    "\u200f",
    "\u200e",
    "Ελληνικά",
    "Кириллица",
    "हिन्दी",
    "ไทย",
    "中文",
    "日本語",
    "한국어",  # scripts, RTL
    "😀",
    "👩\u200d💻",
    "🇩🇪",
    "\u2764\ufe0f",
    "✓",  # emoji, ZWJ sequences, variation selectors
    "e\u0301",
    "\u0301",
    "q\u0323\u0301",
    "a\u20dd",  # combining marks
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u2028",
    "\ue000",
    "\U0010fffd",
    "\u0378",
    " ",
    "  ",
    "\n",
    "\t",
    "\xa0",
    "\u3000",
]
long_word = st.text(st.sampled_from(string.ascii_letters + "äöüßø"), min_size=40, max_size=120)
long_url = st.text(st.sampled_from(string.ascii_letters + string.digits + "/-_.?=&%~"), min_size=40, max_size=160).map(
    lambda p: "https://example.org/" + p
)
any_chars = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=BIDI_CONTROLS), min_size=1, max_size=6)
fragment = st.sampled_from(PIECES) | long_word | long_url | any_chars | st.sampled_from(["Word", "two words", "x"])
free_text = st.lists(fragment, min_size=1, max_size=4).map("".join)
# The header's texts are limited (schema.HeaderText: contact lines 60 columns, name parts 100,
# headline 200): mostly within, so that most profiles build, sometimes beyond.
header_text = st.lists(st.sampled_from(PIECES) | any_chars, min_size=1, max_size=3).map("".join)
name_text = st.lists(st.sampled_from(PIECES) | any_chars | long_word, min_size=1, max_size=2).map("".join)
year = st.integers(1950, 2030)


@st.composite
def profiles(draw: st.DrawFn) -> dict:
    def text() -> str:
        return draw(free_text)

    def entry() -> dict:
        kind = draw(st.sampled_from(["experience", "publication", "item", "bullet"]))
        if kind == "experience":
            start = draw(year)
            return {
                "title": text(),
                "organization": text(),
                "location": text(),
                "start": start,
                "end": start + draw(st.integers(0, 5)),
                "note": text(),
                "description": text(),
                "bullets": [text() for _ in range(draw(st.integers(0, 2)))],
                "links": [{"label": text(), "url": "https://example.org/a_b?x=1&y=%7E"}],
            }
        if kind == "publication":
            return {
                "title": text(),
                "authors": [text() for _ in range(draw(st.integers(1, 3)))],
                "venue": text(),
                "date": draw(year),
            }
        if kind == "item":
            return {"label": text(), "text": text()}
        return {"kind": "bullet", "text": text()}

    sections = [
        {"title": text(), "entries": [entry() for _ in range(draw(st.integers(1, 3)))]}
        for _ in range(draw(st.integers(1, 2)))
    ]
    sections[0]["entries"].append({"subsection": text(), "entries": [entry()]})
    # The header shows the address, or the location when there is no address.
    contact = (
        {"address": [draw(header_text) for _ in range(2)]} if draw(st.booleans()) else {"location": draw(header_text)}
    )
    return {
        "name": {"given": draw(name_text), "family": draw(name_text)},
        "headline": draw(name_text),
        "contact": contact,
        "summary": text(),
        "sections": sections,
    }


def _free_texts(value: object) -> list[str]:
    """The profile's free text (every string but link addresses and entry kinds)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for key, item in value.items() if key not in ("url", "kind") for t in _free_texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in _free_texts(item)]
    return []


# Characters a renderer may hide or move: format characters (zero-width joiners, soft hyphens,
# marks), variation selectors and fillers (default-ignorable), combining marks.
_IGNORABLE = set("\u034f\u115f\u1160\u3164\uffa0") | {
    chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
}
_MIRRORED = str.maketrans(")]}>»›」』〉》）", "([{<«‹「『〈《（")


def _comparable(text: str, dropped: set[str]) -> str:
    """`text` as compared: without the characters no font had (dropped first: NFKD may decompose
    them), decomposed with its marks removed, without whitespace, hyphens (hyphenation), U+FFFD
    (pdftotext's missing glyph) and the characters a renderer may hide or move."""
    text = unicodedata.normalize("NFKD", "".join(c for c in text if c not in dropped))
    kept = (
        c
        for c in text
        if c not in _IGNORABLE
        and c != "\ufffd"
        and c != "-"
        and not c.isspace()
        and unicodedata.category(c) not in ("Cf", "Mn", "Mc", "Me", "Cc", "Co", "Cn")
    )
    return "".join(kept).translate(_MIRRORED)


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _found(wanted: str, shown: str, rtl: bool) -> bool:
    """Text with right-to-left letters is laid out in visual order (the Unicode bidi algorithm,
    which xelatex applies), so only its characters can be compared, not their order. A word long
    enough to break anywhere may run over lines beside a label column: its pieces, in turn."""
    if rtl:
        return not Counter(wanted) - Counter(shown)
    return wanted in shown or (len(wanted) >= LONG_WORD and " " not in wanted and in_pieces(wanted, shown))


def _pdf_text(pdf: Path) -> str:
    """The PDF's text in content-stream order, without page footers (moderncv's "n/N")."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", "1000", "-H", "780", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out


def _regression(summary: str, item: dict) -> dict:
    """A profile Hypothesis found failing (kept as a regression case): every other field \\input."""
    evil = "\\input{/etc/passwd}"
    subsection = {"subsection": evil, "entries": [{"title": evil, "authors": [evil], "venue": evil, "date": 1950}]}
    return {"name": {"given": evil, "family": evil}, "headline": evil, "contact": {"location": evil},
            "summary": summary, "sections": [{"title": evil, "entries": [item, subsection]}]}  # fmt: skip


# A long word broken over lines beside a wrapping label; a control character no font has.
_LONG_WORD_BESIDE_A_LABEL = _regression("\\input{/etc/passwd}", {"label": "\\input{/etc/passwd}" * 3,
                                   "text": "A" * 151 + "https://example.org/" + "0" * 152})  # fmt: skip


@pytest.mark.tex("xelatex")
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(profiles())
@example(_LONG_WORD_BESIDE_A_LABEL)
@example(
    _regression(
        "\\input{/etc/passwd}",
        {
            "title": "x",
            "venue": "y",
            "date": 1950,
            "authors": ["\\input{/etc/passwd}" + "DkQgZTHnßgzerqsXcoeVsRGDeiPHpFLYe" * 4],
        },
    )
)  # an author's "name" longer than a line
@example(_regression("\x1b\x80", {"title": "\\input{/etc/passwd}", "organization": "x", "start": 1950}))
def test_hostile_profile_builds_with_all_its_text_or_fails_validation(
    tmp_path_factory: pytest.TempPathFactory, profile: dict
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "cv.yaml"
    source.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        (built,) = build(source, folder / "out", Settings(allow_missing_text=True))  # lost glyphs are checked below
    except ProfileError as exc:
        assert exc.problems and all(re.match(r"\S+:\d+:\d+: [\w.\[\]]+: \S", str(p)) for p in exc.problems), str(exc)
        event("invalid")
        return
    except UserError as exc:  # characters no installed font has: refused before TeX, each located
        first, *located = str(exc).splitlines()
        assert first.startswith("no installed font has") and located, str(exc)
        assert all(re.match(r"\S+:\d+:\d+: [\w.\[\]]+: .* is in no installed font", line) for line in located), str(exc)
        event("no font")
        return
    event(f"built with {built.engine}")
    missing = missing_glyphs((folder / "out" / "cv.log").read_text("utf-8", errors="replace"))
    for char in missing:
        assert any(f"U+{ord(char):04X}" in w for w in built.warnings), (char, built.warnings)
        if any(char in t for t in _free_texts(profile)):
            assert any(f"U+{ord(char):04X}" in w and w.startswith(f"{source}:") for w in built.warnings), (
                char,
                built.warnings,
            )
    shown = _comparable(_pdf_text(built.pdf), set(missing))
    lost = [
        t
        for t in _free_texts(profile)
        if not _found(_comparable(expected(plain(t)), set(missing)), shown, rtl=_has_rtl(t))
    ]
    assert not lost, f"not in the PDF ({built.engine}, {built.pages} pages): {lost!r}\nwarnings: {built.warnings}"
