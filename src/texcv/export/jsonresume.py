"""JSON Resume (jsonresume.org/schema) to a texcv profile and back.

Each JSON Resume section becomes a texcv section marked `jsonresume: <section>`; each of its items an
entry whose printed fields carry what the item says (SECTIONS below says which field goes where).
Import then exports its own result and compares: every value that would not come back exactly (a
`type` of a project, a URL texcv cannot link, a location split into parts) is kept, as given, under
the entry's (or the profile's) `jsonresume:` key, which is never printed. Export puts a kept value
back while the printed field it came from still says what import made of it; an edited field wins.
So a round trip loses nothing, and import names, by JSON path, every value the PDF does not show.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from .. import loader, localize, schema, validation
from ..dates import PRESENT, FreeDate, PartialDate
from ..errors import Problem, ProfileError
from ..escape import paragraphs
from ..loader import Source
from ..markup import Block, Inline
from ..social import NETWORKS, icon_names
from .prose import PlainText

NO_NAME = "Your Name"


@dataclass(frozen=True)
class Slot:
    """JSON Resume keys printed in one texcv field, and how to go from one to the other."""

    keys: tuple[str, ...]
    field: str
    compose: Callable[..., Any]  # the keys' values (None when absent) → the field's value, or None
    parse: Callable[[Any], tuple]  # the field's value → the keys' values (None: left out)


def text(key: str, field: str) -> Slot:
    return Slot((key,), field, _stripped, lambda value: (value,))


def _stripped(value: Any) -> Any:
    """Text as the profile holds it (texcv trims it; the exact value is kept if it differs)."""
    return value.strip() if isinstance(value, str) else value


def listed(key: str, field: str = "bullets") -> Slot:
    return Slot((key,), field, lambda items: items or None, lambda items: (list(items) or None,))


def joined(key: str, field: str) -> Slot:
    """A list of words printed as one comma-separated line."""
    return Slot((key,), field, lambda words: ", ".join(words) if words else None, lambda line: (line.split(", "),))


def link(key: str = "url") -> Slot:
    def compose(url: str | None) -> list | None:
        return [{"label": re.sub(r"^https?://(www\.)?|/+$", "", url).split("/")[0], "url": url}] if url else None

    return Slot((key,), "links", compose, lambda links: (links[0]["url"] if links else None,))


def pair(first: str, second: str, field: str, separator: str, lone: int, words: bool = False) -> Slot:
    """Two keys in one field, `first<separator>second`; a field without the separator is the value
    of key number `lone`. With `words`, the second key is a list printed comma-separated."""

    def compose(one: Any, two: Any) -> str | None:
        return separator.join(p for p in (one, ", ".join(two) if words and two else two) if p) or None

    def parse(value: str) -> tuple:
        one, found, two = value.partition(separator)
        parts = [one, two] if found else [one if lone == 0 else None, one if lone == 1 else None]
        return (parts[0], parts[1].split(", ") if words and parts[1] else parts[1])

    return Slot((first, second), field, compose, parse)


@dataclass(frozen=True)
class Section:
    title: str  # the texcv section's title on import
    kind: str  # the texcv entry kind on import
    slots: tuple[Slot, ...]
    dates: tuple[str, ...]  # (start, end) keys of a range, or the one key of a single date


_RANGE = ("startDate", "endDate")
SECTIONS: dict[str, Section] = {
    "work": Section(
        "Experience",
        "experience",
        (
            text("position", "title"),
            text("name", "organization"),
            text("location", "location"),
            text("description", "note"),
            text("summary", "description"),
            listed("highlights"),
            link(),
        ),
        _RANGE,
    ),
    "volunteer": Section(
        "Volunteering",
        "experience",
        (
            text("position", "title"),
            text("organization", "organization"),
            text("summary", "description"),
            listed("highlights"),
            link(),
        ),
        _RANGE,
    ),
    "education": Section(
        "Education",
        "education",
        (
            text("studyType", "degree"),
            text("area", "area"),
            text("institution", "organization"),
            text("score", "score"),
            listed("courses"),
            link(),
        ),
        _RANGE,
    ),
    "awards": Section(
        "Awards",
        "experience",
        (text("title", "title"), text("awarder", "organization"), text("summary", "description")),
        ("date",),
    ),
    "certificates": Section(
        "Certificates", "experience", (text("name", "title"), text("issuer", "organization"), link()), ("date",)
    ),
    "publications": Section(
        "Publications",
        "publication",
        (text("name", "title"), text("publisher", "venue"), text("summary", "description"), link()),
        ("releaseDate",),
    ),
    "skills": Section(
        "Skills", "item", (text("name", "label"), pair("level", "keywords", "text", " — ", lone=1, words=True)), ()
    ),
    "languages": Section("Languages", "item", (text("language", "label"), text("fluency", "text")), ()),
    "interests": Section("Interests", "item", (text("name", "label"), joined("keywords", "text")), ()),
    "references": Section("References", "item", (text("name", "label"), text("reference", "text")), ()),
    "projects": Section(
        "Projects",
        "experience",
        (
            text("name", "title"),
            text("entity", "organization"),
            joined("roles", "note"),
            text("description", "description"),
            listed("highlights"),
            link(),
        ),
        _RANGE,
    ),
}
# The field every entry of a kind must have, and the one holding its longer text.
_PRIMARY = {
    "experience": "title",
    "education": "degree",
    "publication": "title",
    "item": "label",
    "bullet": "text",
    "dated": "text",
    "text": "text",
}
_SECONDARY = {"experience": "description", "education": "description", "publication": "description", "item": "text"}
# Sections of a profile not made by import are placed by their title, else by their entries' kind.
_TITLE_HINTS = (
    ("education", r"educat|ausbildung|studium|教育|学历"),
    ("volunteer", r"volunt|ehrenamt|志愿"),
    ("awards", r"award|honou?r|prize|auszeichnung|preis|奖"),
    ("certificates", r"certific|licen[cs]|zertifi|证书"),
    ("publications", r"publica|paper|preprint|publikation|论文|发表"),
    ("skills", r"skill|competen|kenntnis|fähigkeit|技能"),
    ("languages", r"^languages?$|^sprachen$|语言"),
    ("interests", r"interest|hobb|interessen|兴趣|爱好"),
    ("references", r"referen|推荐"),
    ("projects", r"project|projekt|项目"),
    ("work", r"experience|employment|work|career|erfahrung|beruf|经历|工作"),
)
_BY_KIND = {
    "experience": "work",
    "education": "education",
    "publication": "publications",
    "item": "skills",
    "dated": "awards",
    "bullet": "interests",
}


# --- texcv → JSON Resume ------------------------------------------------------------------------


def export(profile: dict, lang: str, notes: list[str] | None = None) -> dict:
    """One language of a validated profile as a JSON Resume document; what JSON Resume cannot hold
    (a second e-mail address, subsection titles, authors, …) and what its schema refuses are
    described in `notes`."""
    notes = notes if notes is not None else []
    cv = localize.view(profile, lang)
    checker = _Checker(profile["source"])
    kept = dict(profile["jsonresume"] or {})
    basics, kept_basics = _basics(profile, cv, notes), kept.pop("basics", {})
    resume: dict[str, Any] = {
        "basics": _with_kept(basics, _unedited("basics", basics, kept_basics, checker))
        if isinstance(kept_basics, dict)
        else kept_basics
    }
    for section in cv["sections"]:
        key = section["jsonresume"] or _guess_section(section)
        if key is None:
            notes.append(f"section {section['title']!r} has no JSON Resume counterpart; left out")
            continue
        dropped: set[str] = set()
        resume.setdefault(key, []).extend(_item(key, entry, dropped, checker) for entry in _flat(section, notes))
        if dropped:
            notes.append(
                f"section {section['title']!r}: JSON Resume's {key} has no place for"
                f" {', '.join(sorted(dropped))}; left out"
            )
    resume = _with_kept(resume, kept)
    notes.extend(schema_problems(resume))
    return resume


def _basics(profile: dict, cv: dict, notes: list[str]) -> dict:
    contact = cv["contact"]
    basics = {
        "name": _plain(cv["name"]["full"]),
        "label": _plain(cv["headline"]),
        "image": Path(os.path.relpath(profile["photo"], Path(profile["source"]).parent)).as_posix()
        if profile["photo"]
        else None,
        "email": contact["email"][0] if contact["email"] else None,
        "phone": contact["phone"][0]["number"] if contact["phone"] else None,
        "url": contact["homepage"],
        "summary": _plain(cv["summary"]),
        "location": {"address": "\n".join(_plain(contact["address"]))}
        if contact["address"]
        else {"city": _plain(contact["location"])}
        if contact["location"]
        else None,
        "profiles": [_profile_link(profile["social"][a["network"]], a) for a in cv["social"]]
        + [{"network": _plain(link["label"]), "url": link["url"]} for link in contact["links"]]
        or None,
    }
    for key, values in (("email", contact["email"]), ("phone", contact["phone"])):
        if len(values) > 1:
            notes.append(f"contact.{key}: JSON Resume holds one; the others are left out")
    for i, link in enumerate(contact["links"]):
        if link["icon"] and link["icon"] != _network_icon(_plain(link["label"])):
            notes.append(
                f"contact.links[{i}].icon: JSON Resume has no icons (themes pick one by the network); left out"
            )
    return _clean(basics)


def _profile_link(account: str, shown: dict) -> dict:
    url = account if shown["username"] != account else "https://" + shown["url"] if shown["url"] else None
    return _clean({"network": shown["label"], "username": shown["username"], "url": url})


def _guess_section(section: dict) -> str | None:
    title = section["title"].casefold()
    for key, pattern in _TITLE_HINTS:
        if re.search(pattern, title):
            return key
    kinds = [e["kind"] for e in section["entries"] if e["kind"] != "subsection"]
    return _BY_KIND.get(max(set(kinds), key=kinds.count)) if kinds else None


def _flat(section: dict, notes: list[str]) -> Iterator[dict]:
    for entry in section["entries"]:
        if entry["kind"] == "subsection":
            notes.append(
                f"subsection {entry['subsection']!r}: JSON Resume has no subsections;"
                f" its entries join {section['title']!r}"
            )
            yield from entry["entries"]
        else:
            yield entry


# The fields of entries that hold something printed.
_CONTENT = (
    "title",
    "degree",
    "area",
    "label",
    "text",
    "organization",
    "authors",
    "venue",
    "location",
    "note",
    "score",
    "description",
    "bullets",
    "links",
)


def _item(key: str, entry: dict, dropped: set[str], checker: _Checker) -> dict:
    """An entry as an item of JSON Resume's section `key`, with the values import kept that still hold."""
    item = _printed_item(SECTIONS[key], entry, dropped)
    return _with_kept(item, _unedited(key, item, entry.get("jsonresume") or {}, checker))


