"""Stage 3: one language's view of a validated profile, ready for templates.

Translations are resolved, entries for other languages dropped, dates formatted in the language's
style, the owner's name found in author lists and social accounts turned into links.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .dates import PartialDate, format_date, format_range
from .engine import has_cjk, right_to_left
from .escape import Latex
from .markup import Inline, plain
from .social import NETWORKS
from .validation import Localized
from .words import locale_words


def view(profile: dict, lang: str) -> dict:
    """The profile as seen in `lang`: plain values only, ready for a template."""
    words = locale_words(lang, Path(profile["source"]).parent)
    cv = resolve({key: value for key, value in profile.items() if key != "letters"}, lang)  # letters: letters.py
    name = cv["name"]
    owner_names = _owner_names(name)
    # A family that does not declare date_style gets the default style.
    date_style = cv["design"].get("date_style") or "month-year"
    sections = (_section(s, lang, words, owner_names, date_style) for s in cv["sections"] if s["lang"] in (None, lang))
    cv["sections"] = _arrange([s for s in sections if s["entries"]], cv["design"])
    for section in cv["sections"]:
        section["hints"] = _widest(list(dict.fromkeys(_hints(section["entries"]))))
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
    # The PDF's metadata in the document's language, and its hyphenation patterns (where TeX has them).
    cv["metadata"] = {
        "title": Inline(f"{name['full']} – {words['cv']}"),
        "subject": Inline(words["subject"].format(name=name["full"])),
        "lang": lang,
    }
    cv["hyphenation"] = words.get("hyphenation")
    cv["last_updated"] = _last_updated(cv["design"].get("last_updated"), words)
    return cv


def _last_updated(date: PartialDate | None, words: dict) -> str | None:
    """The footer design.last_updated asks for, to the month ("Last updated: Nov. 2026")."""
    if date is None:
        return None
    month = PartialDate(date.year, date.month) if date.month else date
    return words["last_updated"].format(date=format_date(month, words))


def _arrange(sections: list, design: dict) -> list:
    """design.section_order first (the rest after, as written), hidden_sections out, section_titles
    as new titles. schema.py has checked that every id names a section."""
    position = {section_id: i for i, section_id in enumerate(design["section_order"])}
    shown = [s for s in sections if s["id"] not in design["hidden_sections"]]
    for section in shown:
        section["title"] = design["section_titles"].get(section["id"], section["title"])
    return sorted(shown, key=lambda s: position.get(s["id"], len(position)))


def _widest(hints: list[str]) -> list[str]:
    """The texts of a section's date/label column that may be its widest, for TeX to measure: one of
    each shape (digits are all one width: "Oct. 28, 2019" stands for "Oct. 10, 2018"), and of those the
    widest and any within a fifth of it, as letters differ in width."""
    shapes: dict[str, str] = {}
    for hint in hints:
        shapes.setdefault(re.sub(r"\d", "0", plain(hint)), hint)
    longest = max(map(_width, shapes), default=0)
    return [hint for shape, hint in shapes.items() if _width(shape) >= 0.8 * longest]


def _width(text: str) -> int:
    """A text's width in Latin letters, roughly: a CJK character is two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _hints(entries: list) -> Iterator[str]:
    """The texts printed in the left (date/label) column, to size it."""
    for entry in entries:
        if "entries" in entry:
            yield from _hints(entry["entries"])
        else:
            yield from (entry[k] for k in ("dates", "label") if entry.get(k))


def resolve(value: Any, lang: str) -> Any:
    """`value` with each translation replaced by its text in `lang`."""
    if isinstance(value, Localized):
        return value[lang]
    if isinstance(value, dict):
        return {k: resolve(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, lang) for v in value]
    return value


def _section(section: dict, lang: str, words: dict, owner_names: set[str], date_style: str) -> dict:
    entries = (_entry(e, lang, words, owner_names, date_style) for e in section["entries"] if e["lang"] in (None, lang))
    # A subsection left without entries in this language is dropped, like a section.
    section["entries"] = [e for e in entries if e["kind"] != "subsection" or e["entries"]]
    if section.get("numbering"):
        _number(section["entries"], section["numbering"] == "descending")
    return section


def _number(entries: list, descending: bool) -> None:
    """Number a section's entries, counting across its subsections; descending counts down to 1."""
    flat = [e for entry in entries for e in (entry["entries"] if entry["kind"] == "subsection" else [entry])]
    for i, entry in enumerate(flat):
        entry["number"] = len(flat) - i if descending else i + 1


def _entry(entry: dict, lang: str, words: dict, owner_names: set[str], date_style: str) -> dict:
    if entry["kind"] == "subsection":
        return _section(entry, lang, words, owner_names, date_style)
    entry["number"] = None  # set by _number in a numbered section
    if entry["kind"] == "education":
        _as_experience(entry, words)
    if "start" in entry:
        entry["dates"] = format_range(entry["date"], entry["start"], entry["end"], words, date_style)
    if entry["kind"] == "publication":
        entry["authors"] = [{"name": a, "is_owner": _name_key(a) in owner_names} for a in entry["authors"]]
    return entry


_NUMERIC_SCORE = re.compile(r"[\d.,/ ]+")


def _as_experience(entry: dict, words: dict) -> None:
    """An education entry gets the fields its templates print as an experience entry's: its title
    ("Ph.D. in Computer Science") and note (the score, "GPA 3.9" when a number, else as written)."""
    degree, area, score = entry["degree"], entry["area"], entry["score"]
    entry["title"] = Inline(words["degree_in"].format(degree=degree, area=area)) if area else degree
    numeric = score is not None and _NUMERIC_SCORE.fullmatch(plain(score))
    entry["note"] = Inline(words["score"].format(score=score)) if numeric else score


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
    kind = NETWORKS[network]
    address = re.sub(r"^https?://", "", account)
    if address == account:  # a username
        username, link = account, kind.address(account)
    else:
        link = address.rstrip("/")
        username = kind.username(link) or link
    shown = kind.label if network == "googlescholar" else username  # its user ids mean nothing
    # icon: LaTeX for the moderncv family (networks moderncv has no symbol for), never printed as text
    return {
        "network": network,
        "label": kind.label,
        "icon": Latex(kind.icon),
        "username": username,
        "url": link,
        "shown": shown,
    }


_UNPRINTED = {
    "aliases",
    "bib",  # the .bib file and its selection; its entries are among the section's
    "source",
    "id",
    "jsonresume",
    "tags",
}  # id: a section's name for design options; jsonresume: kept for export


# Not the author's text: design values, language codes, the name order, texcv's built-in words, the
# name's parts joined again (full, first, last: copies of given and family) and the PDF's metadata.
_NOT_WRITTEN = _UNPRINTED | {"design", "lang", "languages", "order", "words", "full", "first", "last", "metadata"}


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
