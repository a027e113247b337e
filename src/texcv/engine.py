"""Which TeX engine a document needs, from the characters it contains."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from .errors import UserError

if TYPE_CHECKING:
    from .fonts import Faces
    from .scripts import Fallback, Missing

# Han, kana, Hangul, CJK symbols and punctuation, fullwidth forms, CJK compatibility, Bopomofo.
CJK_RANGES = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{CJK_RANGES}]")
# LuaTeX reads U+FFFD in its input as the mark of invalid UTF-8 and stops ("String contains an invalid
# utf-8 sequence"), wherever it is: text, PDF metadata, links.
REPLACEMENT = "\ufffd"


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def right_to_left(text: str) -> bool:
    """Whether the first letter of `text` is written right to left (Hebrew, Arabic, …)."""
    return direction(text) == "rtl"


def direction(text: str) -> str | None:
    """ "rtl" or "ltr" by the first letter of `text` with a direction; None when none has one (digits)."""
    kind = next((k for k in map(unicodedata.bidirectional, text) if k in ("L", "R", "AL")), "")
    return {"L": "ltr", "R": "rtl", "AL": "rtl"}.get(kind)


@lru_cache(maxsize=1)
def pdflatex_chars() -> frozenset[int]:
    """Code points pdflatex can set (printable ASCII + the data file's ranges)."""
    points = set(range(0x20, 0x7F))
    for line in files("texcv").joinpath("data/pdflatex-chars.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


class EngineCannotSet(UserError):
    """The engine asked for cannot set some characters of the document."""

    def __init__(self, message: str, chars: list[str]):
        super().__init__(message)
        self.chars = chars

    def describe(self, chars: list[str]) -> str:
        """What a profile field holding `chars` is told."""
        return "has " + " ".join(f"{c!r} (U+{ord(c):04X})" for c in chars)


class NoFont(EngineCannotSet):
    """Characters no installed font has: found before TeX runs, each with the package that adds it."""

    def __init__(self, missing: list[Missing]):
        super().__init__(f"no installed font has {len(missing)} character(s) of the profile", [m.char for m in missing])
        self.missing = {m.char: m for m in missing}

    def describe(self, chars: list[str]) -> str:
        return "; ".join(str(self.missing[c]) for c in chars)


@dataclass(frozen=True)
class EngineChoice:
    engine: str
    cjk: bool  # load xeCJK and CJK fonts
    reason: str
    fallback: Fallback | None = None  # fonts for the characters the main font lacks (xelatex, lualatex)
    font: Faces | None = None  # a font family design.font names, set by fontspec


def _needs_shaping(char: str) -> bool:
    """Right-to-left letters, and the combining marks of Indic, Thai and other complex scripts."""
    return unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in ("Mn", "Mc")


def choose(texts: Iterable[str], requested: str = "auto", font: str = "roman") -> EngineChoice:
    """pdflatex when it can set every character; xelatex (with xeCJK for CJK, and a font per script
    for what the main font lacks) otherwise. `font` is design.font: roman, sans (Latin Modern) or an
    installed family, which fontspec sets: xelatex then, every character checked against it."""
    from .scripts import MAIN_FONTS

    named = font not in MAIN_FONTS
    settable = frozenset() if named else pdflatex_chars()
    foreign: set[str] = set()
    cjk = False
    for text in texts:
        if text.isascii() and not named:
            continue
        for char in text:
            if ord(char) not in settable and not char.isspace():
                foreign.add(char)
        cjk = cjk or has_cjk(text)
    sample = "".join(sorted(foreign)[:5])
    if requested == "pdflatex" and foreign:
        raise EngineCannotSet(
            "engine pdflatex cannot set these characters (use engine auto or xelatex)", sorted(foreign)
        )
    if requested == "lualatex" and cjk:
        raise EngineCannotSet(
            "CJK text is set with xeCJK, which needs xelatex, not lualatex (use engine auto or xelatex)",
            sorted(c for c in foreign if has_cjk(c)),
        )
    shaped = sorted(c for c in foreign if _needs_shaping(c))
    if requested == "lualatex" and shaped:
        raise EngineCannotSet(
            "right-to-left and complex scripts are ordered and shaped under xelatex, not lualatex "
            "(use engine auto or xelatex)",
            shaped,
        )
    if requested == "lualatex" and REPLACEMENT in foreign:
        message = (
            "lualatex stops at U+FFFD, the replacement character (a sign of text once decoded with the wrong "
            "encoding): write the character it replaced, or use engine auto or xelatex"
        )
        raise EngineCannotSet(message, [REPLACEMENT])
    if requested == "pdflatex" or (requested == "auto" and not foreign and not named):
        return EngineChoice("pdflatex", False, "requested" if requested != "auto" else "pdflatex sets every character")
    from .fonts import faces
    from .scripts import fallback

    fonts, missing = fallback(foreign, font, skip=(c for c in foreign if has_cjk(c)) if cjk else ())
    if missing:
        raise NoFont(missing)
    reason = (
        "requested"
        if requested != "auto"
        else f"font {font} is set by fontspec"
        if named
        else "CJK text"
        if cjk
        else f"characters pdflatex cannot set: {sample}"
    )
    return EngineChoice(
        "xelatex" if requested == "auto" else requested, cjk, reason, fonts, faces(font) if named else None
    )
