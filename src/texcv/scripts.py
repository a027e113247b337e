"""Fonts for every script, chosen before TeX runs.

Latin Modern sets Latin text; every other character goes to an installed font that has it (Noto
per script, from Debian's fonts-noto-core), one character class at a time, so a Latin CV with one
Greek co-author keeps its Latin font for everything else. What fontconfig says each font holds is
read once per process (one `fc-list` call, about 20 ms; a family's charset is parsed when first
asked about); a character no installed font has is named, with the Debian package that would add
it, before TeX runs.

`wrap` marks the runs of the LaTeX source that need another font (`\\texcvfont{A}{…}`) and the
right-to-left spans (`\\texcvR{…}`, Unicode bidi class R or AL) for the templates' macros.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from . import packages
from .fonts import faces, fontconfig

MAIN_FONTS = {"roman": "Latin Modern Roman", "sans": "Latin Modern Sans"}
# Latin beside Noto CJK in a CJK-language document: Latin Modern's thin strokes look grey there; Noto's
# Latin faces were drawn to match Noto CJK's weight.
CJK_MAIN_FONTS = {"roman": "Noto Serif", "sans": "Noto Sans"}
CORE = packages.NOTO_CORE


@dataclass(frozen=True)
class Script:
    name: str
    ranges: tuple[tuple[int, int], ...]
    sans: str
    serif: str
    package: str = CORE


def _noto(name: str, *ranges: tuple[int, int], sans: str = "", serif: str = "") -> Script:
    return Script(name, ranges, sans or f"Noto Sans {name}", serif or f"Noto Serif {name}")


SCRIPTS = (
    _noto("Greek", (0x0370, 0x03FF), (0x1F00, 0x1FFF), sans="Noto Sans", serif="Noto Serif"),
    _noto(
        "Cyrillic",
        (0x0400, 0x052F),
        (0x1C80, 0x1C8F),
        (0x2DE0, 0x2DFF),
        (0xA640, 0xA69F),
        sans="Noto Sans",
        serif="Noto Serif",
    ),
    _noto("Armenian", (0x0530, 0x058F), (0xFB13, 0xFB17)),
    _noto("Hebrew", (0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    _noto(
        "Arabic",
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
        serif="Noto Naskh Arabic",
    ),
    _noto("Devanagari", (0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    _noto("Bengali", (0x0980, 0x09FF)),
    _noto("Gurmukhi", (0x0A00, 0x0A7F)),
    _noto("Gujarati", (0x0A80, 0x0AFF)),
    _noto("Tamil", (0x0B80, 0x0BFF)),
    _noto("Telugu", (0x0C00, 0x0C7F)),
    _noto("Kannada", (0x0C80, 0x0CFF)),
    _noto("Malayalam", (0x0D00, 0x0D7F)),
    _noto("Sinhala", (0x0D80, 0x0DFF)),
    _noto("Thai", (0x0E00, 0x0E7F)),
    _noto("Lao", (0x0E80, 0x0EFF)),
    _noto("Myanmar", (0x1000, 0x109F)),
    _noto("Georgian", (0x10A0, 0x10FF), (0x2D00, 0x2D2F), (0x1C90, 0x1CBF)),
    _noto("Ethiopic", (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    _noto("Khmer", (0x1780, 0x17FF)),
    Script("Emoji", ((0x1F300, 0x1FAFF),), "Symbola", "Symbola", packages.SYMBOLA),
)
GENERAL = ("Noto Sans", "Noto Serif")  # Latin, Greek, Cyrillic and more, in one family each
# Symbols, arrows, mathematical operators, currency signs: the first of these that has one sets it.
SYMBOL_FONTS = ("Noto Sans Math", "Noto Sans Symbols", "Noto Sans Symbols2", "DejaVu Sans")


def script_of(char: str) -> Script | None:
    point = ord(char)
    return next((s for s in SCRIPTS if any(a <= point <= b for a, b in s.ranges)), None)


class Charset:
    """The code points one font family holds, as sorted [first, last] ranges."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        merged = sorted(ranges)
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __contains__(self, char: object) -> bool:
        point = ord(char) if isinstance(char, str) else -1
        i = bisect_right(self.starts, point) - 1
        return i >= 0 and point <= self.ends[i]


def _parse(charset: str) -> set[tuple[int, int]]:
    ranges = set()
    for item in charset.split():
        first, _, last = item.partition("-")
        ranges.add((int(first, 16), int(last or first, 16)))
    return ranges


def _faces() -> dict[str, list[str]]:
    """Family → the charsets of its Regular faces, as fontconfig writes them."""
    program = shutil.which("fc-list")
    return _read_faces(program) if program else {}


@lru_cache(maxsize=4)
def _read_faces(program: str) -> dict[str, list[str]]:
    """One call per fc-list program and process (about 20 ms)."""
    out = fontconfig(program, "-f", "%{family[0]}\t%{charset}\n", ":style=Regular")
    faces: dict[str, list[str]] = {}
    for line in out.splitlines():
        family, _, charset = line.partition("\t")
        faces.setdefault(family, []).append(charset)
    return faces


