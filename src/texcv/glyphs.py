"""Characters the fonts lack: xelatex and lualatex leave them out of the PDF and only say so in the
log. These messages name each character and point at the profile fields that hold it, as
`FILE:LINE:COL: field: …`, so no text vanishes unnoticed.
"""

from __future__ import annotations

import unicodedata

from .fields import holders
from .loader import Source


def problems(missing: dict[str, list[str]], source: Source, lang: str) -> tuple[list[str], list[str]]:
    """Messages about the characters in `missing` (character → fonts without it): one per profile
    field holding visible ones (text lost from the CV), and one per field or other source holding
    only invisible characters (bidi controls, joiners, variation selectors), or characters found in no field
    (they came from a template or texcv's words)."""
    if not missing:
        return [], []
    found, elsewhere = holders(missing, source, lang)
    lost: list[str] = []
    minor: list[str] = []
    for path, chars in found.items():
        visible = not all(map(_invisible, chars))
        (lost if visible else minor).append(str(source.problem(path, _message(chars, missing))))
    minor += [f"{_message([char], missing)} (from a template or texcv's own words)" for char in elsewhere]
    return lost, minor


def _invisible(char: str) -> bool:
    """Format characters (bidi controls, joiners) and variation selectors: they have no glyph of
    their own, so a font without one loses nothing a reader would see."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF


def _message(chars: list[str], missing: dict[str, list[str]]) -> str:
    named = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in chars)  # all of them: none is lost unnamed
    fonts = list(dict.fromkeys(font for char in chars for font in missing[char]))
    one = len(chars) == 1
    return (
        f"{named} {'is' if one else 'are'} missing from the PDF: "
        f"{'font' if len(fonts) == 1 else 'fonts'} {', '.join(fonts)} {'has' if len(fonts) == 1 else 'have'}"
        f" no glyph for {'it' if one else 'them'}"
    )
