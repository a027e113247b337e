"""packages.py names each Debian package texcv uses once; tasks.sh, which installs them on a new
machine and in CI, must install every one of them."""

from __future__ import annotations

import re

from helpers import ROOT

from texcv import packages


def test_tasks_sh_installs_every_package_texcv_names() -> None:
    script = (ROOT / "tasks.sh").read_text(encoding="utf-8")
    installed = set(re.search(r"PACKAGES=\(([^)]*)\)", script).group(1).split())  # type: ignore[union-attr]
    named = {*packages.EVERYTHING, *packages.ENGINES.values(), *packages.FONTS.values(), *packages.TESTS_ONLY}
    assert named - installed == set()
    assert installed - named == {"texlive-latex-base", "texlive-latex-recommended", "python3-venv"}
