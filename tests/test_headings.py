"""design.heading_style: the section headings of every packaged family — the style's own (unchanged
output), over a thin rule, plain, or in letter-spaced capitals that pdftotext reads as capitals; a value
a moderncv style cannot draw is refused with its place in the file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import cli, pdf_lines

TWO_SECTIONS = """\
name: Ada Lovelace
summary: Builds engines.
sections:
  - title: Experience
    entries:
      - {title: Engineer, organization: ACME, start: 2020-01, end: present, bullets: [Shipped it]}
  - title: Awards
    entries:
      - {date: 2019, text: A medal}
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text(TWO_SECTIONS, encoding="utf-8")
    return path


def _render(capsys, profile: Path, *options: str) -> str:
    status, tex, err = cli(capsys, "render", profile, "-o", "-", *options)
    assert status == 0, err
    return tex


@pytest.mark.parametrize(
    ("family", "style"), [("moderncv", "classic"), ("moderncv", "banking"), ("moderncv", "fancy"), ("ats", None)]
)
def test_style_is_todays_output(capsys, profile: Path, family: str, style: str | None):
    chosen = ["--template", family, *(["--style", style] if style else [])]
    assert _render(capsys, profile, *chosen, "--set", "design.heading_style=style") == _render(capsys, profile, *chosen)


# What each value writes into the preamble (and what it must not), above the precompiled part's end.
WRITTEN = [
    ("moderncv", "classic", "rule", ["\\cvitem[0ex]{}{\\strut\\sectionstyle{#2}\\texcvtitlerule}", "{.4pt}"], []),
    ("moderncv", "classic", "plain", ["\\cvitem[0ex]{}{\\strut\\sectionstyle{#2}\\texcvtitlerule}"], ["{.4pt}"]),
    ("moderncv", "oldstyle", "rule", ["\\noindent\\strut\\sectionstyle{#2}\\texcvtitlerule", "{.4pt}"], []),
    ("moderncv", "oldstyle", "plain", [], ["\\RenewDocumentCommand{\\section}"]),
    ("moderncv", "banking", "plain", ["\\renewcommand*{\\sectionrule}{}"], ["\\RenewDocumentCommand{\\section}"]),
    ("moderncv", "banking", "rule", [], ["\\RenewDocumentCommand{\\section}", "\\sectionrule"]),
    (
        "moderncv",
        "casual",
        "uppercase",
        ["{\\texcvsectionstyle{\\texcvcaps{#1}}}", "\\textls*[60]{\\MakeUppercase"],
        [],
    ),
    ("ats", None, "plain", ["\\titleformat{\\section}{\\large\\bfseries}{}{0pt}{}\n"], ["\\titlerule"]),
    (
        "ats",
        None,
        "uppercase",
        ["{0pt}{\\texcvcaps}[\\titlerule]", "[protrusion=false,expansion=false]{microtype}"],
        [],
    ),
    ("sidebar", None, "plain", ["{0pt}{}\n"], ["\\titlerule"]),
    ("sidebar", None, "uppercase", ["{0pt}{\\texcvcaps}[", "\\bfseries \\texcvcaps{#1}}"], []),
]


@pytest.mark.parametrize(("family", "style", "value", "present", "absent"), WRITTEN)
def test_each_value_writes_its_heading(capsys, profile: Path, family, style, value, present, absent):
    tex = _render(capsys, profile, "--template", family, *(["--style", style] if style else []),
                  "--set", f"design.heading_style={value}")  # fmt: skip
    design_part = tex.split("\\csname endofdump\\endcsname", 1)[0]
    assert all(text in design_part for text in present), present
    assert not any(text in design_part for text in absent), absent


@pytest.mark.parametrize(
    ("source", "engine", "caps"),
    [
        (None, "xelatex", "[1]{{\\addfontfeatures{LetterSpace=6}\\MakeUppercase{#1}}}"),
        # Spaced Arabic letters would no longer join: capitals (of the Latin words) only.
        (Path(__file__).parent / "data" / "rtl" / "arabic.yaml", "auto", "[1]{\\MakeUppercase{#1}}\n"),
    ],
)
def test_uppercase_spacing_follows_the_engine(capsys, profile: Path, source: Path | None, engine: str, caps: str):
    tex = _render(capsys, source or profile, "--engine", engine, "--set", "design.heading_style=uppercase")
    assert f"\\newcommand*{{\\texcvcaps}}{caps}" in tex and "textls" not in tex