def _printed_item(spec: Section, entry: dict, dropped: set[str]) -> dict:
    """What an entry prints, as an item of a JSON Resume section; adds the fields the item has no
    room for to `dropped`."""
    fields = _as_kind(entry, spec.kind)
    used = {slot.field for slot in spec.slots}
    dropped.update(k for k in _CONTENT if fields.get(k) and k not in used)
    if len(fields.get("links") or ()) > 1 and "links" in used:
        dropped.add("links after the first")
    if "bullets" in used and any(isinstance(b, dict) and b["bullets"] for b in fields.get("bullets") or ()):
        dropped.add("sub-bullets (each joined to its bullet)")
    item: dict[str, Any] = {}
    for slot in spec.slots:
        value = _plain(fields.get(slot.field))
        if value:
            item.update(zip(slot.keys, slot.parse(value)))
    item.update(_dates(spec.dates, entry))
    return _clean(item)


def _unedited(key: str, exported: dict, kept: dict, checker: _Checker) -> dict:
    """The kept values whose printed fields still say what import made of them. Import is run again
    on the document as import saw it (exported values with the kept ones over them) and its result
    exported: a key whose value differs from `exported` belongs to a field edited since; it wins."""
    if not kept:
        return kept
    original = _with_kept(exported, kept)
    if key == "basics":
        profile = _profile_basics(original, checker)
    else:
        entry = _entry(SECTIONS[key], original, checker)
        if entry is None:  # nothing printed comes from the kept values: none of them can be stale
            return kept
        profile = {"name": NO_NAME, "sections": [{"title": key, "jsonresume": key, "entries": [entry]}]}
    again = export(checker.validate(profile), "en")
    again = again["basics"] if key == "basics" else again[key][0]
    return {k: v for k, v in kept.items() if exported.get(k) == again.get(k)}


