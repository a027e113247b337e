"""`texcv build --formats …` and design.formats: every output of a profile in one run, beside the
PDF with its name, from one validation; the build line names each file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import LOCATED, MINI, cli

from texcv import build as build_module
from texcv import loader


def profile(tmp_path: Path, design: str = "") -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text(MINI + design, encoding="utf-8")
    return path


def written(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def test_text_formats_without_typesetting(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cv, out = profile(tmp_path), tmp_path / "out"
    status, _, err = cli(capsys, "build", cv, "-o", out, "--formats", "html,md,txt,json")
    assert status == 0, err
    assert written(out) == ["cv.html", "cv.json", "cv.md", "cv.txt"]  # no PDF, no .tex: TeX never ran
    assert f"texcv: wrote {out / 'cv.html'}, {out / 'cv.md'}, {out / 'cv.txt'}, {out / 'cv.json'}\n" in err
    # the same files `export` writes
    for fmt, name in (("html", "cv.html"), ("markdown", "cv.md"), ("text", "cv.txt"), ("jsonresume", "cv.json")):
        assert cli(capsys, "export", cv, "-f", fmt, "-o", tmp_path / name)[0] == 0
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_profile_chooses_its_default_set(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cv, out = profile(tmp_path, "design: {formats: [tex, md]}\n"), tmp_path / "out"
    assert cli(capsys, "build", cv, "-o", out)[0] == 0
    assert written(out) == ["cv.md", "cv.tex"]
    assert "\\documentclass" in (out / "cv.tex").read_text("utf-8")
    assert cli(capsys, "build", cv, "-o", tmp_path / "other", "--formats", "txt")[0] == 0  # the command line wins
    assert written(tmp_path / "other") == ["cv.txt"]


def test_one_validation_for_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []
    real_load = loader.load
    monkeypatch.setattr(loader, "load", lambda path: loads.append(Path(path)) or real_load(path))
    cv = profile(tmp_path)
    assert cli(capsys, "build", cv, "-o", tmp_path / "out", "--formats", "tex,html,md,txt,json")[0] == 0
    assert loads == [cv]


def test_unknown_format_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, _, err = cli(capsys, "build", profile(tmp_path), "--formats", "pdf,htm")
    assert status == 2
    assert "argument --formats: unknown format 'htm' (expected a comma-separated list of: pdf, tex, html" in err
    assert "did you mean 'html'?" in err and "Traceback" not in err


def test_unknown_format_in_the_profile_is_located(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cv = profile(tmp_path, "design:\n  formats: [pdf, docx]\n")
    status, _, err = cli(capsys, "build", cv, "-o", tmp_path / "out")
    line = MINI.count("\n") + 2
    assert status == 1
    match = LOCATED.match(err.splitlines()[0])
    assert match is not None, err
    assert (match["line"], match["col"], match["path"]) == (str(line), "18", "design.formats[1]")
    assert "output format" in match["message"] and "html" in match["message"]
    assert not (tmp_path / "out").exists()


def test_no_format_writes_over_an_input(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cv, out = profile(tmp_path), tmp_path / "out"
    out.mkdir()
    os.symlink(cv, out / "cv.md")
    before = cv.read_bytes()
    status, _, err = cli(capsys, "build", cv, "-o", out, "--formats", "md")
    assert status == 1 and "is the profile" in err and "does not write over its inputs" in err
    assert cv.read_bytes() == before


@pytest.mark.tex
def test_every_format_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    real_documents = build_module.documents
    monkeypatch.setattr(build_module, "documents", lambda *a, **k: renders.append("") or real_documents(*a, **k))
    cv, out = profile(tmp_path), tmp_path / "out"
    status, _, err = cli(capsys, "build", cv, "-o", out, "--formats", "pdf,tex,html,md,txt,png,json", "--png-dpi", "20")
    assert status == 0, err
    assert written(out) == [
        *("cv-1.png", "cv.html", "cv.json", "cv.log", "cv.md", "cv.pdf", "cv.tex", "cv.txt"),
    ]
    line = next(line for line in err.splitlines() if line.startswith(f"texcv: wrote {out / 'cv.pdf'} ("))
    assert line.endswith(
        f"), {out / 'cv-1.png'}, {out / 'cv.html'}, {out / 'cv.md'}, {out / 'cv.txt'}, {out / 'cv.json'}"
    )
    assert len(renders) == 1  # one LaTeX render for the language, whatever the formats
