"""JSON Resume (jsonresume.org/schema) to a texcv profile and back.

Each JSON Resume section becomes a texcv section marked `jsonresume: <section>`; each of its items an
entry whose printed fields carry what the item says (SECTIONS below says which field goes where).
Import then exports its own result and compares: every value that would not come back exactly (a
`type` of a project, a URL texcv cannot link, a location split into parts) is kept, as given, under
the entry's (or the profile's) `jsonresume:` key, which is never printed and which export puts back.
So a round trip loses nothing, and the report says which values the PDF shows only approximately.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from .. import loader, localize, schema
from ..dates import PRESENT, FreeDate, PartialDate
from ..errors import Problem, ProfileError
from ..loader import Document
from .prose import NETWORK_NAMES

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
    "work": Section("Experience", "experience", (text("position", "title"), text("name", "organization"), text("location", "location"),
                                                 text("description", "note"), text("summary", "description"), listed("highlights"), link()), _RANGE),
    "volunteer": Section("Volunteering", "experience", (text("position", "title"), text("organization", "organization"),
                                                        text("summary", "description"), listed("highlights"), link()), _RANGE),
    "education": Section("Education", "experience", (pair("studyType", "area", "title", " in ", lone=0), text("institution", "organization"),
                                                     text("score", "note"), listed("courses"), link()), _RANGE),
    "awards": Section("Awards", "experience", (text("title", "title"), text("awarder", "organization"), text("summary", "description")), ("date",)),
    "certificates": Section("Certificates", "experience", (text("name", "title"), text("issuer", "organization"), link()), ("date",)),
    "publications": Section("Publications", "publication", (text("name", "title"), text("publisher", "venue"), text("summary", "description"), link()), ("releaseDate",)),
    "skills": Section("Skills", "item", (text("name", "label"), pair("level", "keywords", "text", " — ", lone=1, words=True)), ()),
    "languages": Section("Languages", "item", (text("language", "label"), text("fluency", "text")), ()),
    "interests": Section("Interests", "item", (text("name", "label"), joined("keywords", "text")), ()),
    "references": Section("References", "item", (text("name", "label"), text("reference", "text")), ()),
    "projects": Section("Projects", "experience", (text("name", "title"), text("entity", "organization"), joined("roles", "note"),
                                                   text("description", "description"), listed("highlights"), link()), _RANGE),
}
# The field every entry of a kind must have, and the one holding its longer text.
_PRIMARY = {"experience": "title", "publication": "title", "item": "label", "bullet": "text", "dated": "text", "text": "text"}
_SECONDARY = {"experience": "description", "publication": "description", "item": "text"}
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
_BY_KIND = {"experience": "work", "publication": "publications", "item": "skills", "dated": "awards", "bullet": "interests"}


# --- texcv → JSON Resume ------------------------------------------------------------------------


def export(profile: dict, lang: str, notes: list[str] | None = None) -> dict:
    """One language of a validated profile as a JSON Resume document; what JSON Resume cannot hold
    (a second e-mail address, subsection titles, authors, …) is described in `notes`."""
    notes = notes if notes is not None else []
    cv = localize.view(profile, lang)
    resume: dict[str, Any] = {"basics": _basics(profile, cv, notes)}
    for section in cv["sections"]:
        key = section["jsonresume"] or _guess_section(section)
        if key is None:
            notes.append(f"section {section['title']!r} has no JSON Resume counterpart; left out")
            continue
        dropped: set[str] = set()
        resume.setdefault(key, []).extend(_item(SECTIONS[key], entry, dropped, notes) for entry in _flat(section, notes))
        if dropped:
            notes.append(f"section {section['title']!r}: JSON Resume's {key} has no place for {', '.join(sorted(dropped))}; left out")
    kept = dict(profile["jsonresume"] or {})
    basics = kept.pop("basics", {})
    resume["basics"] = _with_kept(resume["basics"], basics) if isinstance(basics, dict) else basics
    return _with_kept(resume, kept)


def _basics(profile: dict, cv: dict, notes: list[str]) -> dict:
    contact = cv["contact"]
    basics = {
        "name": cv["name"]["full"],
        "label": cv["headline"],
        "image": Path(os.path.relpath(profile["photo"], Path(profile["source"]).parent)).as_posix() if profile["photo"] else None,
        "email": contact["email"][0] if contact["email"] else None,
        "phone": contact["phone"][0]["number"] if contact["phone"] else None,
        "url": contact["homepage"],
        "summary": cv["summary"],
        "location": {"address": "\n".join(contact["address"])} if contact["address"] else {"city": contact["location"]} if contact["location"] else None,
        "profiles": [_profile_link(profile["social"][a["network"]], a) for a in cv["social"]] or None,
    }
    for key, values in (("email", contact["email"]), ("phone", contact["phone"])):
        if len(values) > 1:
            notes.append(f"contact.{key}: JSON Resume holds one; the others are left out")
    return _clean(basics)


def _profile_link(account: str, shown: dict) -> dict:
    url = account if shown["username"] != account else "https://" + shown["url"] if shown["url"] else None
    return _clean({"network": NETWORK_NAMES[shown["network"]], "username": shown["username"], "url": url})


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
            notes.append(f"subsection {entry['subsection']!r}: JSON Resume has no subsections; its entries join {section['title']!r}")
            yield from entry["entries"]
        else:
            yield entry


# The fields of entries that hold something printed.
_CONTENT = ("title", "label", "text", "organization", "authors", "venue", "location", "note", "description", "bullets", "links")


def _item(spec: Section, entry: dict, dropped: set[str], notes: list[str]) -> dict:
    """An entry as an item of a JSON Resume section; adds the fields the item has no room for to `dropped`."""
    fields = _as_kind(entry, spec.kind)
    used = {slot.field for slot in spec.slots}
    dropped.update(k for k in _CONTENT if fields.get(k) and k not in used)
    if len(fields.get("links") or ()) > 1 and "links" in used:
        dropped.add("links after the first")
    item: dict[str, Any] = {}
    for slot in spec.slots:
        value = fields.get(slot.field)
        if value:
            item.update(zip(slot.keys, slot.parse(value)))
    item.update(_dates(spec.dates, entry, notes))
    return _with_kept(_clean(item), entry.get("jsonresume") or {})


def _as_kind(entry: dict, kind: str) -> dict:
    """An entry's fields as an entry of `kind` would have them (a bullet in Skills → its label)."""
    if entry["kind"] == kind:
        return entry
    fields = {k: v for k, v in entry.items() if k not in _PRIMARY.values()}
    fields[_PRIMARY[kind]] = entry[_PRIMARY[entry["kind"]]]
    if kind in _SECONDARY:
        fields[_SECONDARY[kind]] = entry.get(_SECONDARY.get(entry["kind"], ""))
    return fields


