"""build --pages N and design.pages (src/texcv/fit.py): the least intrusive design that sets a CV on N
pages, found in at most four one-pass trials, cached, and an error naming what was tried when no
design within the bounds will do."""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path

import pytest
from helpers import cli

from texcv import fit
from texcv.build import Settings, build

ENTRY = """\
- title: Engineer {i}
  organization: Company {i}
  start: {start}
  end: {end}
  bullets:
    - Designed and built a distributed system that serves requests for many teams across the company
    - Cut the cost of the nightly pipeline by rewriting its scheduler and its storage layer
"""


def experience(tmp_path: Path, entries: int, design: str = "") -> Path:
    """A profile of `entries` experience entries: 8 fill a page at the defaults, 12 take two pages and
    fit on one within the bounds, 40 cannot."""
    rows = "".join(ENTRY.format(i=i, start=2000 + i, end=2001 + i) for i in range(entries))
    path = tmp_path / "cv.yaml"
    path.write_text(
        f"name: Ada Lovelace\ncontact: {{email: ada@example.org}}\n{design}"
        f"sections:\n  - title: Experience\n    entries:\n{textwrap.indent(rows, '      ')}",
        encoding="utf-8",
    )
    return path


def trials(line: str) -> int:
    return int(re.search(r"\((\d) trials?, [\d.]+ s\)", line).group(1))


# --- the search, without TeX -----------------------------------------------------------------------


@pytest.mark.parametrize("first_fitting", [*range(len(fit.LADDER) + 1), None])
def test_the_least_fitting_step_is_found_in_at_most_four_trials(first_fitting: int | None):
    calls: list[int] = []

    def fits(step: int) -> bool:
        calls.append(step)
        return first_fitting is not None and step >= first_fitting

    assert fit.least_step(fits) == first_fitting
    assert len(calls) <= 4 and len(set(calls)) == len(calls)
    assert calls[0] == 0, "the design as written is tried first"


def test_steps_only_ever_tighten_and_keep_what_the_design_already_has():
    design = {"margins": None, "font_size": 11, "spacing": 1}
    steps = [fit.step_design(design, step) for step in range(len(fit.LADDER) + 1)]
    for looser, tighter in itertools.pairwise(steps[1:]):
        assert tighter["font_size"] <= looser["font_size"] and tighter["spacing"] <= looser["spacing"]
        assert float(tighter["margins"]["top"][:-2]) <= float(looser["margins"]["top"][:-2])
    assert steps[0] is design and steps[-1]["font_size"] == 9 and steps[-1]["margins"]["left"] == "1.2cm"
    small = {
        "margins": {"top": "8mm", "bottom": "1in", "left": "2em", "right": None},
        "font_size": 9.5,
        "spacing": 0.85,
    }
    assert fit.step_design(small, 1) == {
        "margins": {"top": "8mm", "bottom": "1.8cm", "left": "2em", "right": "1.8cm"},
        "font_size": 9.5,
        "spacing": 0.85,
    }
    assert "spacing" not in fit.step_design({"margins": None}, 3), "a family without the option keeps without it"


def test_the_step_chosen_is_cached_and_an_impossible_fit_says_what_was_tried():
    design = {"margins": None, "font_size": 11, "spacing": 1}
    tried: list[dict] = []

    def pages_at(at: dict) -> int:
        tried.append(at)
        return 1 if at["font_size"] <= 10 else 2

    first = fit.fit(design, 1, pages_at, "key")
    assert first.design["font_size"] == 10 and len(first.trials) == len(tried) <= 4 and not first.cached
    again = fit.fit(design, 1, pages_at, "key")
    assert again.cached and again.design == first.design and len(tried) == len(first.trials)
    assert again.describe() == "fitted to 1 page: 10 pt, margins 1.5cm, spacing 0.92 (settings cached)"
    with pytest.raises(fit.Impossible) as impossible:
        fit.fit(design, 1, lambda at: 3, "other key")
    assert str(impossible.value).startswith(
        "cannot fit onto 1 page without leaving anything out: the tightest settings allowed "
        "(9 pt, margins 1.2cm, spacing 0.9) take 3 pages (tried as designed: 3 pages; "
    )


# --- with TeX -------------------------------------------------------------------------------------


