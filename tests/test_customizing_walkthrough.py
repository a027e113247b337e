"""docs/customizing.md, executed: its file blocks are written and its sh blocks run, in order, in an
empty directory. A block whose info string has `file=PATH` is a file to save; `sh` blocks are
commands (run with bash -e -o pipefail, so a `grep` that finds nothing fails the step); `text`
blocks are sample output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

DOC = ROOT / "docs" / "customizing.md"
BLOCK = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str | None, str]]:
    """(language, file to write or None, content) for each fenced block of the walk-through."""
    found = []
    for language, info, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        file = re.search(r"\bfile=(\S+)", info)
        found.append((language, file.group(1) if file else None, body))
    return found


def test_every_block_is_a_file_a_command_or_sample_output():
    kinds = [(language, file is not None) for language, file, _ in blocks()]
    assert all(is_file or language in ("sh", "text") for language, is_file in kinds), kinds
    assert sum(language == "sh" for language, _ in kinds) >= 7 and sum(is_file for _, is_file in kinds) >= 4


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
    for number, (language, file, body) in enumerate(blocks(), 1):
        if file is not None:
            target = work / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif language == "sh":
            step = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", body],
                cwd=work,
                env=env,
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
    assert "\\MakeUppercase{Employment}" in tex and "Skills" not in tex
    assert tex.index("Publications") < tex.index("Employment")
