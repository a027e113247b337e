"""Which TeX engine a document needs, from the characters it contains."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
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
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
# The Noto CJK face for a language: Japanese, Korean and traditional Chinese glyph forms differ from
# simplified Chinese ones (SC, the rest).
CJK_FACES = {"ja": "JP", "ko": "KR", "zh-tw": "TC", "zh-hk": "TC", "zh-hant": "TC"}
CJK_LANGUAGES = ("zh", "ja", "ko")
# LuaTeX reads U+FFFD in its input as the mark of invalid UTF-8 and stops ("String contains an invalid
# utf-8 sequence"), wherever it is: text, PDF metadata, links.
REPLACEMENT = "\ufffd"


# Languages written right to left, by code, as babel names them: a CV in one is mirrored.
RTL_LANGUAGES = {
    "he": "hebrew",
    "yi": "yiddish",
    "ar": "arabic",
    "fa": "persian",
    "ur": "urdu",
    "ps": "pashto",
    "ckb": "centralkurdish",
    "ug": "uyghur",
}
# The comma between an entry's parts (title, employer, place) where moderncv writes ", ", in a CV in a
# language that writes another one: Chinese and Japanese (by code), Arabic-script languages (babel's names).
CJK_SEPARATORS = {"zh": "，", "ja": "、"}
ARABIC_COMMA_LANGUAGES = frozenset({"arabic", "persian", "urdu", "pashto", "centralkurdish", "uyghur"})


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


def rtl_language(texts: Iterable[str], lang: str) -> str:
    """babel's name for the language of a right-to-left document, "" for a left-to-right one: the
    language code says, or else the letters (most of them Hebrew or Arabic)."""
    by_code = RTL_LANGUAGES.get(lang.split("-")[0].lower())
    if by_code:
        return by_code
    letters = Counter(unicodedata.bidirectional(c) for text in texts for c in text if c.isalpha())
    if letters["R"] + letters["AL"] <= letters["L"]:
        return ""
    return "arabic" if letters["AL"] > letters["R"] else "hebrew"


def cjk_face(texts: Iterable[str], lang: str) -> str:
    """The Noto CJK face (SC, TC, JP, KR): the language's, or else JP for text with kana and KR for
    text with Hangul."""
    code = lang.lower()
    face = CJK_FACES.get(code) or CJK_FACES.get(code.split("-")[0])
    if face or code.split("-")[0] == "zh":
        return face or "SC"
    text = "".join(texts)
    return "JP" if _KANA.search(text) else "KR" if _HANGUL.search(text) else "SC"


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
    rtl_language: str = ""  # a right-to-left document's language, as babel names it: set mirrored (lualatex)
    cjk_face: str = ""  # the Noto CJK face (SC, TC, JP, KR) when cjk
    native_cjk: bool = False  # a document in a CJK language: Latin in Noto, CJK separators, upright title
    separator: str = ""  # the comma between an entry's parts, when not moderncv's ", "

    @property
    def main_fonts(self) -> Mapping[str, str]:
        """design.font (roman, sans) → the family that sets Latin text."""
        from .scripts import CJK_MAIN_FONTS, MAIN_FONTS

        return CJK_MAIN_FONTS if self.native_cjk else MAIN_FONTS


def _needs_shaping(char: str) -> bool:
    """Right-to-left letters, and the combining marks of Indic, Thai and other complex scripts."""
    return unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in ("Mn", "Mc")


def choose(
    texts: Iterable[str],
    requested: str = "auto",
    font: str = "roman",
    lang: str = "en",
    written: Iterable[str] | None = None,
) -> EngineChoice:
    """pdflatex when it can set every character; lualatex for a document in a right-to-left language
    (mirrored by babel); xelatex (with xeCJK for CJK, and a font per script for what the main font
    lacks) otherwise. `font` is design.font: roman, sans (Latin Modern) or an installed family, which
    fontspec sets (never pdflatex then; every character checked against it); `lang` the document's
    language code; `written` the texts the author wrote (all of `texts` when not given), whose letters
    tell the direction."""
    from .scripts import MAIN_FONTS

    texts = list(texts)
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
    mirrorable = requested in ("auto", "lualatex") and not cjk and REPLACEMENT not in foreign
    right_to_left_letters = mirrorable and any(map(right_to_left, foreign))
    rtl = rtl_language(texts if written is None else written, lang) if right_to_left_letters else ""
    shaped = sorted(c for c in foreign if _needs_shaping(c))
    if requested == "lualatex" and shaped and not rtl:
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

    named_faces = faces(font) if named else None
    if rtl:  # babel orders and mirrors it, under lualatex only
        reason = "requested" if requested != "auto" else f"a right-to-left document ({rtl})"
        comma = "\u060c" if rtl in ARABIC_COMMA_LANGUAGES else ""
        choice = EngineChoice("lualatex", False, reason, font=named_faces, rtl_language=rtl, separator=comma)
        foreign.update(comma)  # the template prints it: a font must have it
    else:
        native = cjk and lang.split("-")[0].lower() in CJK_LANGUAGES
        reason = (
            "requested"
            if requested != "auto"
            else f"font {font} is set by fontspec"
            if named
            else "CJK text"
            if cjk
            else f"characters pdflatex cannot set: {sample}"
        )
        choice = EngineChoice(
            "xelatex" if requested == "auto" else requested,
            cjk,
            reason,
            font=named_faces,
            cjk_face=cjk_face(texts, lang) if cjk else "",
            native_cjk=native,
            separator=CJK_SEPARATORS.get(lang.split("-")[0].lower(), "") if native else "",
        )
    fonts, missing = fallback(foreign, font, (c for c in foreign if has_cjk(c)) if cjk else (), choice.main_fonts)
    if missing:
        raise NoFont(missing)
    return replace(choice, fallback=fonts)
