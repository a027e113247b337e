"""Engine choice from the characters a document contains."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from texcv import engine


@pytest.mark.parametrize(
    "texts, expected, cjk",
    [
        (["Plain ASCII & specials #1"], "pdflatex", False),
        (["Müller-Ørsted, Łódź, “quotes” — † × €"], "pdflatex", False),
        (["吴侃", "Kan Wu"], "xelatex", True),
        (["한국어 텍스트"], "xelatex", True),
        (["Ελληνικά"], "xelatex", False),
        (["≥ 5"], "xelatex", False),
    ],
)
def test_auto_choice(texts: list[str], expected: str, cjk: bool) -> None:
    choice = engine.choose(texts)
    assert (choice.engine, choice.cjk) == (expected, cjk), choice.reason


def test_requested_engine_wins_and_keeps_cjk_setup() -> None:
    assert engine.choose(["plain"], "lualatex").engine == "lualatex"
    assert engine.choose(["中文"], "xelatex").cjk
    assert not engine.choose(["中文"], "pdflatex").cjk


@pytest.mark.tex
def test_pdflatex_character_list_matches_installed_tex() -> None:
    """src/texcv/data/pdflatex-chars.txt was derived from TeX Live's .dfu files; it must stay true."""
    declared: set[int] = set()
    for name in ("t1enc.dfu", "ts1enc.dfu", "ot1enc.dfu", "omsenc.dfu"):
        path = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()
        declared |= {int(m, 16) for m in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", Path(path).read_text())}
    shipped = {c for c in engine.pdflatex_chars() if c > 0x7E}
    assert shipped == {c for c in declared if c > 0x7E}
