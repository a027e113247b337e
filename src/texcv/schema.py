"""Stage 2: the profile format, declared once as a tree of Spec objects (validation.py), and
`validate`, which walks data and spec together and collects every problem (file:line:col, dotted
path, what was expected) before giving up. The result
is plain dicts and lists in which every optional key is present, text is typed (markup.Inline /
Block) and translations are `Localized` mappings resolved later, per language (localize.py).
"""

from __future__ import annotations

import datetime
import os
import pathlib
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .choices import ENGINES, FORMATS, NAME_ORDERS, PAPERS
from .dates import PartialDate
from .errors import Problem, ProfileError, TemplateError, suggest
from .loader import Path_, Source
from .markup import Inline, plain
from .social import FEDIVERSE, NETWORKS, icon_names
from .templates import Family, Option, declared, profile_trees, search_path
from .validation import (
    INVALID,
    LANGUAGE,
    LINE,
    PLAIN,
    TEXT,
    Choice,
    Color,
    Context,
    Date,
    Field,
    Flag,
    Folder,
    FontFamily,
    HeaderText,
    JsonData,
    JsonSchema,
    ListOf,
    Localized,
    Mapping,
    Number,
    OneOf,
    Pattern,
    Record,
    Size,
    Spec,
    Text,
    Url,
    or_null,
    type_name,
)

PHONE_KINDS = ("mobile", "fixed", "fax")


class ProfileLanguage(Pattern):
    """A language code texcv has words (dates, headings) for, itself or its base (de-AT → de): built in,
    or in a locale file of the user's (words.py)."""

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        from .words import available_languages

        code = super().convert(value, path, ctx)
        known = available_languages(pathlib.Path(ctx.doc.file).parent)
        if code is INVALID or code in known or code.split("-")[0] in known:
            return code
        return ctx.error(
            path,
            f"texcv has no words for language {code!r} (available: {', '.join(known)}; add one as "
            f"locales/{code}.yaml beside the profile){suggest(code, known)}",
        )


class IconName(Text):
    """An icon of fontawesome5 (Font Awesome 5 Free), named as on fontawesome.com: gitlab, book, flask."""

    def __init__(self) -> None:
        super().__init__(str, "a Font Awesome 5 icon name such as book, flask or gitlab")

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        # One icon in every language: no per-language form (which would repeat the names in the JSON Schema).
        return self.wrong_type(value, path, ctx) if isinstance(value, dict) else super().check(value, path, ctx)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        name = value.strip()
        if name in icon_names():
            return name
        return ctx.error(
            path,
            f"{name!r} is not a Font Awesome 5 icon (the names at fontawesome.com/v5/search, "
            f"e.g. book, flask, gitlab){suggest(name.lower(), icon_names())}",
        )

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "string", "enum": sorted(icon_names())}


class SectionTitles(Spec):
    expected = "a mapping of section ids to titles"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        titles = {str(key): LINE.check(title, path + (key,), ctx) for key, title in value.items()}
        return INVALID if INVALID in titles.values() else titles

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "object", "additionalProperties": out.of(LINE)}


CONTACT_LINE = HeaderText(Inline, 60, "shorten it, or split an address over up to three lines")
CONTACT_LINE_PLAIN = HeaderText(str, 60, "shorten it")
EMAIL = Pattern(r"[^@\s]+@[^@\s]+\.[^@\s.]+", "an email address (name@example.org)")
LENGTH = Pattern(r"[0-9]+(\.[0-9]+)?(cm|mm|in|pt|em)", "a length such as 1.5cm, 15mm or 0.8in")
SECTION_ID = Pattern(r"[\w-]+", "a section id (letters, digits, - and _)")
TAG = Pattern(r"[^\s,]+", "a tag (a word without spaces or commas)")
# Keys every entry, subsection and section may carry: tailoring tags and page-break hints.
_ARRANGEMENT = {
    "tags": Field(
        ListOf(TAG), default=[], doc="build versions for different applications with --only TAG / --skip TAG"
    ),
    "page_break": Field(Choice(("before",), "page break"), doc="start a new page before this"),
    "keep_together": Field(Flag(), default=False, doc="never break the page inside this"),
}


def _dates_in_order(entry: dict, path: Path_, ctx: Context) -> Any:
    start, end = entry.get("start"), entry.get("end")
    if entry.get("date") is not None and (start is not None or end is not None):
        return ctx.error(path, "give either `date` or `start`/`end`, not both")
    if end is not None and start is None:
        return ctx.error(path + ("end",), "an end date needs a `start`")
    if isinstance(start, PartialDate) and isinstance(end, PartialDate) and end.sort_key() < start.sort_key():
        return ctx.error(path + ("end",), f"end date {end} is before start date {start}")
    return entry


