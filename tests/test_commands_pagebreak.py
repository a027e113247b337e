"""Page-break hints: `page_break: before` and `keep_together: true` on entries, subsections, sections."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from texcv.build import Settings, build, documents

BULLETS = "".join(
    f"      - Bullet {k} of the long entry, with enough words to fill most of one line.\n" for k in range(14)
)


def long_cv(tmp_path: Path, hints: dict[str, str], long_job: int = 3) -> Path:
    """Four-bullet jobs; job `long_job` has fourteen more bullets, so it straddles the end of page 1
    (job 6 in both families' layouts)."""
    jobs = []
    for i in range(long_job + 6):
        extra = "".join(f"    {hint}\n" for hint in [hints.get(f"Job {i}", "")] if hint)
        jobs.append(
            f"  - title: Job {i}\n{extra}    start: {2000 + i}\n    bullets:\n"
            + "".join(f"      - Thing {k} done at job {i}, described at some length.\n" for k in range(4))
        )
        if i == long_job:
            jobs.append(BULLETS)
    path = tmp_path / "long.yaml"
    section_hint = f"    {hints['Skills']}\n" if "Skills" in hints else ""
    path.write_text(
        "name: Page Breaker\nsections:\n  - title: Experience\n    entries:\n"
        + textwrap.indent("".join(jobs), "    ")
        + f"  - title: Skills\n{section_hint}    entries:\n      - {{label: A, text: B}}\n",
        encoding="utf-8",
    )
    return path


def page_of(pdf: Path, words: list[str]) -> dict[str, int]:
    pages = {}
    for number in (1, 2, 3, 4):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        for word in words:
            if word in text:
                pages.setdefault(word, number)
    return pages


def test_templates_get_the_hints(tmp_path):
    path = long_cv(
        tmp_path, {"Job 2": "page_break: before", "Job 3": "keep_together: true", "Skills": "page_break: before"}
    )
    (doc,) = documents(path)
    body = doc.tex.split("\\begin{document}")[1]
    assert body.count("\\clearpage") == 2
    assert re.search(r"\\clearpage\s+\\texcvneedspace\{\d\\baselineskip\}\s+\\cventry(\[0pt\])?\{2002\}", body)
    assert re.search(
        r"\\clearpage\s+\\needspace\{\d\\baselineskip\}\s+\\texcvhintcolumn\{\\texcvhint\{A\}\}\s+\\section\{Skills\}",
        body,
    )
    assert body.count("\\texcvkeepbegin") == 1 and body.count("\\texcvkeepend") == 1
    without = documents(long_cv(tmp_path, {}))[0].tex.split("\\begin{document}")[1]
    assert "\\clearpage" not in without and "\\texcvkeep" not in without


@pytest.mark.tex
@pytest.mark.parametrize("family, n", [("moderncv", 6), ("ats", 6)])
def test_keep_together_moves_the_entry_to_the_next_page(tmp_path, family, n):
    family_only = Settings(design={"template": family})
    (plain,) = build(long_cv(tmp_path, {}, n), tmp_path / "plain", family_only)
    assert page_of(plain.pdf, [f"Job {n}", "Bullet 13"]) == {f"Job {n}": 1, "Bullet 13": 2}, (
        f"the test needs job {n} to straddle the page break"
    )
    (kept,) = build(long_cv(tmp_path, {f"Job {n}": "keep_together: true"}, n), tmp_path / "kept", family_only)
    expected = {f"Job {n - 1}": 1, f"Job {n}": 2, "Bullet 0": 2, "Bullet 13": 2}
    assert page_of(kept.pdf, list(expected)) == expected


@pytest.mark.tex
@pytest.mark.parametrize("family", ["moderncv", "ats"])
def test_page_break_before(tmp_path, family):
    hints = {"Job 1": "page_break: before", "Skills": "page_break: before"}
    (built,) = build(long_cv(tmp_path, hints), tmp_path / "out", Settings(design={"template": family}))
    pages = page_of(built.pdf, ["Job 0", "Job 1", "Skills"])
    assert pages["Job 0"] == 1 and pages["Job 1"] == 2
    assert pages["Skills"] == built.pages


def line_tops(pdf: Path) -> list[tuple[str, float]]:
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    return [
        (word, float(top)) for top, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    ]


@pytest.mark.tex
def test_keep_together_does_not_change_spacing(tmp_path):
    """Boxing an entry, a subsection or a section leaves every line where it was."""
    profile = textwrap.dedent(
        """\
        name: Spacing Test
        sections:
          - title: Experience
            entries:
              - {title: Job A, start: 2010, bullets: [one, two]}
              - {title: Job B, start: 2011, bullets: [three, four]}
              - {title: Job C, start: 2012, bullets: [five, six]}
          - title: Publications
            entries:
              - subsection: Sub
                entries: [{title: Paper A, authors: [Spacing Test, B], venue: V, date: 2020}]
              - {title: Paper B, authors: [Spacing Test, B], venue: V, date: 2021}
          - title: Skills
            entries:
              - {label: L1, text: T1}
              - {label: L2, text: T2}
        """
    )
    boxed = (
        profile.replace("{title: Job B,", "{keep_together: true, title: Job B,")
        .replace("- subsection: Sub\n", "- subsection: Sub\n        keep_together: true\n")
        .replace("{title: Paper A,", "{keep_together: true, title: Paper A,")
        .replace("  - title: Skills\n", "  - title: Skills\n    keep_together: true\n")
    )
    tops = []
    for name, text in (("plain", profile), ("boxed", boxed)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        (built,) = build(path, tmp_path / name)
        tops.append(line_tops(built.pdf))
    assert tops[0] == tops[1]
