"""Engine choice from the characters a document contains."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from helpers import pdf_text

from texcv import engine
from texcv.errors import UserError


@pytest.mark.parametrize(
    "texts, expected, cjk",
    [
        (["Plain ASCII & specials #1"], "pdflatex", False),
        (["Müller-Ørsted, Łódź, “quotes” — † × € …"], "pdflatex", False),
        (["吴侃", "Kan Wu"], "xelatex", True),
        (["한국어 텍스트"], "xelatex", True),
        (["Ελληνικά"], "xelatex", False),
        (["≥ 5"], "xelatex", False),
        (["Đinh Lan"], "xelatex", False),  # T1 would set Đ with Ð's glyph: its text would read Ð
    ],
)
def test_auto_choice(texts: list[str], expected: str, cjk: bool) -> None:
    choice = engine.choose(texts)
    assert (choice.engine, choice.cjk) == (expected, cjk), choice.reason


def test_requested_engine_wins_and_keeps_cjk_setup() -> None:
    assert engine.choose(["plain"], "lualatex").engine == "lualatex"
    assert engine.choose(["中文"], "xelatex").cjk


@pytest.mark.parametrize(
    "texts, requested, message",
    [
        (["中文"], "pdflatex", "pdflatex cannot set these characters"),
        (["Ελληνικά"], "pdflatex", "cannot set"),
        (["中文"], "lualatex", "needs xelatex"),
    ],
)
def test_a_requested_engine_that_cannot_set_the_text_is_a_clear_error(
    texts: list[str], requested: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        engine.choose(texts, requested)


@pytest.mark.tex
def test_pdflatex_character_list_matches_installed_tex() -> None:
    """src/texcv/data/pdflatex-chars.txt was derived from TeX Live's .dfu files; it must stay true."""

    def declared(name: str) -> set[int]:
        path = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()
        return {
            int(m, 16)
            for m in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", Path(path).read_text())
            if int(m, 16) > 0x7E
        }

    encodings = set().union(*(declared(name) for name in ("t1enc.dfu", "ts1enc.dfu", "ot1enc.dfu", "omsenc.dfu")))
    shipped = {c for c in engine.pdflatex_chars() if c > 0x7E}
    assert encodings - shipped == {0x0110}  # Đ: T1's glyph is Ð's, so its text would read Ð
    assert shipped - encodings == {0x02C6, 0x02DC, 0x2026} and shipped <= encodings | declared("utf8enc.dfu")


@pytest.mark.tex
def test_a_vietnamese_d_with_stroke_reads_back_as_itself(tmp_path: Path) -> None:
    from texcv.build import build

    profile = tmp_path / "dinh.yaml"
    profile.write_text("name: Đinh Lan\nsections:\n  - title: Đông Anh\n    entries: [Đoàn Minh]\n", encoding="utf-8")
    (built,) = build(profile, tmp_path / "out")
    assert built.engine == "xelatex"
    text = pdf_text(built.pdf)
    assert "Đinh Lan" in text and "Đoàn Minh" in text and "Ð" not in text


def test_the_error_names_the_fields_holding_the_characters(tmp_path) -> None:
    from texcv.build import Settings, documents

    path = tmp_path / "cv.yaml"
    path.write_text("name: Ada\nheadline: Ελληνικά\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        documents(path, Settings(design={"engine": "pdflatex"}))
    assert "cv.yaml:2:1: headline: has 'Ε' (U+0395)" in str(info.value)