class SubBullet(Spec):
    """A sub-bullet: text only. Bullets nest one level deep, so a mapping here is refused with a reason."""

    expected = "a sub-bullet (text)"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, dict) and {"text", "bullets"} & set(value):
            return ctx.error(path, "bullets nest one level deep: a sub-bullet is text, without bullets of its own")
        return TEXT.check(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        return out.of(TEXT)


SUB_BULLETS = Field(ListOf(SubBullet()), default=[], doc="sub-bullets under this one (one level deep)")
# A bullet: its text, or {text, bullets} with sub-bullets; always {text, bullets} once checked.
BULLET = OneOf(
    TEXT,
    Record("bullet", {"text": Field(TEXT, required=True), "bullets": SUB_BULLETS}),
    lambda text: {"text": text, "bullets": []},
)
_BULLETS = Field(ListOf(BULLET), default=[], doc="each text, or {text, bullets: [sub-bullet, …]}")
_LINK_FIELDS = {"label": Field(LINE, required=True), "url": Field(Url(), required=True)}
_LINK = Record("link", _LINK_FIELDS)
_DATES = {"date": Field(Date()), "start": Field(Date()), "end": Field(Date(allow_present=True))}
_ONLY_IN = Field(LANGUAGE, doc="only in the CV in this language")
JSON_RESUME_SECTIONS = (
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)
_JSON_RESUME = Field(
    JsonData(), doc="JSON Resume values the PDF does not show as given, kept by texcv import for texcv export"
)


def _entry_record(kind: str, fields: dict[str, Field], dated: bool = False) -> Record:
    finish = (lambda e, p, c: _dates_in_order(e, p, c)) if dated else None
    # `kind` is optional (inferred from the keys) and, when given, names this record's kind.
    common = {"kind": Field(Choice((kind,), "entry kind")), "lang": _ONLY_IN, "jsonresume": _JSON_RESUME}
    return Record(f"{kind} entry", {**common, **fields, **_ARRANGEMENT}, finish, custom=True)


ENTRY_KINDS: dict[str, Record] = {
    # \cventry: dates, title, organisation, location, note, description and bullets
    "experience": _entry_record(
        "experience",
        {
            "title": Field(LINE, required=True),
            "organization": Field(LINE),
            "location": Field(LINE),
            **_DATES,
            "note": Field(LINE, doc="moderncv's grade column, e.g. GPA 3.9"),
            "description": Field(TEXT),
            "bullets": _BULLETS,
            "links": Field(ListOf(_LINK), default=[]),
        },
        dated=True,
    ),
    # printed as an experience entry: "degree in area" its title, the score in moderncv's grade column
    "education": _entry_record(
        "education",
        {
            "degree": Field(LINE, required=True, doc="e.g. Ph.D., B.Sc. (JSON Resume's studyType)"),
            "area": Field(LINE, doc="the field of study, e.g. Computer Science"),
            "organization": Field(LINE, doc="the institution"),
            "location": Field(LINE),
            **_DATES,
            "score": Field(LINE, doc="e.g. 3.9 (printed as GPA 3.9) or 1.3, or as written: First-class honours"),
            "description": Field(TEXT),
            "bullets": _BULLETS,
            "links": Field(ListOf(_LINK), default=[]),
        },
        dated=True,
    ),
    "publication": _entry_record(
        "publication",
        {
            "title": Field(LINE, required=True),
            "authors": Field(
                ListOf(LINE, min_items=1),
                default=[],
                doc="the profile owner is emphasised automatically; without authors, give `kind: publication`",
            ),
            "venue": Field(LINE),
            **_DATES,
            "note": Field(LINE, doc="an award line, printed bold"),
            "links": Field(ListOf(_LINK), default=[]),
            "description": Field(TEXT),
        },
        dated=True,
    ),
    # \cvitem: a label and its text
    "item": _entry_record("item", {"label": Field(LINE, required=True), "text": Field(TEXT, required=True)}),
    # a one-liner with a date as its label
    "dated": _entry_record("dated", {**_DATES, "text": Field(TEXT, required=True)}, dated=True),
    "bullet": _entry_record("bullet", {"text": Field(TEXT, required=True), "bullets": SUB_BULLETS}),
    "text": _entry_record("text", {"text": Field(TEXT, required=True)}),
}
# Which key tells an entry's kind when `kind` is not given, tried in this order.
_KIND_MARKERS = (
    ("authors", "publication"),
    ("degree", "education"),
    ("title", "experience"),
    ("label", "item"),
    ("bullets", "bullet"),
)


class Entry(Spec):
    expected = "an entry (a mapping, or text for a bullet)"

    def __init__(self, allow_subsection: bool):
        self.allow_subsection = allow_subsection

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, str) or (
            isinstance(value, dict) and len(ctx.languages) > 1 and value and set(value) <= set(ctx.languages)
        ):
            text = TEXT.check(value, path, ctx)
            return INVALID if text is INVALID else {**ENTRY_KINDS["bullet"].defaults(), "kind": "bullet", "text": text}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        if "subsection" in value:
            if not self.allow_subsection:
                return ctx.error(path + ("subsection",), "subsections cannot be nested inside a subsection")
            return SUBSECTION.check(value, path, ctx)
        kind = value.get("kind")
        if kind is None:
            kind = next((k for marker, k in _KIND_MARKERS if marker in value), None)
            if kind is None:
                kind = (
                    "dated"
                    if "text" in value and ({"date", "start"} & set(value))
                    else "text"
                    if "text" in value
                    else None
                )
            if kind is None:
                return ctx.error(
                    path,
                    "cannot tell what kind of entry this is: give `title` (experience), `degree` (education), "
                    "`authors` (publication), `label` + `text` (item), `date` + `text` (dated), `text` (+ `bullets`),"
                    " or `subsection`; or set `kind`",
                )
        elif kind not in ENTRY_KINDS:
            return ctx.error(
                path + ("kind",),
                f"unknown entry kind {kind!r} (expected one of: {', '.join(ENTRY_KINDS)}){suggest(kind, ENTRY_KINDS)}",
            )
        checked = ENTRY_KINDS[kind].check(value, path, ctx)
        if checked is not INVALID:
            checked["kind"] = kind
        return checked

    def json_schema(self, out: JsonSchema) -> dict:
        # Each kind's record forbids the other kinds' keys, so matching one of them is what
        # inferring the kind from the keys amounts to.
        forms = [
            out.of(TEXT),
            *([out.of(SUBSECTION)] if self.allow_subsection else []),
            *map(out.of, ENTRY_KINDS.values()),
        ]
        return {
            "title": "entry",
            "description": f"{self.expected}; the kind is inferred from the keys or given as `kind`",
            "anyOf": forms,
        }


