"""`texcv doctor`: found or missing, versions, install commands, exit status — on a PATH we control."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from helpers import cli

from texcv.doctor import NEEDS


def program(directory: Path, name: str, script: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An otherwise empty PATH."""
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", str(directory))
    return directory


def fake_tex_tree(bin_dir: Path, tex_files: dict[str, str]) -> None:
    """kpsewhich that finds exactly `tex_files` (name → \\Provides line)."""
    tree = bin_dir.parent / "texmf"
    tree.mkdir()
    for name, provides in tex_files.items():
        (tree / name).write_text(provides + "\n", encoding="latin-1")
    program(bin_dir, "kpsewhich", f'for f in "$@"; do [ -e "{tree}/$f" ] && echo "{tree}/$f"; done; true')


def test_nothing_installed(capsys, bin_dir):
    status, out, err = cli(capsys, "doctor")
    assert status == 4
    lines = out.splitlines()
    for need in NEEDS:
        line = next(line for line in lines if f" {need.name} " in line)
        assert line.startswith("MISSING" if need.required else "missing"), line
        assert line.endswith(f"sudo apt-get install {need.package}"), line
    assert "sudo apt-get install texlive-latex-extra texlive-fonts-extra lmodern poppler-utils\n" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_default_path_present_optional_missing(capsys, bin_dir):
    program(bin_dir, "pdflatex", 'echo "pdfTeX 3.14159265-2.6-1.40.99 (Fake TeX)"; echo "second line"')
    fake_tex_tree(
        bin_dir,
        {
            "moderncv.cls": (
                r"\ProvidesClass{moderncv}"
                r"[2022-02-21 v2.3.1 modern curriculum vitae and letter document class]"
            ),
            "fontawesome5.sty": r"\ProvidesExplPackage{fontawesome5}{2022/05/02}{5.15.4}{Font Awesome 5}",
            "lmodern.sty": r"\ProvidesPackage{lmodern}[2015/05/01 v1.6.1 Latin Modern Fonts]",
        },
    )
    program(bin_dir, "fc-list", 'echo "Noto Sans CJK SC,Noto Sans CJK SC Regular"; echo "DejaVu Sans"')
    program(bin_dir, "pdftotext", 'echo "pdftotext version 22.02.0" >&2')  # every build reads its PDF back
    status, out, err = cli(capsys, "doctor")
    assert status == 0, out
    assert "ok       pdflatex" in out and "pdfTeX 3.14159265-2.6-1.40.99 (Fake TeX)" in out
    assert "2.3.1 (2022-02-21)" in out and "5.15.4 (2022/05/02)" in out and "1.6.1 (2015/05/01)" in out
    assert "ok       Noto Sans CJK SC" in out
    assert "missing  xelatex" in out and "sudo apt-get install texlive-xetex" in out
    assert "The default build works; the missing items are optional." in out


def test_colour_on_a_terminal_only(capsys, bin_dir, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    status, out, err = cli(capsys, "doctor")
    assert "\x1b[31mMISSING" in out
    monkeypatch.setenv("NO_COLOR", "1")
    status, out, err = cli(capsys, "doctor")
    assert "\x1b[" not in out


@pytest.mark.tex
def test_this_machine(capsys):
    status, out, err = cli(capsys, "doctor")
    assert status == 0, out
    assert "ok       moderncv.cls" in out


def test_hyphenation_patterns_installed_and_missing(capsys, bin_dir):
    """language.dat names the patterns TeX has; a language whose patterns are missing is named with
    the package that adds them."""
    fake_tex_tree(
        bin_dir, {"language.dat": "% comment\nrussian loadhyph-ru.tex\nngerman loadhyph-de-1996.tex\n=german"}
    )
    status, out, err = cli(capsys, "doctor")
    hyphenated = next(line for line in out.splitlines() if line.startswith("Languages TeX hyphenates:"))
    assert hyphenated == "Languages TeX hyphenates: en, de, ru"
    assert "fr (sudo apt-get install texlive-lang-french)" in out
    assert "nl, sv, tr (sudo apt-get install texlive-lang-european)" in out