def test_a_bad_value_is_located(capsys, tmp_path: Path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\ndesign:\n  heading_style: underline\n", encoding="utf-8")
    status, _, err = cli(capsys, "render", path, "-o", "-")
    assert status == 1
    assert (
        "cv.yaml:3:3: design.heading_style: unknown heading style 'underline' "
        "(expected one of: style, rule, plain, uppercase)" in err
    ), err


@pytest.mark.parametrize("value", ["rule", "uppercase"])
def test_fancy_refuses_what_its_date_column_cannot_hold(capsys, tmp_path: Path, value: str):
    path = tmp_path / "cv.yaml"
    path.write_text(f"name: A B\ndesign:\n  style: fancy\n  heading_style: {value}\n", encoding="utf-8")
    status, _, err = cli(capsys, "render", path, "-o", "-")
    assert status == 1
    assert (
        f"cv.yaml:4:3: design.heading_style: heading_style {value} works with style classic or casual or banking "
        "or oldstyle or empty, not fancy" in err
    ), err


def test_fancy_refuses_rule_from_the_command_line(capsys, profile: Path):
    status, _, err = cli(capsys, "render", profile, "-o", "-", "--style", "fancy", "--set", "design.heading_style=rule")
    assert status == 1
    assert "command line: design.heading_style: heading_style rule works with style classic or casual or " in err
    assert _render(capsys, profile, "--style", "oldstyle", "--set", "design.heading_style=rule")


def _accent_runs(pdf: Path, low: float, high: float) -> int:
    """Pixel rows of page 1 holding a run of accent-blue pixels between `low` and `high` of the page's
    width: classic's bar in the date column is about a sixth, a rule across the text column over half."""
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-aaVector", "no", str(pdf)],
                         check=True, capture_output=True).stdout  # fmt: skip
    magic, width, height, _, pixels = ppm.split(maxsplit=4)
    assert magic == b"P6"
    width, height = int(width), int(height)
    rows = 0
    for y in range(height):
        row, run, longest = pixels[3 * width * y : 3 * width * (y + 1)], 0, 0
        for x in range(width):
            red, blue = row[3 * x], row[3 * x + 2]
            run = run + 1 if blue > red + 60 else 0
            longest = max(longest, run)
        rows += low * width <= longest <= high * width
    return rows


@pytest.mark.tex
@pytest.mark.parametrize(
    ("value", "titles", "bars", "rules"),
    [
        ("style", ["Summary", "Experience", "Awards"], True, False),
        ("rule", ["Summary", "Experience", "Awards"], False, True),
        ("plain", ["Summary", "Experience", "Awards"], False, False),
        ("uppercase", ["SUMMARY", "EXPERIENCE", "AWARDS"], True, False),
    ],
)
def test_classic_headings_reach_the_pdf(capsys, profile: Path, tmp_path: Path, value, titles, bars, rules):
    status, _, err = cli(capsys, "build", profile, "-o", tmp_path / "out", "--set", f"design.heading_style={value}")
    assert status == 0, err
    pdf = tmp_path / "out" / "cv.pdf"
    assert [line for line in pdf_lines(pdf) if line in titles] == titles
    assert (_accent_runs(pdf, 0.1, 0.3) > 0) == bars
    assert (_accent_runs(pdf, 0.5, 0.9) > 0) == rules


@pytest.mark.tex
@pytest.mark.parametrize("family", ["ats", "sidebar"])
def test_article_families_print_capitals(capsys, profile: Path, tmp_path: Path, family: str):
    status, _, err = cli(capsys, "build", profile, "-o", tmp_path, "--template", family,
                         "--set", "design.heading_style=uppercase")  # fmt: skip
    assert status == 0, err
    lines = pdf_lines(tmp_path / "cv.pdf")
    assert {"SUMMARY", "EXPERIENCE", "AWARDS"} <= set(lines) and "Experience" not in lines