SUBSECTION = Record(
    "subsection",
    {
        "subsection": Field(LINE, required=True, doc="the subsection's title"),
        "lang": _ONLY_IN,
        "entries": Field(ListOf(Entry(False)), required=True),
        **_ARRANGEMENT,
    },
    custom=True,
)
SUBSECTION.finish = lambda s, p, c: {**s, "kind": "subsection"}


class BibFile(Text):
    expected = "a path to a .bib file"

    def __init__(self) -> None:
        super().__init__(str, self.expected)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        file = ctx.local_file(value.strip(), path, "BibTeX file")
        return file if file is INVALID or file.is_file() else ctx.error(path, f"BibTeX file not found: {file}")

    def describe(self) -> str:
        return f"{self.expected}, relative to the profile"


class YearSpan(Spec):
    """A year (2020) or a span of years: 2018-2020, 2018- (since), -2015 (until)."""

    expected = "a year or a span of years (2018-2020, 2018-, -2015)"
    _SPAN = re.compile(r"(\d{4})?\s*-\s*(\d{4})?|(\d{4})")

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, value)
        found = self._SPAN.fullmatch(value.strip()) if isinstance(value, str) else None
        if found is None or found.group() == "-" or not value.strip():
            return (
                self.wrong_type(value, path, ctx)
                if not isinstance(value, str)
                else ctx.error(path, f"{value!r} is not {self.expected}")
            )
        if found.group(3):
            return (int(found.group(3)), int(found.group(3)))
        first, last = int(found.group(1) or 0), int(found.group(2) or 9999)
        return (first, last) if first <= last else ctx.error(path, f"{value!r}: the span ends before it starts")

    def json_schema(self, out: JsonSchema) -> dict:
        return {
            "description": self.expected,
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": rf"^\s*(?:{self._SPAN.pattern})\s*$"}],
        }


