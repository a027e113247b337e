"""Characters the fonts lack: xelatex and lualatex leave them out of the PDF and only say so in the
log. These warnings name each character and point at the profile fields that hold it, as
`FILE:LINE:COL: field: …`, so no text vanishes unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from .loader import Document, Path_, load


def warnings(missing: dict[str, list[str]], source: Path | str, lang: str) -> list[str]:
    """One warning per profile field holding characters in `missing` (character → fonts without
    it), and one per character found in no field (it came from a template or texcv's words)."""
    if not missing:
        return []
    doc, found, elsewhere = holders(missing, source, lang)
    out = [str(doc.problem(path, _message(chars, missing))) for path, chars in found.items()]
    out += [f"{_message([char], missing)} (from a template or texcv's own words)" for char in elsewhere]
    return out


def holders(chars: Iterable[str], source: Path | str, lang: str) -> tuple[Document, dict[Path_, list[str]], list[str]]:
    """The profile, the fields holding each of `chars` (field → its chars), and the chars in no field."""
    doc = load(source)
    languages = doc.data.get("languages", [lang])
    fields = list(_strings(doc.data, (), lang, set(languages if isinstance(languages, list) else [languages])))
    found: dict[Path_, list[str]] = {}
    elsewhere = []
    for char in chars:
        paths = [path for path, text in fields if char in text]
        for path in paths:
            found.setdefault(path, []).append(char)
        if not paths:
            elsewhere.append(char)
    return doc, found, elsewhere


def _message(chars: list[str], missing: dict[str, list[str]]) -> str:
    named = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in chars)  # all of them: none is lost unnamed
    fonts = list(dict.fromkeys(font for char in chars for font in missing[char]))
    one = len(chars) == 1
    return (
        f"{named} {'is' if one else 'are'} missing from the PDF: "
        f"{'font' if len(fonts) == 1 else 'fonts'} {', '.join(fonts)} {'has' if len(fonts) == 1 else 'have'} no glyph for {'it' if one else 'them'}"
    )


def _strings(value: Any, path: Path_, lang: str, languages: set) -> Iterator[tuple[Path_, str]]:
    """Every string in the profile file as written, except text meant for another language."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        if value.get("lang", lang) != lang:
            return  # an entry or section for another language
        translation = bool(value) and value.keys() <= languages  # {en: …, zh: …}
        for key, item in value.items():
            if not translation or key == lang:
                yield from _strings(item, path + (key,), lang, languages)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,), lang, languages)
