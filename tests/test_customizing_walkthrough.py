"""docs/customizing.md, executed: its file blocks are written and its sh blocks run, in order, in an
empty directory. A block whose info string has `file=PATH` is a file to save; `sh` blocks are
commands (run with bash -e -o pipefail, so a `grep` that finds nothing fails the step); `text`
blocks are sample output. An `sh after-upgrade` block runs with a later texcv: a copy of this one
whose packaged pieces UPGRADED changed (the real package is never edited)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

DOC = ROOT / "docs" / "customizing.md"
BLOCK = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
UPGRADED = ("ats/preamble.tex.j2", "ats/entries/experience.tex.j2")  # what the walk-through says an upgrade changes


def blocks() -> list[tuple[str, str | None, str, bool]]:
    """(language, file to write or None, content, whether it runs after an upgrade) for each fenced
    block of the walk-through."""
    found = []
    for language, info, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        file = re.search(r"\bfile=(\S+)", info)
        found.append((language, file.group(1) if file else None, body, "after-upgrade" in info.split()))
    return found


def upgraded_texcv(folder: Path) -> Path:
    """A copy of this texcv, installed-style (templates inside the package), with the pieces of
    UPGRADED changed as a later version might change them; returns the folder to put on PYTHONPATH."""
    package = folder / "texcv"
    shutil.copytree(ROOT / "src" / "texcv", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", package / "templates")
    for name in UPGRADED:
        piece = package / "templates" / name
        piece.write_text(piece.read_text(encoding="utf-8") + "((= changed in a later texcv =))\n", encoding="utf-8")
    return folder


def test_every_block_is_a_file_a_command_or_sample_output():
    kinds = [(language, file is not None) for language, file, _, _ in blocks()]
    assert all(is_file or language in ("sh", "text") for language, is_file in kinds), kinds
    assert sum(language == "sh" for language, _ in kinds) >= 7 and sum(is_file for _, is_file in kinds) >= 4
    assert [language for language, _, _, upgraded in blocks() if upgraded] == ["sh"]


@pytest.mark.tex
def test_walkthrough(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    texcv = bin_dir / "texcv"  # the working tree's texcv, whatever else is on PATH
    texcv.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m texcv "$@"\n', encoding="utf-8")
    texcv.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", NO_COLOR="1")
    env["PYTHONPATH"] = str(ROOT / "src")  # this tree's texcv, not an installed one
    later = dict(env, PYTHONPATH=str(upgraded_texcv(tmp_path / "upgraded")))
    for number, (language, file, body, after_upgrade) in enumerate(blocks(), 1):
        if file is not None:
            target = work / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif language == "sh":
            step = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", body],
                cwd=work,
                env=later if after_upgrade else env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert step.returncode == 0, (
                f"block {number} failed ({step.returncode}):\n{body}\n"
                f"--- stdout\n{step.stdout}\n--- stderr\n{step.stderr}"
            )
    # The state the walk-through ends in: the new family built the PDF, with every change in it.
    tex = (work / "out" / "cv.tex").read_text(encoding="utf-8")
    assert "\\section*{Employment}" in tex and "Skills" not in tex
    assert "1843}\\texcvsep{}\\textbf{Analyst}\\texcvsep{}Analytical Engine project" in tex
    assert tex.index("Publications") < tex.index("Employment")
