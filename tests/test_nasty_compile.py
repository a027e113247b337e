"""The real oracle for escaping: nasty strings in one profile, built to PDF by each engine, must
all come out of pdftotext as the text the user typed (after the documented normalisations:
' → ’, whitespace runs → one space, controls dropped), and every link must point at its exact URL.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import expected, pdf_text, pdf_uris

from texcv.build import Settings, build
from texcv.escape import clean
from texcv.markup import plain

# Printed literally: inline markdown does not apply to any of these (checked below without TeX).
LATIN = [
    # the ten specials alone, and together
    "#",
    "$",
    "%",
    "&",
    "_",
    "{",
    "}",
    "~",
    "^",
    "\\",
    "# $ % & _ { } ~ ^ \\",
    "#$%&_{}~^\\",
    # TeX commands that must stay text
    "\\input{/etc/passwd}",
    "\\write18{ls}",
    "\\immediate\\write18{x}",
    "\\catcode`@=11",
    "\\csname relax\\endcsname",
    "^^5cinput",
    "^^M",
    "\\def\\x{}",
    "\\def\\x{\\x}\\x",
    "\\directlua{os.execute('rm -rf ~')}",
    "\\immediate\\openout5=/tmp/pwned.tex",
    "\\openin5=/etc/passwd \\read5 to\\x",
    "\\csname\\endcsname",
    "\\end{document}",
    "\\par \\newline x",
    "\\verb|x| \\begin{verbatim}",
    "$x^2$ and $$y$$",
    "stray } brace",
    "stray $ dollar",
    "50% off % not a comment",
    "#1 ##2",
    # ligature pairs
    "--",
    "---",
    "a--b---c",
    "``",
    "''",
    "!`",
    "?`",
    ",,",
    "<<",
    ">>",
    "<<<>>>",
    "x|y",
    '"quoted"',
    "it's O'Brien's",
    # accents and typography
    "é ñ ø Ł ő ß Æ",
    "Müller-Ørsted Ça Œuvre",
    "– — ‘ ’ “ ” … † ‡ • €",
    # ordinary text with specials
    "C#",
    "snake_case",
    "a_b@c.org",
    "100%",
    "~user",
    "5 * 3 * 2",
    "2*3*4",
    "x < y > z",
    "tab\tand   spaces\nand a newline",
    "first paragraph\n\n\nsecond paragraph",  # two paragraphs of a bullet
    "no\u00a0break",
    "bell\x07 and nul\x00 dropped",
]

# (source, what a reader sees): inline markdown applies.
MARKDOWN = [
    ("**bold** and *em* and _em_", "bold and em and em"),
    ("`code_x{%}`", "code_x{%}"),
    ("``code with ` tick``", "code with ` tick"),
    ("[link_1 100%](https://example.org/a_b?x=1&y=2#f~g)", "link_1 100%"),
    ("\\*literal\\* and \\_x\\_", "*literal* and _x_"),
    ("*unclosed and **unclosed", "*unclosed and **unclosed"),
    (
        "see [js](javascript:alert(1))",
        "see [js](javascript:alert(1))",
    ),  # not at the start: see test_bullet_may_start_with_a_bracket
    ("`--` vs -- vs *--*", "-- vs -- vs --"),
    ("**<<x>>** *it's*", "<<x>> it’s"),
    ("`\\input{/etc/passwd}`", "\\input{/etc/passwd}"),
    ("\\\\ is one backslash: \\\\", "\\ is one backslash: \\"),  # a markdown escape
]

CJK = [
    "中文",
    "日本語のテキスト",
    "한국어 문장 with spaces",
    "混合 Latin 和 中文 100%",
    "「引用」と句読点。",
    "김철수 님 # $ % & _",
]

LINKS = [
    "https://example.org/~jose/cv_2024",
    "https://example.org/a_b?x=1&y=2#frag",
    "https://example.org/100%25/a%20b?q=%7E",
]
# The markdown link in MARKDOWN points here.
MARKDOWN_LINK = "https://example.org/a_b?x=1&y=2#f~g"


def _profile(strings: list[str], markdown: list[tuple[str, str]]) -> dict:
    bullets = strings + [source for source, _ in markdown]
    # moderncv cannot break one \cventry across pages (what does not fit is lost off the page
    # bottom), so the bullets are spread over entries of ten.
    chunks = [bullets[i : i + 10] for i in range(0, len(bullets), 10)]
    entries = [{"title": f"Entry {n}", "start": "2020-01", "bullets": chunk} for n, chunk in enumerate(chunks)]
    entries[0].update(
        {
            "title": "\\input{title} & 100%",
            "organization": "ACME $Corp$ #1",
            "location": "~home_dir",
            "end": "present",
            "note": "it's {fine}\n\n  after a blank line",  # one line: no \\par in a macro argument
            "links": [{"label": f"L{i}_{{x}}", "url": address} for i, address in enumerate(LINKS)],
        }
    )
    return {
        "name": "Zoë O'Brien-Łukasz",
        "headline": 'Engineer & "hacker" <100%>',
        "sections": [
            {"title": "Experience & #1", "entries": entries},
            {
                "title": "Items section",
                "entries": [{"label": f"K{i:02d}", "text": text} for i, text in enumerate(bullets)],
            },
        ],
    }


# pdflatex (T1) has no ellipsis glyph: \textellipsis is three spaced periods in the PDF.
PDFLATEX_SHOWS = {"…": ". . ."}


def _visible(strings: list[str], markdown: list[tuple[str, str]], engine: str) -> list[str]:
    # A no-break space (kept in the .tex as ~) is a space in the PDF's text.
    shown = [expected(s).replace("\xa0", " ") for s in strings] + [expected(s) for _, s in markdown]
    if engine == "pdflatex":
        shown = [s.translate(str.maketrans(PDFLATEX_SHOWS)) for s in shown]
    return shown


def _raw_text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def _build_and_check(tmp_path: Path, engine: str, strings: list[str], markdown: list[tuple[str, str]]) -> None:
    source = tmp_path / "nasty.yaml"
    source.write_text(
        yaml.safe_dump(_profile(strings, markdown), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (built,) = build(source, tmp_path / "out", Settings(design={"engine": engine}))
    assert built.engine == engine
    # pdftotext's default reading order puts the item labels in a column of their own and, on
    # lines of one-letter words, drops the spaces ("é ñ ø" → "éñø", "x < y" → "x<y"; the glyph
    # positions in -bbox show full interword gaps). -raw keeps content-stream order and spaces, so
    # it is the exact check; pdf_text (what a hiring system reads) is checked ignoring spaces.
    text = _raw_text(built.pdf)
    squeezed = re.sub(r"\s", "", pdf_text(built.pdf))

    missing = []
    shown_all = _visible(strings, markdown, engine)
    # Bullets: each string, in order, before the items section.
    position, bullets_end = 0, text.index("Items section")
    for shown in shown_all:
        found = text.find(shown, position, bullets_end)
        if found < 0:
            missing.append(("bullet", shown))
        else:
            position = found + len(shown)
    # Items: each string right after its own label.
    for i, shown in enumerate(shown_all):
        if f"K{i:02d} {shown}" not in text:
            missing.append((f"item K{i:02d}", shown))
    # Everything, in order, in pdf_text's reading (spaces aside; a hyphen ending a line is taken
    # for a hyphenation and dropped by pdftotext's default mode, so trailing hyphens too).
    position = 0
    for shown in shown_all:
        found = squeezed.find(re.sub(r"\s", "", shown).rstrip("-"), position)
        if found < 0:
            missing.append(("pdf_text", shown))
        else:
            position = found
    # Header and entry fields.
    for shown in [
        "Zoë O’Brien-Łukasz",
        'Engineer & "hacker" <100%>',
        "Experience & #1",
        "\\input{title} & 100%",
        "ACME $Corp$ #1",
        "~home_dir",
        "it’s {fine} after a blank line",
        *(f"L{i}_{{x}}" for i in range(len(LINKS))),
    ]:
        if shown not in text:
            missing.append(("field", shown))
    assert not missing, f"{engine}: not in the PDF text:\n" + "\n".join(
        f"  {where}: {shown!r}" for where, shown in missing
    )

    wanted = set(LINKS) | ({MARKDOWN_LINK} if any(MARKDOWN_LINK in s for s, _ in markdown) else set())
    assert wanted <= pdf_uris(built.pdf), wanted - pdf_uris(built.pdf)
    # No glyph missing from a font, no content pushed off a page.
    assert not [w for w in built.warnings if "missing from the PDF" in w or "vbox" in w], built.warnings


# --- without TeX: the lists mean what they say -------------------------------------------------


def test_lists_are_long_enough() -> None:
    assert len(LATIN) + len(MARKDOWN) >= 40


@pytest.mark.parametrize("text", LATIN + CJK)
def test_literal_strings_are_not_markdown(text: str) -> None:
    assert plain(text) == clean(text)


@pytest.mark.parametrize(("source", "shown"), MARKDOWN)
def test_markdown_strings_show_as_expected(source: str, shown: str) -> None:
    assert plain(source).replace("'", "\u2019") == shown.replace("'", "\u2019")


# --- with TeX ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param("pdflatex", marks=pytest.mark.tex("pdflatex")),
        pytest.param("xelatex", marks=pytest.mark.tex("xelatex")),
        pytest.param("lualatex", marks=pytest.mark.tex("lualatex")),
    ],
)
def test_latin_strings_print_literally(tmp_path: Path, engine: str) -> None:
    _build_and_check(tmp_path, engine, LATIN, MARKDOWN)


@pytest.mark.tex("xelatex")
def test_cjk_strings_print_literally_under_xelatex(tmp_path: Path) -> None:
    _build_and_check(tmp_path, "xelatex", CJK + LATIN[:12], MARKDOWN[:2])


# --- template bugs these strings once found --------------------------------------------------------


@pytest.mark.tex("pdflatex")
def test_bullet_may_start_with_a_bracket(tmp_path: Path) -> None:
    source = tmp_path / "bracket.yaml"
    profile = {
        "name": "Ann Lee",
        "sections": [{"title": "S", "entries": [{"title": "T", "start": 2020, "bullets": ["[x] done", "ok"]}]}],
    }
    source.write_text(yaml.safe_dump(profile), encoding="utf-8")
    (built,) = build(source, tmp_path / "out", Settings(design={"engine": "pdflatex"}))
    assert "[x] done" in _raw_text(built.pdf)


@pytest.mark.tex("pdflatex")
def test_social_url_may_contain_a_closing_bracket(tmp_path: Path) -> None:
    source = tmp_path / "social.yaml"
    profile = {"name": "Ann Lee", "social": {"linkedin": "https://www.linkedin.com/in/a]b/"}}
    source.write_text(yaml.safe_dump(profile), encoding="utf-8")
    (built,) = build(source, tmp_path / "out", Settings(design={"engine": "pdflatex"}))
    assert {"https://www.linkedin.com/in/a]b", "https://www.linkedin.com/in/a%5Db"} & pdf_uris(built.pdf)


@pytest.mark.tex("xelatex")
def test_xelatex_bullets_are_not_read_as_letters(tmp_path: Path) -> None:
    source = tmp_path / "bullets.yaml"
    profile = {
        "name": "Ann Lee",
        "sections": [{"title": "S", "entries": [{"title": "T", "start": 2020, "bullets": ["one", "two"]}, "three"]}],
    }
    source.write_text(yaml.safe_dump(profile), encoding="utf-8")
    (built,) = build(source, tmp_path / "out", Settings(design={"engine": "xelatex"}))
    words = _raw_text(built.pdf).split()
    assert "f" not in words, words
