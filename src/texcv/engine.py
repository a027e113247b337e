"""Which TeX engine a document needs, from the characters it contains."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterable

# Han, kana, Hangul, CJK symbols and punctuation, fullwidth forms, CJK compatibility, Bopomofo.
CJK_RANGES = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{CJK_RANGES}]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@lru_cache(maxsize=1)
def pdflatex_chars() -> frozenset[int]:
    """Code points pdflatex can set (printable ASCII + the data file's ranges)."""
    points = set(range(0x20, 0x7F))
    for line in files("texcv").joinpath("data/pdflatex-chars.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@dataclass(frozen=True)
class EngineChoice:
    engine: str
    cjk: bool  # load xeCJK and CJK fonts
    reason: str


def choose(texts: Iterable[str], requested: str = "auto") -> EngineChoice:
    """pdflatex when it can set every character; xelatex (with xeCJK for CJK) otherwise."""
    settable = pdflatex_chars()
    foreign: set[str] = set()
    cjk = False
    for text in texts:
        if text.isascii():
            continue
        for char in text:
            if ord(char) not in settable and not char.isspace():
                foreign.add(char)
        cjk = cjk or has_cjk(text)
    if requested != "auto":
        return EngineChoice(requested, cjk and requested != "pdflatex", "requested")
    if cjk:
        return EngineChoice("xelatex", True, "CJK text")
    if foreign:
        sample = "".join(sorted(foreign)[:5])
        return EngineChoice("xelatex", False, f"characters pdflatex cannot set: {sample}")
    return EngineChoice("pdflatex", False, "pdflatex sets every character")