_PLAIN = PlainText()


def _plain(value: Any) -> Any:
    """Profile text without its markup (JSON Resume text is plain): **bold** → bold, [label](url) → label (url)."""
    if isinstance(value, Block):
        return "\n\n".join(_PLAIN.inline(p) for p in paragraphs(value))
    if isinstance(value, Inline):
        return _PLAIN.inline(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if (
        isinstance(value, dict) and "bullets" in value
    ):  # a bullet: JSON Resume's highlights are flat, so its sub-bullets join it
        return "; ".join([_plain(value["text"]), *map(_plain, value["bullets"])])
    return value


def _as_kind(entry: dict, kind: str) -> dict:
    """An entry's fields as an entry of `kind` would have them (a bullet in Skills → its label)."""
    if entry["kind"] == "education":  # its title and note are made from degree, area and score (localize.py)
        entry = {k: v for k, v in entry.items() if k not in ("title", "note")}
    if entry["kind"] == kind:
        return entry
    if (entry["kind"], kind) == ("experience", "education"):  # as written before education entries: "BA in Art"
        degree, found, area = entry["title"].partition(" in ")
        rest = {k: v for k, v in entry.items() if k not in ("title", "note")}
        return {**rest, "degree": Inline(degree), "area": Inline(area) if found else None, "score": entry["note"]}
    fields = {k: v for k, v in entry.items() if k not in _PRIMARY.values()}
    fields[_PRIMARY[kind]] = entry[_PRIMARY[entry["kind"]]]
    if kind in _SECONDARY:
        fields[_SECONDARY[kind]] = entry.get(_SECONDARY.get(entry["kind"], ""))
    return fields


def _dates(keys: tuple[str, ...], entry: dict) -> dict:
    if not keys:
        return {}
    date, start, end = entry.get("date"), entry.get("start"), entry.get("end")
    if len(keys) == 1:
        return {keys[0]: _date(date or start)}
    if date is not None:
        return {keys[0]: _date(date), keys[1]: _date(date)}
    # An ongoing range has no end date in JSON Resume; a lone start is a single date.
    return {keys[0]: _date(start), keys[1]: None if end == PRESENT else _date(end or start)}


def _date(value: PartialDate | FreeDate | str | None) -> str | None:
    return None if value is None else str(value)


def _with_kept(exported: dict, kept: dict) -> dict:
    """Values import kept as given win; a kept null means the key was absent."""
    out = {**exported, **kept}
    return {k: v for k, v in out.items() if v is not None}


def _clean(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


# --- the official schema's rules --------------------------------------------------------------
# JSON Resume's schema.json (v1.0.0) has few rules: types, dates (its `iso8601` pattern), `format: uri`
# for every url and `format: email`; any other key is allowed. They are written out here rather than
# read from a copy of schema.json, so that texcv needs no JSON Schema validator at run time.

_ISO_DATE = re.compile(r"[1-2][0-9]{3}(-[0-1][0-9](-[0-3][0-9])?)?")
# RFC 3986: a scheme, then only the characters a URI may hold (no spaces, no non-ASCII letters).
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_WORD_LISTS = {"highlights", "courses", "keywords", "roles"}
_DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}
_FORMATS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "string": (lambda v: isinstance(v, str), "text"),
    "words": (lambda v: isinstance(v, list) and all(isinstance(w, str) for w in v), "a list of text"),
    "date": (lambda v: isinstance(v, str) and bool(_ISO_DATE.fullmatch(v)), "a date: YYYY, YYYY-MM or YYYY-MM-DD"),
    "uri": (lambda v: isinstance(v, str) and bool(_URI.fullmatch(v)), "a URI: a scheme such as https://, no spaces"),
    "email": (lambda v: isinstance(v, str) and bool(_EMAIL.fullmatch(v)), "an e-mail address"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "objects": (lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v), "a list of objects"),
}
_BASICS_FORMATS = {
    "name": "string",
    "label": "string",
    "image": "string",
    "email": "email",
    "phone": "string",
    "url": "uri",
    "summary": "string",
    "location": "object",
    "profiles": "objects",
}


