"""Which fields of a profile file hold a given text: to point a message about the PDF (a character
without a glyph, a word missing from the text layer) at the line the user wrote it on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .loader import Path_, Source

# Keys whose values templates use as settings, identifiers, icons, file names or link targets, or keep for
# another format (jsonresume): never text a reader sees on the page (the account shown for a social
# network is built from its address).
NOT_TEXT = frozenset(
    {"design", "photo", "kind", "url", "icon", "lang", "languages", "tags", "id", "social", "page_break", "jsonresume"}
)


def holders(
    items: Iterable[str],
    doc: Source,
    lang: str,
    prepare: Callable[[str], str] = str,
    skip: frozenset[str] = frozenset(),
) -> tuple[dict[Path_, list[str]], list[str]]:
    """The fields of the profile file `doc` holding each of `items` (field → its items), and the
    items in no field. A field holds an item when prepare(item) occurs in prepare(field text);
    fields under a key in `skip` are not looked at."""
    languages = doc.data.get("languages", [lang])
    fields = [
        (path, text)
        for path, text in _strings(doc.data, (), lang, set(languages if isinstance(languages, list) else [languages]))
        if skip.isdisjoint(p for p in path if isinstance(p, str))
    ]
    prepared = [(path, prepare(text)) for path, text in fields]
    found: dict[Path_, list[str]] = {}
    elsewhere = []
    for item in items:
        wanted = prepare(item)
        paths = [path for path, text in prepared if wanted in text]
        for path in paths:
            found.setdefault(path, []).append(item)
        if not paths:
            elsewhere.append(item)
    return found, elsewhere


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
