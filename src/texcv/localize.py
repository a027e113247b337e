"""Stage 3: one language's view of a validated profile, ready for templates.

Translations are resolved, entries for other languages dropped, dates formatted in the language's
style, the owner's name found in author lists and social accounts turned into links.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from .dates import format_range
from .engine import has_cjk, right_to_left
from .markup import Inline, plain
from .social import NETWORKS
from .validation import Localized
from .words import locale_words


def view(profile: dict, lang: str) -> dict:
    """The profile as seen in `lang`: plain values only, ready for a template."""
    words = locale_words(lang)
    cv = _resolve(profile, lang)
    name = cv["name"]
    owner_names = _owner_names(name)
    sections = (_section(s, lang, words, owner_names) for s in cv["sections"] if s["lang"] in (None, lang))
    cv["sections"] = _arrange([s for s in sections if s["entries"]], cv["design"])
    cv["social"] = [_social(network, account) for network, account in cv["social"].items()]
    family_first = name["order"] == "family-first"
    first, last = (name["family"], name["given"]) if family_first else (name["given"], name["family"])
    joined = has_cjk(first or "") and has_cjk(last or "")
    name["full"] = Inline(("" if joined else " ").join(p for p in (first, last) if p))
    # moderncv puts a space between \name's two parts; a CJK name is written without one. A
    # right-to-left name goes whole into the first part: one span, its words read right to left.
    whole = joined or (right_to_left(first or "") and right_to_left(last or ""))
    name["first"], name["last"] = (name["full"], "") if whole else (first, last)
    cv["lang"] = lang
    cv["words"] = words
    cv["hints"] = list(dict.fromkeys(_hints(cv["sections"])))
    return cv


def _arrange(sections: list, design: dict) -> list:
    """design.section_order first (the rest after, as written), hidden_sections out, section_titles
    as new titles. schema.py has checked that every id names a section."""
    position = {section_id: i for i, section_id in enumerate(design["section_order"])}
    shown = [s for s in sections if s["id"] not in design["hidden_sections"]]
    for section in shown:
        section["title"] = design["section_titles"].get(section["id"], section["title"])
    return sorted(shown, key=lambda s: position.get(s["id"], len(position)))


def _hints(entries: list) -> Iterator[str]:
    """The texts printed in the left (date/label) column, to size it."""
    for entry in entries:
        if "entries" in entry:
            yield from _hints(entry["entries"])
        else:
            yield from (entry[k] for k in ("dates", "label") if entry.get(k))


def _resolve(value: Any, lang: str) -> Any:
    if isinstance(value, Localized):
        return value[lang]
    if isinstance(value, dict):
        return {k: _resolve(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, lang) for v in value]
    return value


def _section(section: dict, lang: str, words: dict, owner_names: set[str]) -> dict:
    entries = (_entry(e, lang, words, owner_names) for e in section["entries"] if e["lang"] in (None, lang))
    # A subsection left without entries in this language is dropped, like a section.
    section["entries"] = [e for e in entries if e["kind"] != "subsection" or e["entries"]]
    return section


def _entry(entry: dict, lang: str, words: dict, owner_names: set[str]) -> dict:
    if entry["kind"] == "subsection":
        return _section(entry, lang, words, owner_names)
    if "start" in entry:
        entry["dates"] = format_range(entry["date"], entry["start"], entry["end"], words)
    if entry["kind"] == "publication":
        entry["authors"] = [{"name": a, "is_owner": _name_key(a) in owner_names} for a in entry["authors"]]
    return entry


# Marks that may follow a name in an author list and do not change who it is.
_AUTHOR_MARKS = re.compile(
    r"[\s*†‡§¶#✉∗]+|\((corresponding|equal contribution|co-first)[^)]*\)|（[^）]*）", re.IGNORECASE
)


def _name_key(text: str) -> str:
    text = _AUTHOR_MARKS.sub("", plain(text))
    return re.sub(r"[.,-]", "", unicodedata.normalize("NFKC", text).casefold())


def _owner_names(name: dict) -> set[str]:
    """The owner's name as author lists write it: given or family name first ("Milintsevich, Kirill"),
    the given names in full or as initials ("K. Milintsevich", "Lovelace, A. A."), and the aliases."""
    family = name["family"] or ""
    given_names = re.split(r"[\s-]+", plain(name["given"]).strip())
    initials = [" ".join(g[:1] for g in given_names), given_names[0][:1]] if family and given_names[0] else []
    forms = {
        *(f"{given} {family}" for given in (name["given"], *initials)),
        *(f"{family} {given}" for given in (name["given"], *initials)),
        *name["aliases"],
    }
    return {_name_key(form) for form in forms if form.strip()}


def _social(network: str, account: str) -> dict:
    """A social account as moderncv's \\social[network][url]{shown} wants it."""
    pattern = NETWORKS[network].profile_url
    address = re.sub(r"^https?://", "", account)
    if address == account:  # a username
        username = account
        link = pattern.format(account) if pattern else ""
    else:
        link = address.rstrip("/")
        username = _username_from_url(pattern, link) or link
    shown = NETWORKS[network].label if network == "googlescholar" else username  # its user ids mean nothing
    return {"network": network, "username": username, "url": link, "shown": shown}


def _username_from_url(pattern: str, address: str) -> str | None:
    if not pattern:
        return None
    prefix = pattern.split("{}")[0]
    bare = address.removeprefix("www.")
    for candidate in (prefix, prefix.removeprefix("www.")):
        if candidate and bare.startswith(candidate.removeprefix("www.")):
            rest = bare[len(candidate.removeprefix("www.")) :]
            return re.split(r"[/?&#]", rest)[0] or None
    return None


_UNPRINTED = {
    "aliases",
    "bib",  # the .bib file and its selection; its entries are among the section's
    "source",
    "id",
    "jsonresume",
    "tags",
}  # id: a section's name for design options; jsonresume: kept for export


# Not the author's text: design values, language codes, the name order, texcv's built-in words, and
# the name's parts joined again (full, first, last: copies of given and family).
_NOT_WRITTEN = _UNPRINTED | {"design", "lang", "languages", "order", "words", "full", "first", "last"}


def texts(value: Any, skip: frozenset[str] | set[str] = _UNPRINTED) -> Iterator[str]:
    """Every string in a view that can be printed (but those under `skip`), for choosing the engine."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from texts(item, skip)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts(item, skip)


def written(view: dict) -> Iterator[str]:
    """The texts the profile's author wrote: their letters tell a document's direction."""
    return texts(view, _NOT_WRITTEN)