def _item_format(key: str) -> str | None:
    """The rule for a key of a section's item; None for keys the schema does not know (allowed)."""
    if key in _DATE_KEYS:
        return "date"
    if key == "url":
        return "uri"
    if key in _WORD_LISTS:
        return "words"
    return "string" if key in _ITEM_KEYS else None


_ITEM_KEYS = {key for spec in SECTIONS.values() for slot in spec.slots for key in slot.keys} | {"type"}


def schema_problems(resume: dict) -> list[str]:
    """Every value of `resume` the official JSON Resume schema refuses, named by its JSON path."""
    checks: list[tuple[str, Any, str]] = []
    basics = resume.get("basics", {})
    checks.append(("basics", basics, "object"))
    if isinstance(basics, dict):
        checks += [(f"basics.{k}", v, _BASICS_FORMATS[k]) for k, v in basics.items() if k in _BASICS_FORMATS]
        accounts = basics.get("profiles")
        for i, account in enumerate(accounts if isinstance(accounts, list) else []):
            if isinstance(account, dict):
                checks += [
                    (f"basics.profiles[{i}].{k}", v, "uri" if k == "url" else "string")
                    for k, v in account.items()
                    if k in ("network", "username", "url")
                ]
    for key in SECTIONS:
        items = resume.get(key, [])
        checks.append((key, items, "objects"))
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                checks += [(f"{key}[{i}].{k}", v, rule) for k, v in item.items() if (rule := _item_format(k))]
    return [
        f"{path} = {_brief(value)} is not valid JSON Resume (the schema wants {expected}); written as it is"
        for path, value, rule in checks
        for valid, expected in [_FORMATS[rule]]
        if not valid(value)
    ]