def _dates(keys: tuple[str, ...], entry: dict, notes: list[str]) -> dict:
    if not keys:
        return {}
    date, start, end = entry.get("date"), entry.get("start"), entry.get("end")
    for value in (date, start, end):
        if isinstance(value, FreeDate):
            notes.append(f"date {value.text!r} is not a JSON Resume date (YYYY, YYYY-MM or YYYY-MM-DD); exported as written")
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


# --- JSON Resume → texcv ------------------------------------------------------------------------


@dataclass
class Imported:
    yaml: str  # the profile
    notes: list[str]  # which values the PDF shows approximately or not at all


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
        raise ProfileError([Problem(name, None, None, "", f"cannot read it: {getattr(exc, 'strerror', None) or exc}")]) from None


def import_resume(resume: Any, profile_path: Path | str, source: str = "resume.json") -> Imported:
    """A JSON Resume document (from load_resume) as a texcv profile that exports back to the same
    document. `profile_path` is where the profile will be written: photos are found next to it."""
    if not isinstance(resume, dict):
        raise ProfileError([Problem(source, None, None, "", 'a JSON Resume document is a JSON object ({"basics": …, "work": […], …})')])
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
    notes = [f"{source}: {note}" for note in _describe(profile)]
    text = to_yaml(_tidy(profile))
    exported = export(schema.validate(loader.parse(text, str(profile_path))), "en")
    assert exported == resume, "a JSON Resume round trip changed the document"  # a texcv bug if it fails
    return Imported(text, notes)


class _Checker:
    """Validates single values and whole profiles with the profile format's own rules."""

    def __init__(self, profile_path: str):
        self.doc = Document(profile_path, None)

    def ok(self, spec: schema.Spec, value: Any) -> bool:
        ctx = schema.Context(self.doc, ("en",))
        return value is not None and spec.check(value, (), ctx) is not schema.INVALID and not ctx.problems

    def validate(self, data: dict) -> dict:
        return schema.validate(Document(self.doc.file, data))