class Count(Spec):
    expected = "a whole number, 1 or more"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value if ok else self.wrong_type(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        return {"type": "integer", "minimum": 1}


class SelectedField(Spec):
    """true: only entries whose `selected` field is true; a name: that field instead; false: all."""

    expected = "true, false, or the name of a .bib field"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, bool):
            return "selected" if value else None
        if isinstance(value, str) and re.fullmatch(r"\s*[\w-]+\s*", value):
            return value.strip().lower()
        return self.wrong_type(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        return {
            "description": self.expected,
            "anyOf": [{"type": "boolean"}, {"type": "string", "pattern": r"^\s*[\w-]+\s*$"}],
        }


def _bib_selection(bib: dict, path: Path_, ctx: Context) -> dict:
    from .bibtex import Selection

    selection = Selection(
        bib["keys"], bib["years"], [t.lower() for t in bib["types"]], bib["selected"], bib["sort"], bib["limit"]
    )
    return {"file": bib["file"], "selection": selection}


BIB_FILE = BibFile()
BIB_RECORD = Record(
    "bib",
    {
        "file": Field(BIB_FILE, required=True, doc="the .bib file, relative to the profile"),
        "keys": Field(ListOf(PLAIN, one_or_many=True), default=[], doc="only these citation keys"),
        "years": Field(
            ListOf(YearSpan(), one_or_many=True), default=[], doc="only these years: 2020, 2018-2020, 2018-"
        ),
        "types": Field(
            ListOf(Pattern(r"[A-Za-z]+", "a BibTeX entry type"), one_or_many=True),
            default=[],
            doc="only these entry types: article, inproceedings, …",
        ),
        "selected": Field(SelectedField(), doc="true: only entries with `selected = {true}`; or another field's name"),
        "sort": Field(
            Choice(("newest", "oldest", "file"), "sort order"), default="newest", doc="by date; undated entries last"
        ),
        "limit": Field(Count(), doc="at most this many entries"),
    },
    _bib_selection,
)
BIB = OneOf(BIB_FILE, BIB_RECORD, lambda file: {**BIB_RECORD.defaults(), "file": file})

SECTION = Record(
    "section",
    {
        "id": Field(
            SECTION_ID,
            doc="names the section for design.section_order, hidden_sections and section_titles;"
            " default: its title as a slug",
        ),
        "title": Field(LINE, required=True),
        "lang": _ONLY_IN,
        "jsonresume": Field(
            Choice(JSON_RESUME_SECTIONS, "JSON Resume section"),
            doc="the JSON Resume section this is (texcv import and export)",
        ),
        "entries": Field(ListOf(Entry(True), min_items=1), doc="required unless the section has `bib`"),
        "numbering": Field(
            Choice(("ascending", "descending"), "numbering"),
            doc="number the entries [1], [2], …; descending counts down from the total (newest first)",
        ),
        "bib": Field(
            BIB, doc="publications from a BibTeX file: its path, or {file, keys, years, types, selected, sort, limit}"
        ),
        **_ARRANGEMENT,
    },
    lambda section, path, ctx: _with_bib_entries(section, path, ctx),
    custom=True,
)


def _with_bib_entries(section: dict, path: Path_, ctx: Context) -> Any:
    """The section's entries, then the publications its `bib` selects (schema-checked like written ones).
    bibtex.py is imported only here, for a profile that names a .bib."""
    bib = section["bib"]
    if bib is None:
        if section["entries"] is None:
            return ctx.error(path, "missing required key 'entries' in section (or give `bib`)")
        return section
    from .bibtex import BibError, read, select

    file, where = bib["file"], path + ("bib",)
    try:
        entries = read(file)
    except BibError as exc:
        ctx.problems.append(Problem(str(file), exc.line, exc.column, "", str(exc)))
        return INVALID
    except OSError as exc:
        return ctx.error(where, f"cannot read {file}: {exc.strerror}")
    known = [e.key for e in entries]
    for i, key in enumerate(bib["selection"].keys):
        if key not in known:
            ctx.error(where + ("keys", i), f"no entry {key!r} in {file}{suggest(key, known)}")
    chosen = select(entries, bib["selection"])
    if not chosen:
        return ctx.error(where, f"no entry of {file} is selected ({len(entries)} in the file)")
    publications = [bib_publication(entry, file, ctx) for entry in chosen]
    if INVALID in publications:
        return INVALID
    section["entries"] = (section["entries"] or []) + publications
    # Where each entry was written, for messages about the PDF (words lost from its text).
    bib["located"] = [
        (Problem(str(file), e.line, e.column, f"@{e.type}{{{e.key}}}", ""), p) for e, p in zip(chosen, publications)
    ]
    return section


def bib_publication(entry: Any, file: pathlib.Path, ctx: Context) -> Any:
    """A .bib entry (bibtex.BibEntry) as a checked publication entry; problems point at the entry in the .bib."""
    from .bibtex import publication

    own = Context(Source(str(file), {}), ctx.languages)
    checked = ENTRY_KINDS["publication"].check(publication(entry), (f"@{entry.type}{{{entry.key}}}",), own)
    ctx.problems += [replace(p, line=entry.line, column=entry.column) for p in own.problems]
    if checked is not INVALID:
        checked["kind"] = "publication"
    return checked


def _split_name(full: Any) -> dict:
    """'Wei Wen' → given Wei, family Wen; a name in CJK script → family name first, no space."""
    from .engine import has_cjk

    def split(text: str) -> tuple[str, str, bool]:
        if has_cjk(text) and " " not in text.strip():
            return text[1:], text[:1], True
        given, _, family = text.strip().rpartition(" ")
        return (given, family, False) if given else (family, "", False)

    if isinstance(full, Localized):
        parts = {lang: split(text) for lang, text in full.items()}
        return {
            "given": Localized({lang: Inline(p[0]) for lang, p in parts.items()}),
            "family": Localized({lang: Inline(p[1]) for lang, p in parts.items()}),
            "order": Localized({lang: "family-first" if p[2] else "given-first" for lang, p in parts.items()}),
            "aliases": [],
        }
    given, family, cjk = split(full)
    return {
        "given": Inline(given),
        "family": Inline(family),
        "order": "family-first" if cjk else "given-first",
        "aliases": [],
    }


NAME_PART = HeaderText(Inline, 100, "a name, not a sentence")
NAME = OneOf(
    HeaderText(Inline, 2 * NAME_PART.limit, "a name, not a sentence"),
    Record(
        "name",
        {
            "given": Field(NAME_PART, required=True),
            "family": Field(NAME_PART),
            "order": Field(Choice(NAME_ORDERS, "name order")),
            # other spellings of the owner's name, emphasised like the name in author lists
            "aliases": Field(ListOf(PLAIN), default=[], doc="other spellings of the name, emphasised in author lists"),
        },
    ),
    _split_name,
)


def _name_order(name: dict, path: Path_, ctx: Context) -> dict:
    """Without an explicit order, a name written in CJK script is family-first (per language)."""
    from .engine import has_cjk

    if name["order"] is None:

        def order(lang: str | None) -> str:
            parts = [name[k][lang] if isinstance(name[k], Localized) else name[k] for k in ("given", "family")]
            return "family-first" if any(has_cjk(p) for p in parts if p) else "given-first"

        localized = any(isinstance(name[k], Localized) for k in ("given", "family"))
        name["order"] = Localized({lang: order(lang) for lang in ctx.languages}) if localized else order(None)
    return name


NAME.long.finish = _name_order


class PhoneNumber(HeaderText):
    """A phone number. One written with its country code (+…) is checked against that country's
    numbering plan (the phonenumbers library, Google's libphonenumber data) and printed in the
    international format; one without is printed as written, since its country is not known."""

    def __init__(self) -> None:
        super().__init__(str, 60, "shorten it")

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        number = super().convert(value, path, ctx)
        if number is INVALID or not number.startswith("+"):
            return number
        import phonenumbers  # ≈19 ms: only for a profile with an international number

        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            return ctx.error(
                path,
                f"{number!r} is not a valid phone number (check the country code and the digits; "
                "written without the leading + it is printed as written)",
            )
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


PHONE_NUMBER = PhoneNumber()
PHONE = OneOf(
    PHONE_NUMBER,
    Record(
        "phone",
        {
            "number": Field(PHONE_NUMBER, required=True),
            "kind": Field(Choice(PHONE_KINDS, "phone kind"), default="mobile"),
        },
    ),
    lambda number: {"number": number, "kind": "mobile"},
)

CONTACT_LINK = Record(
    "contact link",
    {
        **_LINK_FIELDS,
        "icon": Field(
            IconName(),
            doc="the symbol before it in the header (moderncv): a Font Awesome 5 icon name, as on "
            "fontawesome.com/v5/search (book, flask, gitlab); without one, a chain link",
        ),
    },
)
CONTACT = Record(
    "contact",
    {
        "email": Field(ListOf(EMAIL, one_or_many=True), default=[]),
        "phone": Field(ListOf(PHONE, one_or_many=True), default=[]),
        "homepage": Field(Url()),
        "location": Field(CONTACT_LINE),
        "address": Field(ListOf(CONTACT_LINE, one_or_many=True, max_items=3), default=[]),  # moderncv: three lines
        "links": Field(ListOf(CONTACT_LINK), default=[], doc="more websites for the header, each {label, url, icon}"),
    },
)

SOCIAL_ACCOUNT = Pattern(r"[^\s]+", "a username or a profile URL")
FEDIVERSE_ACCOUNT = Pattern(
    r"@?[^@\s/]+@[^@\s/]+\.[^@\s/]+|[Hh][Tt][Tt][Pp][Ss]?://\S+", "@user@instance or a profile URL"
)


def social_account(network: str) -> Spec:
    """What an account on `network` is written as."""
    return FEDIVERSE_ACCOUNT if NETWORKS[network].profile_url == FEDIVERSE else SOCIAL_ACCOUNT


MARGINS = OneOf(
    LENGTH,
    Record("margins", {side: Field(LENGTH) for side in ("top", "bottom", "left", "right")}),
    lambda length: dict.fromkeys(("top", "bottom", "left", "right"), length),
)


def option_spec(option: Option) -> Spec:
    """The spec that checks values of a family's declared option."""
    if option.type == "enum":
        return Choice(option.values, option.name.replace("_", " "))
    if option.type == "color":
        return Color(option.values)
    if option.type == "font":
        return FontFamily(option.values)
    if option.type == "size" and option.range:
        return Size(*option.range)
    if option.type == "number" and option.range:
        return Number(*option.range)
    if option.type == "length":
        return LENGTH
    return Flag()


def check_declarations(family: Family) -> None:
    """Each option's default must be a value it accepts: a family cannot advertise what it does not take."""
    for option in family.options.values():
        ctx = Context(Source("", {}), ("en",))
        option_spec(option).check(option.default, (option.name,), ctx)
        if ctx.problems:
            raise TemplateError(
                f"{option.manifest}: options.{option.name}: its default {option.default!r} is not accepted: "
                f"{ctx.problems[0].message}"
            )


def _family_options(design: dict, path: Path_, ctx: Context) -> None:
    """The design's options checked against those its template family declares, and their defaults
    filled in. An unknown family is left to the renderer, which names the families there are."""
    if ctx.template_dirs is None or design["template"] is INVALID:
        return
    allowed = ctx.trees[1:] if ctx.trees else ()
    folder = None if design["template_dir"] is INVALID else design["template_dir"]
    where = {"source": ctx.doc.file, "design": {"template_dir": folder}}
    available = declared(search_path(where, ctx.template_dirs, allowed))
    chosen = available.get(design["template"])
    if chosen:
        check_declarations(chosen)
        check_family_options(design, path, ctx, chosen, {name for f in available.values() for name in f.options})


def check_family_options(design: dict, path: Path_, ctx: Context, family: Family, elsewhere: set[str]) -> None:
    """An option set on the command line must be one of the family's. One in the file that another
    family declares (`elsewhere`) is left out: a profile's design may serve several families; a key no
    family declares is a mistake."""
    for key in [key for key in design if key not in DESIGN_FIELDS]:
        option = family.options.get(key)
        if option is None:
            names = list(family.options)
            if key not in elsewhere:
                known = [*DESIGN_FIELDS, *names]
                ctx.error(
                    path + (key,), f"unknown key in design (expected one of: {', '.join(known)}){suggest(key, known)}"
                )
            elif path + (key,) in ctx.doc.command_line:
                has = f"its options: {', '.join(names)}" if names else "it has none"
                ctx.error(path + (key,), f"the {family.name} family has no option {key!r} ({has})")
            del design[key]
        elif design[key] is not None:  # `key:` left empty: the default
            design[key] = option_spec(option).check(design[key], path + (key,), ctx)
            if (
                option.type == "font"
                and design[key] not in (INVALID, *option.values)
                and design["engine"] == "pdflatex"
            ):
                ctx.error(
                    path + (key,), f"font {design[key]!r} is set by fontspec: use engine auto, xelatex or lualatex"
                )
    for name, option in family.options.items():
        if design.get(name) is None:
            design[name] = option.default
    for name, option in family.options.items():
        _check_needs(design, path + (name,), ctx, option)


def _check_needs(design: dict, path: Path_, ctx: Context, option: Option) -> None:
    """A value the family allows only with some values of its other options (`needs` in family.yaml)."""
    value = design[option.name]
    for other, allowed in option.needs.get(value, {}).items() if isinstance(value, str) else ():
        if design.get(other, allowed[0]) not in (*allowed, INVALID):
            ctx.error(
                path,
                f"{option.name} {value} works with {other} {' or '.join(allowed)}, not {design[other]}",
            )


def check_design(profile: dict, source: Source, template_dirs: Iterable[pathlib.Path], allowed_dirs: Iterable) -> None:
    """Check the design's options again once values from the command line (`source.command_line`)
    are in: they may name another family, or options it does not have."""
    ctx = Context(source, tuple(profile["languages"]), trees=profile_trees(source.file, allowed_dirs))
    ctx.template_dirs = tuple(template_dirs)
    _family_options(profile["design"], ("design",), ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)


MAX_PAGES = 99  # design.pages, --pages


class LastUpdated(Spec):
    """design.last_updated: true (the build's date), false, or a date; checked to a PartialDate or None."""

    expected = "true, false, or a date (YYYY-MM or YYYY-MM-DD)"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, bool):
            return build_date() if value else None
        date = Date().check(value, path, ctx)
        if date is INVALID or isinstance(date, PartialDate):
            return date
        return ctx.error(path, f"{value!r} is not {self.expected}")

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "anyOf": [{"type": "boolean"}, out.of(Date())]}