def charset(family: str) -> Charset | None:
    """What an installed family's Regular faces all hold (optical sizes differ a little: the common
    part); None when it is not installed. Parsed only for the families a document asks about."""
    faces = _faces().get(family)
    return _common(tuple(faces)) if faces else None


@lru_cache(maxsize=256)
def _common(faces: tuple[str, ...]) -> Charset:
    common = _parse(faces[0])
    for face in faces[1:]:
        common &= _parse(face)
    return Charset(common)


def main_charset(font: str, main_fonts: Mapping[str, str] = MAIN_FONTS) -> Charset | None:
    """What design.font sets: the sans or roman of `main_fonts` (Latin Modern, or Noto in a CJK
    document), or what every face of a named family has (a family's bold may hold fewer characters
    than its upright)."""
    if font in main_fonts:
        return charset(main_fonts[font])
    program = shutil.which("fc-query")
    return _common(tuple(_file_charset(program, file) for file in faces(font).files)) if program else None


@lru_cache(maxsize=64)
def _file_charset(program: str, file: str) -> str:
    return fontconfig(program, "-f", "%{charset}", file)


def has_italic(family: str) -> bool:
    """Whether an installed family has an italic or oblique face (Noto Sans does; Hebrew, Arabic and
    most script families do not)."""
    program = shutil.which("fc-list")
    return program is not None and family in _slanted_families(program)


@lru_cache(maxsize=4)
def _slanted_families(program: str) -> frozenset[str]:
    out = fontconfig(program, "-f", "%{family[0]}\t%{slant}\n")  # slant: 0 roman, 100 italic, 110 oblique
    faces = (line.partition("\t") for line in out.splitlines())
    return frozenset(family for family, _, slant in faces if slant.isdigit() and int(slant) > 0)


def has(family: str, char: str) -> bool:
    fonts = charset(family)
    return fonts is not None and char in fonts


@dataclass(frozen=True)
class Missing:
    char: str
    script: Script | None

    def __str__(self) -> str:
        name = unicodedata.name(self.char, "").title() or "unnamed"
        where = f"{self.script.name}: " if self.script else ""
        hint = (
            f"sudo apt-get install {self.script.package}"
            if self.script
            else "no Debian font package known to texcv has it"
        )
        return f"{self.char!r} (U+{ord(self.char):04X} {name}) is in no installed font ({where}{hint})"


@dataclass(frozen=True)
class Fallback:
    """The fonts a document needs besides its main one: character → family, and the families in order."""

    fonts: Mapping[str, str]
    families: tuple[str, ...]
    upright: frozenset[str] = frozenset()  # families with no italic face: their italic is declared upright
    shaping: Mapping[str, str] = field(default_factory=dict)  # family → the script it shapes (Arabic, …)

    def command(self, family: str) -> str:
        """The letters naming `family` in \\texcvfont{…}: A, B, …, Z, AA, …"""
        index, letters = self.families.index(family), ""
        while True:
            index, rest = divmod(index, 26)
            letters = chr(ord("A") + rest) + letters
            if not index:
                return letters
            index -= 1

    @property
    def commands(self) -> list[tuple[str, str]]:
        return [(self.command(family), family) for family in self.families]


def fallback(
    chars: Iterable[str], font: str, skip: Iterable[str] = (), main_fonts: Mapping[str, str] = MAIN_FONTS
) -> tuple[Fallback, list[Missing]]:
    """The families that set `chars` the main font (design.font: sans or roman of `main_fonts`, or a named
    family) lacks, and the characters no font has. Characters in `skip` (CJK, set by xeCJK) and spaces
    are left out."""
    main = main_charset(font, main_fonts)
    skipped = set(skip)
    chosen: dict[str, str] = {}
    missing = []
    for char in sorted(set(chars) - skipped):
        if char.isspace() or _is_mark_or_format(char) or (main is not None and char in main):
            continue
        family = next((f for f in _candidates(char, font) if has(f, char)), None)
        if family is None:
            missing.append(Missing(char, script_of(char)))
        else:
            chosen[char] = family
    families = tuple(dict.fromkeys(chosen.values()))
    upright = frozenset(f for f in families if not has_italic(f))
    return Fallback(chosen, families, upright, _shaping(chosen)), missing


def _shaping(chosen: Mapping[str, str]) -> dict[str, str]:
    """The script each family of one script sets, for HarfBuzz under lualatex: it shapes Arabic (joins
    its letters) only when told the script. Noto Sans and Noto Serif set several, and need no telling."""
    shaping = {}
    for char, family in chosen.items():
        script = script_of(char)
        if script and script.package == CORE and family in (script.sans, script.serif) and family not in GENERAL:
            shaping[family] = script.name
    return shaping


def _candidates(char: str, font: str) -> list[str]:
    script = script_of(char)
    own = [script.sans, script.serif] if script else []
    general = list(GENERAL)
    if font == "roman":
        own.reverse()
        general.reverse()
    return [*own, *general, *SYMBOL_FONTS]