def _brief(value: Any, width: int = 60) -> str:
    """A JSON value for a message, cut short with … when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


# --- JSON Resume → texcv ------------------------------------------------------------------------


@dataclass
class Imported:
    yaml: str  # the profile
    notes: list[str]  # the old key names read, and each value the PDF does not show


def load_resume(path: Path | str) -> Any:
    """Read a JSON Resume document (`-`: standard input). Null is taken as absent, and text is
    NFC-normalised, as texcv reads profiles."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        source = sys.stdin.read() if str(path) == "-" else Path(path).read_text("utf-8")
        return _normalised(json.loads(source))
    except json.JSONDecodeError as exc:
        raise ProfileError([Problem(name, exc.lineno, exc.colno, "", f"not valid JSON: {exc.msg}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(
            [Problem(name, None, None, "", f"cannot read it: {getattr(exc, 'strerror', None) or exc}")]
        ) from None


# Keys JSON Resume's schema.json has renamed (its history, 2014–2020): section → {old name: current name}.
_OLD_NAMES: dict[str, dict[str, str]] = {
    "basics": {"website": "url", "picture": "image"},
    "work": {"company": "name", "website": "url", "companyDescription": "description"},
    "volunteer": {"website": "url"},
    "education": {"gpa": "score"},
    "awards": {"awardDate": "date"},
    "certificates": {"title": "name"},
    "publications": {"website": "url"},
    "projects": {"website": "url", "summary": "description", "tech": "keywords"},
}
_OLD_SECTIONS = {"hobbies": "interests"}


def _current_names(resume: dict) -> tuple[dict, list[str]]:
    """The document with old key names replaced by the current ones (where the current one is not
    also there), and a note for each old name found."""
    notes: dict[str, str] = {}  # one per old name, however many items use it

    def renamed(mapping: dict, names: dict[str, str], where: str) -> dict:
        out = {}
        for key, value in mapping.items():
            new = names.get(key)
            if new is not None and new not in mapping:
                notes[where + key] = f"{where}{key} is JSON Resume's old name for {where}{new}; read, exported as {new}"
                key = new
            out[key] = value
        return out

    resume = renamed(resume, _OLD_SECTIONS, "")
    for key, names in _OLD_NAMES.items():
        value = resume.get(key)
        if key == "basics" and isinstance(value, dict):
            resume[key] = renamed(value, names, "basics.")
        elif isinstance(value, list):
            resume[key] = [renamed(item, names, f"{key}[].") if isinstance(item, dict) else item for item in value]
    return resume, list(notes.values())


def import_resume(resume: Any, profile_path: Path | str, source: str = "resume.json") -> Imported:
    """A JSON Resume document (from load_resume) as a texcv profile that exports back to the same
    document. `profile_path` is where the profile will be written: photos are found next to it."""
    if not isinstance(resume, dict):
        raise ProfileError(
            [Problem(source, None, None, "", 'a JSON Resume document is a JSON object ({"basics": …, "work": […], …})')]
        )
    resume, renamed = _current_names(resume)
    checker = _Checker(str(profile_path))
    profile = _profile_basics(resume.get("basics") if isinstance(resume.get("basics"), dict) else {}, checker)
    sections, kept = [], {}
    for key, items in resume.items():
        if key in SECTIONS:
            entries = [_entry(SECTIONS[key], item, checker) for item in items] if isinstance(items, list) else []
            if entries and None not in entries:
                sections.append({"title": SECTIONS[key].title, "jsonresume": key, "entries": entries})
            else:  # nothing texcv can print: kept as given
                kept[key] = items
    if sections:
        profile["sections"] = sections
    _keep_differences(profile, kept, resume, checker)
    notes = [f"{source}: {note}" for note in [*renamed, *_describe(profile, resume, checker)]]
    text = to_yaml(_tidy(profile))
    exported = export(schema.validate(loader.parse(text, str(profile_path))), "en")
    if exported != resume:  # a texcv bug: shown with its traceback (exit 70), never written silently
        raise RuntimeError(f"{source}: importing and exporting again changed the document")
    return Imported(text, notes)


class _Checker:
    """Validates single values and whole profiles with the profile format's own rules."""

    def __init__(self, profile_path: str):
        self.doc = Source(profile_path, None)

    def ok(self, spec: validation.Spec, value: Any) -> bool:
        ctx = validation.Context(self.doc, ("en",))
        return value is not None and spec.check(value, (), ctx) is not validation.INVALID and not ctx.problems

    def validate(self, data: dict) -> dict:
        return schema.validate(Source(self.doc.file, data))


def _profile_basics(basics: dict, checker: _Checker) -> dict:
    fields = schema.PROFILE.fields
    name = basics.get("name")
    profile: dict[str, Any] = {
        "name": name if checker.ok(fields["name"].spec, name) and isinstance(name, str) else NO_NAME
    }
    for key, target in (("label", "headline"), ("image", "photo")):
        if checker.ok(fields[target].spec, basics.get(key)):
            profile[target] = _stripped(basics[key])
    contact_fields = schema.CONTACT.fields
    contact = {
        target: basics[key]
        for key, target in (("email", "email"), ("phone", "phone"), ("url", "homepage"))
        if checker.ok(contact_fields[target].spec, basics.get(key))
    }
    contact.update(_location(basics.get("location"), checker))
    links = _links(basics.get("profiles"), checker)
    if links:
        contact["links"] = links
    if contact:
        profile["contact"] = contact
    social = _social(basics.get("profiles"), checker)
    if social:
        profile["social"] = social
    if checker.ok(fields["summary"].spec, basics.get("summary")):
        profile["summary"] = basics["summary"]
    return profile


def _location(location: Any, checker: _Checker) -> dict:
    """An address alone gives address lines, a city alone the location; anything else one line, or,
    when longer than the header allows, up to three address lines wrapped between its parts."""
    if not isinstance(location, dict):
        return {}
    lines_spec = schema.CONTACT.fields["address"].spec
    written = location.get("address")
    address = written if isinstance(written, str) else ""
    if set(location) == {"address"}:
        lines = [line.strip() for line in address.split("\n") if line.strip()]
        if lines and len(lines) <= _ADDRESS_LINES and checker.ok(lines_spec, lines):
            return {"address": lines}
    place = " ".join(p for p in (location.get("postalCode"), location.get("city")) if isinstance(p, str))
    given = [*address.split("\n"), place, location.get("region"), location.get("countryCode")]
    parts: list[str] = [p.strip() for p in given if isinstance(p, str) and p.strip()]

    def fits(line: str) -> bool:  # on one line of the header
        return checker.ok(schema.CONTACT.fields["location"].spec, line)

    if fits(", ".join(parts)):
        return {"location": ", ".join(parts)}
    lines = _wrapped(parts, fits)
    return {"address": lines} if len(lines) <= _ADDRESS_LINES and checker.ok(lines_spec, lines) else {}


_ADDRESS_LINES = 3  # the header prints at most three


def _wrapped(parts: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Comma-separated parts on as few lines that `fit` as they go; a part too long for a line is
    broken between its words."""
    pieces = [
        (piece, i == len(words) - 1)
        for part in parts
        for words in [[part] if fits(part) else part.split()]
        for i, piece in enumerate(words)
    ]
    lines: list[list[tuple[str, bool]]] = []
    for piece in pieces:
        if lines and fits(_joined([*lines[-1], piece])):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return [_joined(line) for line in lines]


def _joined(pieces: list[tuple[str, bool]]) -> str:
    """Pieces (text, ends a part) on one line: a comma after the end of a part, else a space."""
    out = pieces[0][0]
    for (_, ends_part), (piece, _) in pairwise(pieces):
        out += (", " if ends_part else " ") + piece
    return out


def _social(profiles: Any, checker: _Checker) -> dict:
    social: dict[str, Any] = {}
    for account in profiles if isinstance(profiles, list) else []:
        if not isinstance(account, dict) or not isinstance(account.get("network"), str):
            continue
        network = re.sub(r"[\s_-]", "", account["network"]).casefold()
        if network not in NETWORKS or network in social:
            continue
        username, url = account.get("username"), account.get("url")
        value = (
            username
            if url in (None, "https://" + NETWORKS[network].address(str(username)))
            or not checker.ok(validation.Url(), url)
            else url
        )
        if checker.ok(schema.social_account(network), value):
            social[network] = value
    return social


def _links(profiles: Any, checker: _Checker) -> list[dict]:
    """Accounts on networks texcv does not know, with an address: links in the header."""
    links = []
    for account in profiles if isinstance(profiles, list) else []:
        if not isinstance(account, dict) or not isinstance(account.get("network"), str):
            continue
        network = re.sub(r"[\s_-]", "", account["network"]).casefold()
        link = {"label": account["network"].strip(), "url": account.get("url")}
        if icon := _network_icon(account["network"]):
            link["icon"] = icon
        if network not in NETWORKS and checker.ok(schema.CONTACT.fields["links"].spec, [link]):
            links.append(link)
    return links


def _network_icon(network: str) -> str | None:
    """The Font Awesome icon named like a network ("Stack Exchange" → stack-exchange), as JSON Resume's
    themes choose one; None when there is none."""
    name = re.sub(r"\s+", "-", network.strip().casefold())
    return name if name in icon_names() else None


def _entry(spec: Section, item: Any, checker: _Checker) -> dict | None:
    """One JSON Resume item as a texcv entry; None when it has nothing to print."""
    if not isinstance(item, dict):
        return None
    kind = spec.kind
    record = schema.ENTRY_KINDS[kind]
    fields: dict[str, Any] = {}
    for slot in spec.slots:
        values = [item.get(key) for key in slot.keys]
        if any(v is not None for v in values) and _all_of_type(values):
            value = slot.compose(*values)
            if checker.ok(record.fields[slot.field].spec, value):
                fields[slot.field] = value
    fields.update(_entry_dates(spec.dates, item, checker))
    primary, secondary = _PRIMARY[kind], _SECONDARY[kind]
    if kind == "item" and not (primary in fields and secondary in fields):  # half an item: a bullet
        fields = {"text": fields.get(primary) or fields.get(secondary)}
        kind = "bullet"
    elif primary not in fields:  # a nameless item: its other text takes the name's place
        fields[primary] = fields.pop("organization", None) or fields.pop(secondary, None)
    if fields[_PRIMARY[kind]] is None:
        return None
    # Without authors a publication needs its kind named; a bullet with kept values is a mapping.
    entry = {"kind": kind} if kind in ("publication", "bullet") else {}
    entry.update((key, fields[key]) for key in schema.ENTRY_KINDS[kind].fields if key in fields)
    if not checker.ok(schema.ENTRY_KINDS[kind], entry):  # dates in the wrong order: kept as given instead
        entry = {k: v for k, v in entry.items() if k not in ("date", "start", "end")}
    return entry


def _all_of_type(values: list) -> bool:
    """JSON Resume text is a string, a list of words a list of strings."""
    return all(
        v is None or isinstance(v, str) or (isinstance(v, list) and all(isinstance(w, str) for w in v)) for v in values
    )


def _entry_dates(keys: tuple[str, ...], item: dict, checker: _Checker) -> dict:
    values = [item.get(key) for key in keys]
    valid = [isinstance(v, str) and checker.ok(validation.Date(), v) for v in values]
    if not keys:
        return {}
    if len(keys) == 1:
        return {"date": values[0]} if valid[0] else {}
    (start, end), (start_ok, end_ok) = values, valid
    if start_ok:
        return (
            {"start": start, "end": end}
            if end_ok
            else {"start": start, "end": "present"}
            if end is None
            else {"start": start}
        )
    return {"date": end} if end_ok and start is None else {}


def _keep_differences(profile: dict, kept: dict, resume: dict, checker: _Checker) -> None:
    """Keep, as given, every value that export would not give back, under the nearest `jsonresume:`."""
    exported = export(checker.validate({**profile, "jsonresume": kept or None}), "en")
    basics = resume.get("basics")
    if not isinstance(basics, dict):
        kept["basics"] = basics  # null: there was none
    elif _differences(basics, exported["basics"]):
        kept["basics"] = _differences(basics, exported["basics"])
    for key, value in resume.items():
        if key in SECTIONS and key not in kept:
            section = next(s for s in profile["sections"] if s["jsonresume"] == key)
            for entry, original, back in zip(section["entries"], value, exported[key]):
                if _differences(original, back):
                    entry["jsonresume"] = _differences(original, back)
        elif key != "basics":
            kept[key] = value  # meta, $schema and properties of its own
    if kept:
        profile["jsonresume"] = kept


def _differences(original: dict, exported: dict) -> dict:
    """original's values where exported differs; null for keys only exported has."""
    keys = [*original, *(k for k in exported if k not in original)]
    return {k: original.get(k) for k in keys if original.get(k) != exported.get(k)}


def _describe(profile: dict, resume: dict, checker: _Checker) -> Iterator[str]:
    """A note for each value of the document that the PDF does not show, named by its JSON path."""
    kept = profile.get("jsonresume", {})
    if profile["name"] == NO_NAME:
        yield f"basics.name: none given; the profile says {NO_NAME!r}"
    for key, value in kept.items():
        if key == "basics" and isinstance(value, dict):
            yield from _unshown_basics(value, profile, checker)
        elif _empty(value):
            continue  # nothing to show
        elif key in SECTIONS and isinstance(value, list):
            yield f"{key} = {_brief(value)} is not shown: texcv prints a section only when it can print every item"
        else:
            yield f"{key} = {_brief(value)} is not shown"
    for section in profile.get("sections", []):
        key = section["jsonresume"]
        for i, (entry, item) in enumerate(zip(section["entries"], resume[key])):
            for name, value in entry.get("jsonresume", {}).items() if isinstance(entry, dict) else ():
                if not _empty(value) and not _shown(SECTIONS[key], item, name, entry):
                    yield f"{key}[{i}].{name} = {_brief(value)} is not shown"


def _unshown_basics(kept: dict, profile: dict, checker: _Checker) -> Iterator[str]:
    contact, social = profile.get("contact", {}), profile.get("social", {})
    links = contact.get("links", [])
    printed = {
        "name": profile["name"] != NO_NAME,
        "label": "headline" in profile,
        "image": "photo" in profile,
        "summary": "summary" in profile,
        "email": "email" in contact,
        "phone": "phone" in contact,
        "url": "homepage" in contact,
        "location": "location" in contact or "address" in contact,
    }
    for key, value in kept.items():
        if key == "profiles" and isinstance(value, list):
            for i, account in enumerate(value):
                shown = _social([account], checker)
                linked = _links([account], checker)
                if not (shown and shown.items() <= social.items()) and not (linked and linked[0] in links):
                    yield f"basics.profiles[{i}] = {_brief(account)} is not shown"
        elif not _empty(value) and not printed.get(key):
            yield f"basics.{key} = {_brief(value)} is not shown"


def _empty(value: Any) -> bool:
    """Null (a key only export has), or a value without content: nothing that could be shown."""
    return value in (None, "", [], {})


def _shown(spec: Section, item: dict, key: str, entry: dict) -> bool:
    """Whether the entry prints `key` of the item: the field its slot fills holds what the key gives."""
    if key in spec.dates:
        return item[key] in (entry.get("date"), entry.get("start"), entry.get("end"))
    for slot in spec.slots:
        if key in slot.keys:
            values = [item.get(k) for k in slot.keys]
            # a nameless item's other text takes the name's place, so any field may hold it
            return _all_of_type(values) and slot.compose(*values) in entry.values()
    return False


def _tidy(profile: dict) -> dict:
    """Bullets as plain strings, as people write them."""
    for section in profile.get("sections", []):
        section["entries"] = [e["text"] if e.get("kind") == "bullet" and len(e) == 2 else e for e in section["entries"]]
    return profile


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key; text with line breaks as literal blocks; no aliases (a
    profile may not use them), a value used twice is written twice."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None),
)


def to_yaml(profile: dict | list) -> str:
    return yaml.dump(profile, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _normalised(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
