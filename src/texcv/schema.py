"""Stage 2: check loaded data against the profile format and normalise it.

The format is declared once, as a tree of Spec objects; `validate` walks data and spec together and
collects every problem (file:line:col, dotted path, what was expected) before giving up. The result
is plain dicts and lists in which every optional key is present, text is typed (markup.Inline /
Block) and translations are `Localized` mappings resolved later, per language (localize.py).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .dates import DateError, PartialDate, parse_date
from .errors import ProfileError
from .loader import Document, Path_
from .markup import LINK_SCHEMES, Block, Inline

INVALID = object()  # a value that failed; its problem is already recorded

STYLES = ("classic", "casual", "banking", "oldstyle", "fancy", "empty")
COLORS = ("blue", "black", "burgundy", "green", "grey", "orange", "purple", "red")
ENGINES = ("auto", "pdflatex", "xelatex", "lualatex")
PAPERS = ("a4", "letter", "a5", "b5", "legal", "executive")
FONTS = ("sans", "roman")
FONT_SIZES = (10, 11, 12)
NAME_ORDERS = ("given-first", "family-first")
PHONE_KINDS = ("mobile", "fixed", "fax")
# moderncv 2.3.1's \social types, each with the profile URL moderncv builds from a username.
SOCIAL_URLS = {
    "linkedin": "www.linkedin.com/in/{}",
    "xing": "www.xing.com/profile/{}",
    "twitter": "twitter.com/{}",
    "github": "github.com/{}",
    "gitlab": "gitlab.com/{}",
    "stackoverflow": "stackoverflow.com/users/{}",
    "bitbucket": "bitbucket.org/{}",
    "skype": "",
    "orcid": "orcid.org/{}",
    "researchgate": "www.researchgate.net/profile/{}",
    "researcherid": "www.researcherid.com/rid/{}",
    "telegram": "t.me/{}",
    "whatsapp": "wa.me/{}",
    "signal": "",
    "matrix": "matrix.to/#/{}",
    "googlescholar": "scholar.google.com/citations?user={}",
}


class Localized(dict):
    """A text given per language: {"en": ..., "zh": ...}."""


@dataclass
class Context:
    doc: Document
    languages: tuple[str, ...]
    problems: list = field(default_factory=list)

    def error(self, path: Path_, message: str) -> object:
        self.problems.append(self.doc.problem(path, message))
        return INVALID


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- specs -------------------------------------------------------------------------------------


class Spec:
    expected = "a value"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        raise NotImplementedError

    def wrong_type(self, value: Any, path: Path_, ctx: Context) -> object:
        hint = " (put it in quotes to make it text)" if isinstance(value, (int, float, bool)) and self.expected.endswith("text") else ""
        return ctx.error(path, f"expected {self.expected}, got {_type_name(value)}{hint}")


class Text(Spec):
    """A string; with several profile languages also a {language: string} mapping."""

    def __init__(self, kind: Callable[[str], str] = Inline, expected: str = "text"):
        self.kind, self.expected = kind, expected

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, dict) and len(ctx.languages) > 1:
            return self._translations(value, path, ctx)
        if isinstance(value, dict):
            return ctx.error(path, f"expected {self.expected}, got a mapping (per-language text needs `languages:` with two or more languages)")
        if not isinstance(value, str):
            return self.wrong_type(value, path, ctx)
        if not value.strip():
            return ctx.error(path, f"expected {self.expected}, got an empty string (leave the field out instead)")
        return self.convert(value, path, ctx)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        return self.kind(value.strip())

    def _translations(self, value: dict, path: Path_, ctx: Context) -> Any:
        out = Localized()
        for lang, text in value.items():
            if lang not in ctx.languages:
                ctx.error(path + (lang,), f"language {lang!r} is not in `languages` {list(ctx.languages)}{suggest(lang, ctx.languages)}")
            elif not isinstance(text, str) or not text.strip():
                self.wrong_type(text, path + (lang,), ctx)
            else:
                out[lang] = self.convert(text, path + (lang,), ctx)
        missing = [lang for lang in ctx.languages if lang not in value]
        if missing:
            return ctx.error(path, f"no translation for {', '.join(missing)} (give every language in `languages`, or mark the entry with `lang:`)")
        return out if len(out) == len(value) else INVALID


class Pattern(Text):
    """Plain text (no markup) that must match a pattern."""

    def __init__(self, regex: str, expected: str, normalise: Callable[[str], str] = str):
        super().__init__(str, expected)
        self.regex, self.normalise = re.compile(regex), normalise

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        value = value.strip()
        if not self.regex.fullmatch(value):
            return ctx.error(path, f"{value!r} is not {self.expected}")
        return self.normalise(value)


class Url(Text):
    expected = "a URL starting with https:// or http://"

    def __init__(self) -> None:
        super().__init__(str, self.expected)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        value = value.strip()
        if not value.lower().startswith(("http://", "https://")) or any(c.isspace() for c in value) or len(value) < 10:
            scheme = value.split(":", 1)[0] + ":" if ":" in value else ""
            hint = f" (the {scheme} scheme is not allowed)" if scheme and not scheme.startswith("http") else ""
            return ctx.error(path, f"{value!r} is not {self.expected}{hint}")
        return value


class Choice(Spec):
    def __init__(self, choices: tuple, what: str):
        self.choices, self.what = choices, what
        self.expected = f"one of: {', '.join(map(str, choices))}"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if value in self.choices and type(value) is type(self.choices[0]):
            return value
        if isinstance(value, (dict, list)) or value is None:
            return self.wrong_type(value, path, ctx)
        return ctx.error(path, f"unknown {self.what} {value!r} (expected {self.expected}){suggest(value, self.choices)}")


class Flag(Spec):
    expected = "true or false"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(value, path, ctx)


class Date(Spec):
    expected = "a date (YYYY, YYYY-MM, YYYY-MM-DD) or text"

    def __init__(self, allow_present: bool = False):
        self.allow_present = allow_present

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, str) and not value.strip()):
            return self.wrong_type(value, path, ctx)
        try:
            parsed = parse_date(str(value))
        except DateError as exc:
            return ctx.error(path, str(exc))
        if parsed == "present" and not self.allow_present:
            return ctx.error(path, "'present' is only meaningful as an end date")
        return parsed


class ListOf(Spec):
    def __init__(self, item: Spec, min_items: int = 0, one_or_many: bool = False):
        self.item, self.min_items, self.one_or_many = item, min_items, one_or_many
        self.expected = f"a list of {item.expected}" + (" (or just one)" if one_or_many else "")

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if self.one_or_many and not isinstance(value, list):
            value = [value]
            checked = [self.item.check(value[0], path, ctx)]
        elif not isinstance(value, list):
            return self.wrong_type(value, path, ctx)
        else:
            checked = [self.item.check(v, path + (i,), ctx) for i, v in enumerate(value)]
        if len(value) < self.min_items:
            return ctx.error(path, f"needs at least {self.min_items} item(s)")
        return INVALID if INVALID in checked else checked


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None


class Record(Spec):
    """A mapping with known keys; unknown keys are errors (with a suggestion)."""

    def __init__(self, what: str, fields: dict[str, Field], finish: Callable[[dict, Path_, Context], Any] | None = None):
        self.what, self.fields, self.finish = what, fields, finish
        self.expected = f"a mapping ({what})"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        out: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            if key not in self.fields:
                ctx.error(path + (key,), f"unknown key in {self.what} (expected one of: {', '.join(self.fields)}){suggest(key, self.fields)}")
                ok = False
        for name, spec in self.fields.items():
            if name not in value or value[name] is None:
                if spec.required:
                    ctx.error(path, f"missing required key {name!r} in {self.what}")
                    ok = False
                out[name] = list(spec.default) if isinstance(spec.default, list) else spec.default
                continue
            out[name] = spec.spec.check(value[name], path + (name,), ctx)
            ok = ok and out[name] is not INVALID
        if not ok:
            return INVALID
        return self.finish(out, path, ctx) if self.finish else out


class Mapping(Spec):
    """A mapping from a closed set of keys to values of one kind."""

    def __init__(self, keys: tuple, what: str, value: Spec):
        self.keys, self.what, self.value = keys, what, value
        self.expected = f"a mapping of {what} to {value.expected}"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        out = {}
        for key, item in value.items():
            if key not in self.keys:
                ctx.error(path + (key,), f"unknown {self.what} (expected one of: {', '.join(self.keys)}){suggest(key, self.keys)}")
                out[key] = INVALID
            else:
                out[key] = self.value.check(item, path + (key,), ctx)
        return INVALID if INVALID in out.values() else out


class OneOf(Spec):
    """Text or a record: for values with a short and a long form (name, phone)."""

    def __init__(self, short: Spec, long: Record, from_short: Callable[[Any], dict]):
        self.short, self.long, self.from_short = short, long, from_short
        self.expected = f"{short.expected} or {long.expected}"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, dict) and not self._is_translation(value):
            return self.long.check(value, path, ctx)
        if not isinstance(value, (str, dict)):
            return self.wrong_type(value, path, ctx)
        short = self.short.check(value, path, ctx)
        return short if short is INVALID else self.long.finish(self.from_short(short), path, ctx) if self.long.finish else self.from_short(short)

    def _is_translation(self, value: dict) -> bool:
        """{en: …, zh: …} is the short form given per language, not the long form."""
        return isinstance(self.short, Text) and bool(value) and not set(value) & set(self.long.fields) and all(LANGUAGE.regex.fullmatch(k) for k in value)


# --- the profile format ------------------------------------------------------------------------

LINE = Text(Inline)
TEXT = Text(Block)
PLAIN = Text(str)
EMAIL = Pattern(r"[^@\s]+@[^@\s]+\.[^@\s.]+", "an email address (name@example.org)")
LENGTH = Pattern(r"\d+(\.\d+)?(cm|mm|in|pt|em)", "a length such as 1.5cm, 15mm or 0.8in")
LANGUAGE = Pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", "a language code such as en or zh")
TAGS = ListOf(Pattern(r"[\w.-]+", "a tag (letters, digits, - . _)"))


def _dates_in_order(entry: dict, path: Path_, ctx: Context) -> Any:
    start, end = entry.get("start"), entry.get("end")
    if entry.get("date") is not None and (start is not None or end is not None):
        return ctx.error(path, "give either `date` or `start`/`end`, not both")
    if end is not None and start is None:
        return ctx.error(path + ("end",), "an end date needs a `start`")
    if isinstance(start, PartialDate) and isinstance(end, PartialDate) and end.sort_key() < start.sort_key():
        return ctx.error(path + ("end",), f"end date {end} is before start date {start}")
    return entry


_LINK = Record("link", {"label": Field(LINE, required=True), "url": Field(Url(), required=True)})
_DATES = {"date": Field(Date()), "start": Field(Date()), "end": Field(Date(allow_present=True))}
_COMMON = {"kind": Field(PLAIN), "lang": Field(LANGUAGE)}


def _entry_record(kind: str, fields: dict[str, Field], dated: bool = False) -> Record:
    finish = (lambda e, p, c: _dates_in_order(e, p, c)) if dated else None
    return Record(f"{kind} entry", {**_COMMON, **fields}, finish)


ENTRY_KINDS: dict[str, Record] = {
    # \cventry: dates, title, organisation, location, note, description and bullets
    "experience": _entry_record(
        "experience",
        {
            "title": Field(LINE, required=True),
            "organization": Field(LINE),
            "location": Field(LINE),
            **_DATES,
            "note": Field(LINE),
            "description": Field(TEXT),
            "bullets": Field(ListOf(TEXT), default=[]),
            "links": Field(ListOf(_LINK), default=[]),
        },
        dated=True,
    ),
    "publication": _entry_record(
        "publication",
        {
            "title": Field(LINE, required=True),
            "authors": Field(ListOf(LINE, min_items=1), required=True),
            "venue": Field(LINE),
            **_DATES,
            "note": Field(LINE),
            "links": Field(ListOf(_LINK), default=[]),
            "description": Field(TEXT),
        },
        dated=True,
    ),
    # \cvitem: a label and its text
    "item": _entry_record("item", {"label": Field(LINE, required=True), "text": Field(TEXT, required=True)}),
    # a one-liner with a date as its label
    "dated": _entry_record("dated", {**_DATES, "text": Field(TEXT, required=True)}, dated=True),
    "bullet": _entry_record("bullet", {"text": Field(TEXT, required=True)}),
    "text": _entry_record("text", {"text": Field(TEXT, required=True)}),
}
# Which key tells an entry's kind when `kind` is not given, tried in this order.
_KIND_MARKERS = (("authors", "publication"), ("title", "experience"), ("label", "item"))


class Entry(Spec):
    expected = "an entry (a mapping, or text for a bullet)"

    def __init__(self, allow_subsection: bool):
        self.allow_subsection = allow_subsection

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, str) or (isinstance(value, dict) and len(ctx.languages) > 1 and value and set(value) <= set(ctx.languages)):
            text = TEXT.check(value, path, ctx)
            return INVALID if text is INVALID else {"kind": "bullet", "lang": None, "text": text}
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
                kind = "dated" if "text" in value and ({"date", "start"} & set(value)) else "text" if "text" in value else None
            if kind is None:
                return ctx.error(path, "cannot tell what kind of entry this is: give `title` (experience), `authors` (publication), "
                                 "`label` + `text` (item), `date` + `text` (dated), `text`, or `subsection`; or set `kind`")
        elif kind not in ENTRY_KINDS:
            return ctx.error(path + ("kind",), f"unknown entry kind {kind!r} (expected one of: {', '.join(ENTRY_KINDS)}){suggest(kind, ENTRY_KINDS)}")
        checked = ENTRY_KINDS[kind].check(value, path, ctx)
        if checked is not INVALID:
            checked["kind"] = kind
        return checked


SUBSECTION = Record("subsection", {"subsection": Field(LINE, required=True), "lang": Field(LANGUAGE), "entries": Field(ListOf(Entry(False)), required=True)})
SUBSECTION.finish = lambda s, p, c: {**s, "kind": "subsection"}

SECTION = Record(
    "section",
    {
        "title": Field(LINE, required=True),
        "lang": Field(LANGUAGE),
        "entries": Field(ListOf(Entry(True), min_items=1), required=True),
    },
)


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
        given = Localized({lang: Inline(p[0]) for lang, p in parts.items()})
        family = Localized({lang: Inline(p[1]) for lang, p in parts.items()})
        order = Localized({lang: "family-first" if p[2] else "given-first" for lang, p in parts.items()})
        return {"given": given, "family": family, "order": order, "aliases": []}
    given, family, cjk = split(full)
    return {"given": Inline(given), "family": Inline(family), "order": "family-first" if cjk else "given-first", "aliases": []}


NAME = OneOf(
    LINE,
    Record(
        "name",
        {
            "given": Field(LINE, required=True),
            "family": Field(LINE),
            "order": Field(Choice(NAME_ORDERS, "name order")),
            # other spellings of the owner's name, emphasised like the name in author lists
            "aliases": Field(ListOf(PLAIN), default=[]),
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

PHONE = OneOf(
    PLAIN,
    Record("phone", {"number": Field(PLAIN, required=True), "kind": Field(Choice(PHONE_KINDS, "phone kind"), default="mobile")}),
    lambda number: {"number": number, "kind": "mobile"},
)

CONTACT = Record(
    "contact",
    {
        "email": Field(ListOf(EMAIL, one_or_many=True), default=[]),
        "phone": Field(ListOf(PHONE, one_or_many=True), default=[]),
        "homepage": Field(Url()),
        "location": Field(LINE),
        "address": Field(ListOf(LINE, one_or_many=True), default=[]),
    },
)

SOCIAL_ACCOUNT = Pattern(r"[^\s]+", "a username or a profile URL")

MARGINS = OneOf(
    LENGTH,
    Record("margins", {side: Field(LENGTH) for side in ("top", "bottom", "left", "right")}),
    lambda length: dict.fromkeys(("top", "bottom", "left", "right"), length),
)

DESIGN_FIELDS = {
    "template": Field(Pattern(r"[\w-]+", "a template family name"), default="moderncv"),
    "style": Field(Choice(STYLES, "style"), default="classic"),
    "color": Field(Choice(COLORS, "colour"), default="blue"),
    "paper": Field(Choice(PAPERS, "paper size"), default="a4"),
    "font_size": Field(Choice(FONT_SIZES, "font size"), default=11),
    "font": Field(Choice(FONTS, "font family"), default="sans"),
    "icons": Field(Flag(), default=True),
    "margins": Field(MARGINS),
    "engine": Field(Choice(ENGINES, "engine"), default="auto"),
}
DESIGN = Record("design", DESIGN_FIELDS)


def _photo(value: str, path: Path_, ctx: Context) -> Any:
    from pathlib import Path

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return ctx.error(path, "photo must be a local image file, not a URL (download it next to the profile)")
    file = (Path(ctx.doc.file).parent / value).resolve()
    if not file.is_file():
        return ctx.error(path, f"photo file not found: {file}")
    with file.open("rb") as f:
        head = f.read(8)
    if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8") or head.startswith(b"%PDF")):
        return ctx.error(path, f"photo is not a PNG, JPEG or PDF image: {file}")
    return file


class Photo(Text):
    expected = "a path to a PNG or JPEG file"

    def __init__(self) -> None:
        super().__init__(str, self.expected)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        return _photo(value.strip(), path, ctx)


PROFILE = Record(
    "profile",
    {
        "languages": Field(ListOf(LANGUAGE, one_or_many=True), default=["en"]),
        "name": Field(NAME, required=True),
        "headline": Field(LINE),
        "photo": Field(Photo()),
        "contact": Field(CONTACT),
        "social": Field(Mapping(tuple(SOCIAL_URLS), "social network", SOCIAL_ACCOUNT), default={}),
        "summary": Field(TEXT),
        "sections": Field(ListOf(SECTION), default=[]),
        "design": Field(DESIGN),
    },
)


def validate(doc: Document) -> dict:
    """The normalised profile, or ProfileError listing every problem in the document."""
    data = doc.data
    if not isinstance(data, dict):
        raise ProfileError([doc.problem((), f"a profile is a mapping of keys (name, contact, sections, …), got {_type_name(data)}")])
    ctx = Context(doc, _languages(data))
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


def check_design_value(key: str, value: Any) -> Any:
    """Validate one design value given on the command line, with the same messages as the file."""
    doc = Document("command line", {key: value})
    ctx = Context(doc, ("en",))
    if key not in DESIGN_FIELDS:
        raise ProfileError([doc.problem(("design", key), f"unknown design key (expected one of: {', '.join(DESIGN_FIELDS)}){suggest(key, DESIGN_FIELDS)}")])
    result = DESIGN_FIELDS[key].spec.check(value, ("design", key), ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)
    return result


__all__ = ["validate", "check_design_value", "Localized", "PartialDate", "INVALID"]