def _profile_basics(basics: dict, checker: _Checker) -> dict:
    fields = schema.PROFILE.fields
    name = basics.get("name")
    profile: dict[str, Any] = {"name": name if checker.ok(fields["name"].spec, name) and isinstance(name, str) else NO_NAME}
    for key, target in (("label", "headline"), ("image", "photo")):
        if checker.ok(fields[target].spec, basics.get(key)):
            profile[target] = _stripped(basics[key])
    contact_fields = schema.CONTACT.fields
    contact = {target: basics[key] for key, target in (("email", "email"), ("phone", "phone"), ("url", "homepage"))
               if checker.ok(contact_fields[target].spec, basics.get(key))}
    contact.update(_location(basics.get("location"), checker))
    if contact:
        profile["contact"] = contact
    social = _social(basics.get("profiles"), checker)
    if social:
        profile["social"] = social
    if checker.ok(fields["summary"].spec, basics.get("summary")):
        profile["summary"] = basics["summary"]
    return profile


def _location(location: Any, checker: _Checker) -> dict:
    """An address alone gives address lines, a city alone the location; anything else one line."""
    if not isinstance(location, dict):
        return {}
    if set(location) == {"address"} and isinstance(location["address"], str):
        lines = [line for line in location["address"].split("\n") if line.strip()]
        return {"address": lines} if lines and checker.ok(schema.CONTACT.fields["address"].spec, lines) else {}
    parts = [location.get("address"), " ".join(p for p in (location.get("postalCode"), location.get("city")) if isinstance(p, str)),
             location.get("region"), location.get("countryCode")]
    line = ", ".join(p.replace("\n", ", ") for p in parts if isinstance(p, str) and p.strip())
    return {"location": line} if checker.ok(schema.CONTACT.fields["location"].spec, line) else {}


def _social(profiles: Any, checker: _Checker) -> dict:
    social: dict[str, str] = {}
    for account in profiles if isinstance(profiles, list) else []:
        if not isinstance(account, dict) or not isinstance(account.get("network"), str):
            continue
        network = re.sub(r"[\s_-]", "", account["network"]).casefold()
        if network not in schema.SOCIAL_URLS or network in social:
            continue
        username, url = account.get("username"), account.get("url")
        pattern = schema.SOCIAL_URLS[network]
        value = username if url in (None, "https://" + pattern.format(username)) or not checker.ok(schema.Url(), url) else url
        if checker.ok(schema.SOCIAL_ACCOUNT, value):
            social[network] = value
    return social


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
    return all(v is None or isinstance(v, str) or (isinstance(v, list) and all(isinstance(w, str) for w in v)) for v in values)


def _entry_dates(keys: tuple[str, ...], item: dict, checker: _Checker) -> dict:
    values = [item.get(key) for key in keys]
    valid = [isinstance(v, str) and checker.ok(schema.Date(), v) for v in values]
    if not keys:
        return {}
    if len(keys) == 1:
        return {"date": values[0]} if valid[0] else {}
    (start, end), (start_ok, end_ok) = values, valid
    if start_ok:
        return {"start": start, "end": end} if end_ok else {"start": start, "end": "present"} if end is None else {"start": start}
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


def _describe(profile: dict) -> Iterator[str]:
    kept = profile.get("jsonresume", {})
    if profile["name"] == NO_NAME:
        yield f"basics.name: none given; the profile says {NO_NAME!r}"
    for key, value in kept.items():
        if key == "basics" and isinstance(value, dict):
            yield f"basics: {', '.join(value)}: {_KEPT}"
        elif key in SECTIONS:
            yield f"{key}: no item texcv can print; kept under `jsonresume:`, not printed"
        else:
            yield f"{key}: kept under `jsonresume:`, not printed"
    for section in profile.get("sections", []):
        for i, entry in enumerate(section["entries"]):
            if "jsonresume" in entry:
                yield f"{section['jsonresume']}[{i}]: {', '.join(entry['jsonresume'])}: {_KEPT}"


_KEPT = "shown approximately or not at all; kept as given under `jsonresume:`"


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


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def to_yaml(profile: dict) -> str:
    return yaml.dump(profile, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _normalised(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