@pytest.mark.tex
def test_a_two_page_cv_fits_onto_one_page_and_a_rebuild_is_a_cache_hit(capsys, tmp_path: Path):
    profile = experience(tmp_path, 12)
    (as_written,) = build(profile, tmp_path / "plain")
    assert as_written.pages == 2
    status, _, line = cli(capsys, "build", profile, "-o", tmp_path, "--pages", "1")
    assert status == 0, line
    # Every word is still in the PDF: the build checks its text layer and would fail otherwise.
    assert "1 page(s)" in line and "words, all present; fitted to 1 page: " in line and 1 <= trials(line) <= 4
    status, _, again = cli(capsys, "build", profile, "-o", tmp_path, "--pages", "1")
    assert status == 0 and "cached; fitted to 1 page: " in again and "(settings cached)" in again


@pytest.mark.tex
def test_design_pages_in_the_profile_fits_it(tmp_path: Path):
    (built,) = build(experience(tmp_path, 12, "design: {pages: 1}\n"), tmp_path)
    assert built.pages == 1 and built.fit.startswith("fitted to 1 page: ") and "spacing" in built.fit
    tex = built.tex.read_text(encoding="utf-8")
    assert "\\linespread{0.9" in tex and "left=1.5cm" in tex, "the fitted design is the one written"


@pytest.mark.tex
def test_the_build_after_a_fit_starts_from_its_trial_and_needs_one_pass(tmp_path: Path):
    profile, fitting = experience(tmp_path, 30), Settings(design={"pages": 2}, use_cache=False)
    build(profile, tmp_path, fitting)  # its preamble precompiled: the next build has no pass to make the .aux meanwhile
    # Without the cache no earlier build's page total is known: a multi-page CV would take two passes.
    (built,) = build(profile, tmp_path, fitting)
    assert built.pages == 2 and built.passes == 1 and built.fit.startswith("fitted to 2 pages: ")


@pytest.mark.tex
def test_a_cv_that_already_fits_is_left_as_designed(tmp_path: Path):
    profile = experience(tmp_path, 8)
    (plain,) = build(profile, tmp_path / "plain")
    (fitted,) = build(profile, tmp_path / "fitted", Settings(design={"pages": plain.pages}, use_cache=False))
    assert fitted.pdf.read_bytes() == plain.pdf.read_bytes()
    assert fitted.fit == "fits 1 page as designed (1 trial, " + fitted.fit.split(", ")[1]


@pytest.mark.tex
def test_an_impossible_fit_is_an_error_naming_what_was_tried_and_keeps_the_pdf(capsys, tmp_path: Path):
    profile = experience(tmp_path, 40, "design:\n  pages: 1\n")
    status, _, err = cli(capsys, "build", profile, "-o", tmp_path, "--pages", "9")
    assert status == 0, err
    before = (tmp_path / "cv.pdf").read_bytes()
    status, _, err = cli(capsys, "build", profile, "-o", tmp_path)
    assert status == 1 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("texcv: error: ") and f"{profile}:4:3: design.pages: cv: cannot fit onto 1 page" in line
    assert "the tightest settings allowed (9 pt, margins 1.2cm, spacing 0.9) take " in line
    assert "(tried as designed: " in line
    assert (tmp_path / "cv.pdf").read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--pages", "0"], 2, "--pages: expected a number of pages from 1 to 99 (got '0')"),
        (["--set", "design.pages=1.5"], 1, "command line: design.pages: expected a whole number from 1 to 99, got"),
        (["--set", "design.spacing=0.5"], 1, "design.spacing: 0.5 is out of range (expected a number from 0.8 to 1.5)"),
    ],
)
def test_bad_page_counts_and_spacings_are_refused(capsys, mini: Path, argv: list[str], status: int, message: str):
    code, _, err = cli(capsys, "build", mini, "-o", mini.parent, *argv)
    assert code == status and message in err and "Traceback" not in err, err


def test_spacing_is_a_line_spacing_factor(capsys, mini: Path):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", "design.spacing=0.9")
    assert status == 0 and "\\linespread{0.9}" in tex, err
    status, tex, err = cli(capsys, "render", mini, "-o", "-")
    assert "\\linespread" not in tex, "the default design is unchanged"