def _is_mark_or_format(char: str) -> bool:
    """Combining marks and joiners are set by the font of the letter they belong to; controls,
    surrogates, private-use and unassigned characters never reach TeX (escape.clean drops them)."""
    return unicodedata.category(char)[0] == "M" or unicodedata.category(char) in ("Cf", "Cc", "Cs", "Co", "Cn")


def settable_scripts() -> tuple[list[Script], list[Script]]:
    """The scripts of SCRIPTS this machine can set (a font of theirs has their first letter) and those it cannot."""
    can: list[Script] = []
    cannot: list[Script] = []
    for script in SCRIPTS:
        first, last = script.ranges[0]
        letter = next(chr(p) for p in range(first, last + 1) if unicodedata.category(chr(p)) in ("Lo", "Lu", "So"))
        (can if has(script.sans, letter) or has(script.serif, letter) else cannot).append(script)
    return can, cannot


# --- marking the LaTeX source ----------------------------------------------------------------------

# TeX syntax: a run or span never crosses one, so wrapping keeps every group balanced.
_SYNTAX = frozenset("\\{}$&#%^_")


def wrap(tex: str, fallback: Fallback) -> str:
    """`tex` with each run of characters another family sets inside \\texcvfont{LETTERS}{…} and each
    right-to-left span inside \\texcvR{…}. A run spans the spaces and punctuation between characters
    of one family, so "Иван Петров" is one run; a word is set whole in the family of its first
    foreign character when that family has every letter of it (Nguyễn, not Nguy·ễ·n)."""
    if not fallback.fonts:
        return tex
    # Comment lines (a section's title over it) are left alone: a mark there would be commented out.
    # Masked with a Latin letter, they also end any run or span.
    text = re.sub(r"(?m)^%.*$", lambda comment: "x" * len(comment[0]), tex)
    keys = _keys(text, fallback)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for start, end in _rtl_spans(text):
        opens.setdefault(start, []).append(r"\texcvR{")
        closes.setdefault(end, []).append("}")
    for start, end, family in _runs(text, keys):
        opens.setdefault(start, []).append(rf"\texcvfont{{{fallback.command(family)}}}{{")
        closes.setdefault(end, []).insert(0, "}")
    out = []
    for i, char in enumerate(tex):
        out += closes.get(i, [])
        out += opens.get(i, [])
        out.append(char)
    out += closes.get(len(tex), [])
    return "".join(out)


def _keys(tex: str, fallback: Fallback) -> list[str | None]:
    """The family of each character (None: the main font); marks and joiners follow their letter."""
    keys: list[str | None] = []
    for char in tex:
        joined = _is_mark_or_format(char) and not char.isspace() and keys  # a line's end joins no letter
        keys.append(keys[-1] if joined else fallback.fonts.get(char))
    start = 0
    while start < len(tex):  # whole words in one family where it can
        end = start
        while end < len(tex) and _in_word(tex[end]):
            end += 1
        family = next((k for k in keys[start:end] if k is not None), None)
        if family is not None and all(has(family, c) for c in tex[start:end]):
            keys[start:end] = [family] * (end - start)
        start = end + 1
    return keys


def _in_word(char: str) -> bool:
    return char.isalnum() or _is_mark_or_format(char)


def _neutral(char: str) -> bool:
    """Spaces and punctuation: inside a run when it goes on after them (and its font has them: Noto Sans
    Hebrew has no brackets or guillemets, which the main font then sets)."""
    return char not in _SYNTAX and (char in " ~" or unicodedata.category(char)[0] in "PZ")


def _runs(tex: str, keys: list[str | None]) -> list[tuple[int, int, str]]:
    runs: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tex):
        family = keys[i]
        if family is None:
            i += 1
            continue
        end = j = i + 1
        while j < len(tex) and (keys[j] == family or (keys[j] is None and _neutral(tex[j]) and has(family, tex[j]))):
            j += 1
            if keys[j - 1] == family:
                end = j
        runs.append((i, end, family))
        i = end
    return runs


_BRACKETS = {"(": ")", "[": "]", "\u00ab": "\u00bb"}


def _rtl_spans(tex: str) -> list[tuple[int, int]]:
    """From a right-to-left letter to the last one (or number after it) before a left-to-right
    letter or TeX syntax: digits, spaces and punctuation between them go with them, and so does the
    partner of a bracket opened among them (Unicode bidi, in a left-to-right paragraph)."""
    spans: list[tuple[int, int]] = []
    start = last = -1  # -1: no span open
    opened: list[str] = []  # the partners of the brackets opened in the span
    for i, char in enumerate(tex):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            start, last = (i if start < 0 else start), i
        elif start < 0:
            continue
        elif opened and char == opened[-1]:
            opened.pop()
            last = i
        elif kind in ("EN", "AN", "NSM"):
            last = i  # numbers after right-to-left letters read with them; marks belong to their letter
        elif char in _BRACKETS:
            opened.append(_BRACKETS[char])
        elif kind == "L" or char in _SYNTAX:
            spans.append((start, last + 1))
            start = last = -1
            opened = []
    if start >= 0:
        spans.append((start, last + 1))
    return spans