def build_date() -> PartialDate:
    """Today, or the day SOURCE_DATE_EPOCH names (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    today = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
        if epoch.isdigit()
        else datetime.date.today()
    )
    return PartialDate(today.year, today.month, today.day)


# Design values every family takes; the others (style, color, font_size, …) are options its template
# family declares in family.yaml, checked by check_family_options once the family is known.
DESIGN_FIELDS = {
    "template": Field(Pattern(r"[\w-]+", "a template family name"), default="moderncv"),
    "paper": Field(Choice(PAPERS, "paper size"), default="a4"),
    "margins": Field(
        MARGINS, doc="one length for every side, or {top, bottom, left, right}; default: 2cm (ats: 1.8cm)"
    ),
    "pages": Field(
        Number(1, MAX_PAGES, whole=True),
        doc="fit the CV onto this many pages (smaller type, margins and spacing, within bounds: texcv build --pages)",
    ),
    "engine": Field(
        Choice(ENGINES, "engine"),
        default="auto",
        doc="auto: pdflatex for Latin scripts, xelatex for CJK and other scripts",
    ),
    "template_dir": Field(Folder(), doc="templates here override the packaged ones, piece by piece"),
    "section_order": Field(
        ListOf(SECTION_ID), default=[], doc="these sections first, in this order; the others follow as written"
    ),
    "hidden_sections": Field(ListOf(SECTION_ID, one_or_many=True), default=[], doc="sections left out"),
    "section_titles": Field(SectionTitles(), default={}, doc="section id: the title to print instead"),
    "formats": Field(
        ListOf(Choice(tuple(FORMATS), "output format"), one_or_many=True),
        default=["pdf"],
        doc="what `texcv build` writes for each language when --formats is not given",
    ),
    "last_updated": Field(
        LastUpdated(),
        doc="a footer “Last updated: Nov. 2026” on the last page: true (today, or SOURCE_DATE_EPOCH) or a date",
    ),
}
DESIGN = Record("design", DESIGN_FIELDS, rest=_family_options)


def _photo(value: str, path: Path_, ctx: Context) -> Any:
    from .images import ImageError, check

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return ctx.error(path, "photo must be a local image file, not a URL (download it next to the profile)")
    file = ctx.local_file(value, path, "photo")
    if file is INVALID:
        return file
    if file.is_dir():
        return ctx.error(path, f"{file} is a folder; photo names an image file in it")
    if not file.is_file():
        return ctx.error(path, f"photo file not found: {file}")
    try:
        check(file)
    except ImageError as exc:
        return ctx.error(path, f"photo {exc}: {file}")
    except OSError as exc:
        return ctx.error(path, f"photo cannot be read: {file}: {exc.strerror}")
    return file


class Photo(Text):
    expected = "a path to a PNG or JPEG file"

    def __init__(self) -> None:
        super().__init__(str, self.expected)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        return _photo(value.strip(), path, ctx)

    def describe(self) -> str:
        return f"{self.expected}, relative to the profile"


RECIPIENT = Record(
    "recipient",
    {
        "name": Field(LINE),
        "organization": Field(LINE),
        "address": Field(ListOf(LINE, one_or_many=True), default=[], doc="one line each"),
    },
)
LETTER = Record(
    "letter",
    {
        "id": Field(SECTION_ID, doc="names the letter's output, NAME.letter-ID.pdf; in a mapping of letters, its key"),
        "recipient": Field(RECIPIENT, doc="{name, organization, address}"),
        "date": Field(Date(), doc="YYYY-MM-DD, or text printed as written; default: the day it is built"),
        "subject": Field(LINE),
        "opening": Field(LINE, doc="default: the language's, e.g. `Dear Sir or Madam,`"),
        "body": Field(ListOf(TEXT, one_or_many=True, min_items=1), required=True, doc="paragraphs"),
        "closing": Field(LINE, doc="default: the language's, e.g. `Yours faithfully,`"),
        "enclosures": Field(ListOf(LINE, one_or_many=True), default=[]),
        "lang": Field(LANGUAGE, doc="only in this language; default: one letter per profile language"),
        "tags": _ARRANGEMENT["tags"],
    },
)


class Letters(Spec):
    """Cover letters: a list of letters with ids, or a mapping of ids to letters. Always a list, each with its id."""

    expected = "a list of letters (each with an `id`) or a mapping of ids to letters"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, dict):
            letters = [self._keyed(key, letter, path + (key,), ctx) for key, letter in value.items()]
        elif isinstance(value, list):
            letters = [LETTER.check(letter, path + (i,), ctx) for i, letter in enumerate(value)]
            for i, letter in enumerate(letters):
                if letter is not INVALID and letter["id"] is None:
                    letters[i] = ctx.error(path + (i,), "missing required key 'id' in letter (it names the PDF)")
        else:
            return self.wrong_type(value, path, ctx)
        if INVALID in letters:
            return INVALID
        for i, letter in enumerate(letters):
            if letter["lang"] is not None and letter["lang"] not in ctx.languages:
                where = path + (list(value)[i] if isinstance(value, dict) else i, "lang")
                ctx.error(
                    where,
                    f"not one of the profile's languages ({', '.join(ctx.languages)}): no letter would be written",
                )
        ids = [letter["id"] for letter in letters]
        for i, letter_id in enumerate(ids):
            if letter_id in ids[:i]:
                ctx.error(path + (i, "id"), f"another letter already has id {letter_id!r}")
        return letters

    @staticmethod
    def _keyed(key: str, letter: Any, path: Path_, ctx: Context) -> Any:
        if SECTION_ID.check(key, path, ctx) is INVALID:
            return INVALID
        checked = LETTER.check(letter, path, ctx)
        if checked is INVALID or checked["id"] in (None, key):
            return checked if checked is INVALID else {**checked, "id": key}
        return ctx.error(path + ("id",), f"the letter's key is {key!r}: leave `id` out or make it the same")

    def json_schema(self, out: JsonSchema) -> dict:
        letter = out.of(LETTER)
        return {
            "description": self.expected,
            "anyOf": [{"type": "array", "items": letter}, {"type": "object", "additionalProperties": letter}],
        }


PROFILE = Record(
    "profile",
    {
        "languages": Field(
            ListOf(ProfileLanguage(LANGUAGE.regex.pattern, LANGUAGE.expected), one_or_many=True),
            default=["en"],
            doc="one CV per language; with two or more, any text may be {language: text}",
        ),
        "name": Field(NAME, required=True, doc="`Given Family`, or {given, family, order, aliases}"),
        "headline": Field(
            HeaderText(Inline, 200, "a title under the name; say more in `summary`"), doc="a title under the name"
        ),
        "photo": Field(Photo()),
        "contact": Field(CONTACT),
        "social": Field(
            Mapping(
                tuple(NETWORKS),
                "social network",
                SOCIAL_ACCOUNT,
                {n: FEDIVERSE_ACCOUNT for n, kind in NETWORKS.items() if kind.profile_url == FEDIVERSE},
            ),
            default={},
            doc="network: username or profile URL",
        ),
        "summary": Field(TEXT, doc="printed first, under the heading Summary"),
        "sections": Field(ListOf(SECTION), default=[]),
        "letters": Field(Letters(), default=[], doc="cover letters in the CV's design: NAME.letter-ID.pdf"),
        "design": Field(DESIGN, doc="how the CV looks; any value can be overridden with --set design.KEY=VALUE"),
        "jsonresume": _JSON_RESUME,
    },
    lambda profile, path, ctx: _section_ids(profile, ctx),
    custom=True,
)


def _section_ids(profile: dict, ctx: Context) -> Any:
    """Every section gets an id: its own, or its title (first language) as a slug, made unique.
    Two sections shown in the same language cannot share an id given in the file."""
    taken: list[tuple[str | None, set]] = []

    def clash(section_id: str | None, languages: set) -> bool:
        return any(other == section_id and languages & shown for other, shown in taken)

    sections = profile["sections"]
    shown_in = [{s["lang"]} if s["lang"] else set(ctx.languages) for s in sections]
    for i, section in enumerate(sections):
        if section["id"] is not None:
            if clash(section["id"], shown_in[i]):
                ctx.error(("sections", i, "id"), f"another section already has id {section['id']!r}")
            taken.append((section["id"], shown_in[i]))
    for i, section in enumerate(sections):
        if section["id"] is None:
            title = section["title"][ctx.languages[0]] if isinstance(section["title"], Localized) else section["title"]
            slug = re.sub(r"[\W_]+", "-", plain(title).casefold()).strip("-") or f"section-{i + 1}"
            section["id"], n = slug, 1
            while clash(section["id"], shown_in[i]):
                n += 1
                section["id"] = f"{slug}-{n}"
            taken.append((section["id"], shown_in[i]))
    if profile["design"] is not None:
        _section_references(profile["design"], sections, ctx)
    return INVALID if ctx.problems else profile


def _section_references(design: dict, sections: list, ctx: Context) -> None:
    ids = list(dict.fromkeys(s["id"] for s in sections))
    known = f"(section ids: {', '.join(ids) or 'none, the profile has no sections'})"
    for key in ("section_order", "hidden_sections"):
        for i, section_id in enumerate(design[key]):
            if section_id not in ids:
                ctx.error(("design", key, i), f"no section has id {section_id!r} {known}{suggest(section_id, ids)}")
    for section_id in design["section_titles"]:
        if section_id not in ids:
            ctx.error(
                ("design", "section_titles", section_id),
                f"no section has id {section_id!r} {known}{suggest(section_id, ids)}",
            )


def check_section_references(profile: dict) -> None:
    """Check design values set on the command line that name sections (--order, --hide, --rename)."""
    ctx = Context(Source("command line", {}), tuple(profile["languages"]))
    _section_references(profile["design"], profile["sections"], ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)


def validate(
    doc: Source, allowed_dirs: Iterable[pathlib.Path] = (), template_dirs: Iterable[pathlib.Path] = ()
) -> dict:
    """The normalised profile, or ProfileError listing every problem in the document. The files it
    names (photo, design.template_dir) must lie in its folder's tree or one of `allowed_dirs`; its
    design options are those of its template family, looked for in `template_dirs` first."""
    data = doc.data
    if not isinstance(data, dict):
        raise ProfileError(
            [doc.problem((), f"a profile is a mapping of keys (name, contact, sections, …), got {type_name(data)}")]
        )
    ctx = Context(
        doc, _languages(data), trees=profile_trees(doc.file, allowed_dirs), template_dirs=tuple(template_dirs)
    )
    profile = PROFILE.check(data, (), ctx)
    if ctx.problems or profile is INVALID:
        raise ProfileError(ctx.problems)
    profile["contact"] = profile["contact"] or CONTACT.check({}, ("contact",), ctx)
    profile["design"] = profile["design"] or DESIGN.check({}, ("design",), ctx)
    profile["source"] = doc.file
    return profile


def _languages(data: dict) -> tuple[str, ...]:
    value = data.get("languages", "en")
    values = value if isinstance(value, list) else [value]
    return tuple(v for v in values if isinstance(v, str)) or ("en",)


def json_schema() -> dict:
    """The profile format as a JSON Schema (draft 2020-12), derived from the specs `validate` uses.

    Checks that need code stay texcv's alone: dates in order, photo files that exist, translations
    only with two or more `languages` and for every one of them.
    """
    from . import __version__

    named = {
        "line": LINE,
        "paragraphs": TEXT,
        "plain": PLAIN,
        "email": EMAIL,
        "length": LENGTH,
        "language": LANGUAGE,
        "tag": TAG,
        "link": _LINK,
        "contact_link": CONTACT_LINK,
        "icon": CONTACT_LINK.fields["icon"].spec,
        "entry": _items(SECTION.fields["entries"].spec),
        "subsection": SUBSECTION,
        "subsection_entry": _items(SUBSECTION.fields["entries"].spec),
        "section": SECTION,
        "design": DESIGN,
        "letter": LETTER,
        **{f"{kind}_entry": record for kind, record in ENTRY_KINDS.items()},
    }
    out = JsonSchema(named)
    profile = PROFILE.json_schema(out)
    out.defs["design"]["properties"].update(_family_options_schema(out))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated by texcv {__version__} (`texcv schema`); regenerate it rather than edit it.",
        **profile,
        "title": "texcv profile",
        "description": "A CV kept as YAML, typeset by texcv. Format: docs/profile-format.md",
        "$defs": dict(sorted(out.defs.items())),
    }


def _items(spec: Spec) -> Spec:
    """What a list field holds."""
    if not isinstance(spec, ListOf):
        raise TypeError(f"not a list: {spec!r}")
    return spec.item


def _family_options_schema(out: JsonSchema) -> dict:
    """The options the packaged families declare: each described by its help, naming its families."""
    by_name: dict[str, list[tuple[str, dict]]] = {}
    for family in declared(search_path(None)).values():
        check_declarations(family)
        for name, option in family.options.items():
            described = {"description": f"{option.help} ({option.describe()})", "default": option.default}
            by_name.setdefault(name, []).append((family.name, {**out.of(option_spec(option)), **described}))
    properties = {}
    for name, found in sorted(by_name.items()):
        schemas = list({repr(schema): schema for _, schema in found}.values())
        families_named = ", ".join(family for family, _ in found)
        one = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        defaults = {repr(schema["default"]): schema["default"] for schema in schemas}
        if len(defaults) == 1:  # the families agree: an editor offers it whatever the family
            one = {**one, "default": next(iter(defaults.values()))}
        properties[name] = or_null({**one, "$comment": f"an option of the template families {families_named}"})
    return properties
