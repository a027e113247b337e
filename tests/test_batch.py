"""`texcv build -j N`: several profiles at once, a line per PDF and a summary; a failing profile does
not stop the others, and the exit status reports it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

import texcv.batch
from texcv.build import Settings
from texcv.cli import main
from texcv.commands.options import add_profile_options, settings


def _profiles(folder: Path) -> list[Path]:
    good = [folder / f"cv{i}.yaml" for i in range(3)]
    for i, path in enumerate(good):
        path.write_text(f"name: Person {i}\nsections: [{{title: Work, entries: [Job {i}]}}]\n", encoding="utf-8")
    invalid = folder / "broken.yaml"
    invalid.write_text("name: Nobody\nsections: [{title: Work, entries: [{start: 2020}]}]\n", encoding="utf-8")
    tex_fails = folder / "tex-fails.yaml"  # its own template for bullets writes an undefined macro
    (folder / "broken-templates" / "moderncv" / "entries").mkdir(parents=True)
    (folder / "broken-templates" / "moderncv" / "entries" / "bullet.tex.j2").write_text(
        "\\cvlistitem{((( entry.text )))}\\nosuchmacro\n", encoding="utf-8"
    )
    tex_fails.write_text(
        "name: Someone\ndesign: {template_dir: broken-templates}\nsections: [{title: Work, entries: [Work]}]\n",
        encoding="utf-8",
    )
    return [good[0], invalid, good[1], tex_fails, good[2]]


@pytest.mark.tex
def test_jobs_build_every_good_profile_and_report_the_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profiles = _profiles(tmp_path)
    status = main(["build", *map(str, profiles), "-o", str(tmp_path / "out"), "-j", "2"])
    err = capsys.readouterr().err
    assert status == 1  # the first failing profile on the command line (invalid: 1) sets it, not the TeX failure (3)
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["cv0.pdf", "cv1.pdf", "cv2.pdf"]
    assert err.count("(pdflatex, 1 page(s), 1 pass,") == 3
    assert "broken.yaml:2" in err and "pdflatex failed" in err
    assert "3 PDF(s) from 3 of 5 profiles" in err and "failed: " in err and "broken.yaml" in err.splitlines()[-1]


@pytest.mark.tex
def test_status_follows_the_command_line_not_the_finishing_order(tmp_path: Path) -> None:
    profiles = _profiles(tmp_path)
    # The invalid profile fails long before TeX does; the TeX failure comes first on the command line.
    assert main(["build", str(profiles[3]), str(profiles[1]), "-o", str(tmp_path / "out"), "-j", "2"]) == 3


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "texcv", "build", "x.yaml", "-j", jobs], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2 and "-j/--jobs" in result.stderr


@pytest.mark.tex
def test_bench_quick_mode_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "cores" in out and "pdfTeX" in out and "Python" in out
    assert "gen000 | pdflatex" in out
    assert "batch of 3 generated profiles" in out and "speed-up" in out
    assert "unchanged rebuild" in out


# --- one output file, one profile -------------------------------------------------------------------

ONE = "name: A B\nsections: [{title: S, entries: [{title: T}]}]\n"
TWO_LANGUAGES = "languages: [en, de]\n" + ONE


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        (("a/cv.yaml", ONE), ("b/cv.yaml", ONE), "cv.pdf"),  # the case: two folders, one name
        (("x.yaml", TWO_LANGUAGES), ("x.en.yaml", ONE), "x.en.pdf"),  # x.yaml's English CV is x.en
        (("cv.yaml", ONE), ("./cv.yaml", ONE), "cv.pdf"),  # one profile given twice
    ],
)
def test_profiles_writing_one_file_are_refused_before_anything_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: tuple, second: tuple, shared: str
) -> None:
    profiles = [_write(tmp_path / name, text) for name, text in (first, second)]
    other = _write(tmp_path / "other.yaml", ONE)
    status = main(["build", *map(str, profiles), str(other), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        f"texcv: error: {profiles[0]} and {profiles[1]} would both write {tmp_path / 'out' / shared};"
        " build them into different directories (-o) or rename one\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("first", "second", "options"),
    [
        (("x.yaml", TWO_LANGUAGES), ("x.en.yaml", ONE), ["--lang", "de"]),  # x.yaml writes only x.de
        (("x.yaml", ONE), ("x.en.yaml", ONE), []),  # one language: x.yaml writes x, not x.en
        (("cv.yaml", ONE), ("cv.yaml", "name: [broken\n"), []),  # one with an error writes nothing; its build says why
    ],
)
def test_profiles_with_distinct_outputs_pass(tmp_path: Path, first: tuple, second: tuple, options: list[str]) -> None:
    profiles = [_write(tmp_path / folder / name, text) for folder, (name, text) in zip("ab", (first, second))]
    parser = argparse.ArgumentParser()
    add_profile_options(parser)
    texcv.batch.refuse_shared_outputs(profiles, tmp_path / "out", settings(parser.parse_args(options)))  # no error


def test_profiles_named_apart_are_not_read_for_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    monkeypatch.setattr(texcv.batch, "_loaded", lambda path, settings: read.append(path))
    profiles = [tmp_path / name for name in ("ada.yaml", "grace.yaml", "cv.yaml", "cv.de.yaml")]
    texcv.batch.refuse_shared_outputs(profiles, tmp_path, Settings())
    assert read == profiles[2:]
