"""An installed (non-editable) texcv works on its own: the templates and data ship inside the wheel.

Builds a wheel from the repository into a fresh venv and runs the installed `texcv` from a directory
that has no templates/ of its own, with nothing from the source tree on sys.path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import MINI, ROOT, pdf_text


def _run(command: list, cwd: Path, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return result


@pytest.mark.tex
def test_installed_wheel_builds_a_pdf(tmp_path: Path):
    started = time.perf_counter()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=env)
    python, texcv = venv / "bin" / "python", venv / "bin" / "texcv"
    # A regular (non-editable) install: pip builds a wheel with hatchling and installs it.
    _run([python, "-m", "pip", "install", "--quiet", ROOT], cwd=tmp_path, env=env)

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "profile.yaml").write_text(MINI, encoding="utf-8")

    located = _run(
        [python, "-c", "import texcv, texcv.templates as t; print(texcv.__file__); print(t.packaged_templates())"],
        cwd=work,
        env=env,
    )
    module, templates = map(Path, located.stdout.split("\n")[:2])
    site = venv / "lib"
    assert site in module.parents, f"texcv imported from {module}, not the venv"
    assert site in templates.parents and (templates / "moderncv" / "cv.tex.j2").is_file(), (
        f"templates not inside the package: {templates}"
    )
    assert ROOT not in module.parents

    result = _run([texcv, "build", "profile.yaml", "-o", "out"], cwd=work, env=env)
    pdf = work / "out" / "profile.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-"), result.stderr
    assert "Müller-Ørsted" in pdf_text(pdf)
    assert sorted(p.name for p in work.iterdir()) == ["out", "profile.yaml"], "nothing written outside -o"

    # The installed program reports exit statuses the same way.
    bad = subprocess.run(
        [texcv, "render", "missing.yaml"], cwd=work, env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert time.perf_counter() - started < 120, "packaging test is getting slow"
