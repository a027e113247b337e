"""Stage 2: check loaded data against the profile format and normalise it.

The format is declared once, as a tree of Spec objects; `validate` walks data and spec together and
collects every problem (file:line:col, dotted path, what was expected) before giving up. The result
is plain dicts and lists in which every optional key is present, text is typed (markup.Inline /
Block) and translations are `Localized` mappings resolved later, per language (localize.py).
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .choices import ENGINES, NAME_ORDERS, PAPERS
from .dates import DateError, PartialDate, parse_date
from .errors import Problem, ProfileError, TemplateError, suggest
from .escape import display_width
from .loader import Path_, Source
from .markup import Block, Inline, plain
from .social import NETWORKS
from .templates import Family, Option, declared, profile_trees, search_path

INVALID = object()  # a value that failed; its problem is already recorded

PHONE_KINDS = ("mobile", "fixed", "fax")


class Localized(dict):
    """A text given per language: {"en": ..., "zh": ...}."""


@dataclass
class Context:
    doc: Source
    languages: tuple[str, ...]
    problems: list = field(default_factory=list)
    # The folder trees the files a profile names must lie in; None: anywhere (a value typed on the command line).
    trees: tuple[pathlib.Path, ...] | None = None
    # Template directories from the command line, searched for the design's family to check its
    # options; None: not checked here (one design value typed on the command line, checked later).
    template_dirs: tuple[pathlib.Path, ...] | None = None

    def error(self, path: Path_, message: str) -> object:
        self.problems.append(self.doc.problem(path, message))
        return INVALID

    def local_file(self, value: str, path: Path_, what: str) -> Any:
        """`value` relative to the profile, links resolved; INVALID (reported) if that leaves the profile's trees.
        Checked before the file is looked at, so a profile cannot even probe what exists elsewhere."""
        file = (pathlib.Path(self.doc.file).parent / value).resolve()
        if self.trees is None or any(file.is_relative_to(tree) for tree in self.trees):
            return file
        return self.error(
            path,
            f"{what} {file} is outside the profile's folder {self.trees[0]}: a profile names "
            "files only in its own folder tree (allow another folder with --allow-dir DIR)",
        )


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


# --- specs -------------------------------------------------------------------------------------


class Spec:
    expected = "a value"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self, out: JsonSchema) -> dict:
        """This spec as JSON Schema (draft 2020-12); `out` collects shared definitions."""
        raise NotImplementedError

    def wrong_type(self, value: Any, path: Path_, ctx: Context) -> object:
        hint = (
            " (put it in quotes to make it text)"
            if isinstance(value, (int, float, bool)) and self.expected.endswith("text")
            else ""
        )
        got = _type_name(value)
        if path in ctx.doc.written:
            got = f"a number ({ctx.doc.written[path]}, which YAML reads as {value})"
        return ctx.error(path, f"expected {self.expected}, got {got}{hint}")


class Text(Spec):
    """A string; with several profile languages also a {language: string} mapping."""

    def __init__(self, kind: Callable[[str], str] = Inline, expected: str = "text"):
        self.kind, self.expected = kind, expected

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, dict) and len(ctx.languages) > 1:
            return self._translations(value, path, ctx)
        if isinstance(value, dict):
            return ctx.error(
                path,
                f"expected {self.expected}, got a mapping (per-language text needs `languages:` with two or more languages)",
            )
        if not isinstance(value, str):
            return self.wrong_type(value, path, ctx)
        if not value.strip():
            return self.empty(path, ctx)
        return self.convert(value, path, ctx)

    def empty(self, path: Path_, ctx: Context) -> object:
        leave_out = "the item" if path and isinstance(path[-1], int) else "the field"
        return ctx.error(path, f"expected {self.expected}, got an empty string (leave {leave_out} out instead)")

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        return self.kind(value.strip())

    def describe(self) -> str:
        return _TEXT_KINDS[self.kind]

    def string_schema(self) -> dict:
        return {"type": "string", "pattern": r"\S"}

    def json_schema(self, out: JsonSchema) -> dict:
        one = self.string_schema()
        # The per-language form: a mapping from language code to the same kind of string.
        per_language = {
            "type": "object",
            "propertyNames": LANGUAGE.string_schema(),
            "additionalProperties": one,
            "minProperties": 1,
        }
        return {"description": self.describe(), "anyOf": [one, per_language]}

    def _translations(self, value: dict, path: Path_, ctx: Context) -> Any:
        out = Localized()
        for lang, text in value.items():
            if lang not in ctx.languages:
                ctx.error(
                    path + (lang,),
                    f"language {lang!r} is not in `languages` {list(ctx.languages)}{suggest(lang, ctx.languages)}",
                )
            elif not isinstance(text, str):
                self.wrong_type(text, path + (lang,), ctx)
            elif not text.strip():
                ctx.error(path + (lang,), f"expected {self.expected}, got an empty string")
            else:
                out[lang] = self.convert(text, path + (lang,), ctx)
        missing = [lang for lang in ctx.languages if lang not in value]
        if missing:
            return ctx.error(
                path,
                f"no translation for {', '.join(missing)} (give every language in `languages`, or mark the entry with `lang:`)",
            )
        return out if len(out) == len(value) else INVALID


class HeaderText(Text):
    """Text for the header, which moderncv sets in boxes that cannot break across pages, and the
    contact details on lines that cannot wrap: too long a value squeezes the name into a sliver or
    pushes the CV off its first page. The limit counts columns: a wide (CJK) character takes two."""

    def __init__(self, kind: Callable[[str], str], limit: int, advice: str):
        super().__init__(kind)
        self.limit, self.advice = limit, advice

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        width = display_width(value.strip())
        if width > self.limit:
            return ctx.error(path, f"too long for the header ({width} characters; at most {self.limit}): {self.advice}")
        return super().convert(value, path, ctx)

    def string_schema(self) -> dict:
        return {**super().string_schema(), "maxLength": self.limit}


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

    def describe(self) -> str:
        return self.expected

    def string_schema(self) -> dict:
        return {"type": "string", "pattern": rf"^\s*(?:{self.regex.pattern})\s*$"}


class ProfileLanguage(Pattern):
    """A language code texcv has built-in words (dates, headings) for, itself or its base (de-AT → de)."""

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        from .words import available_languages

        code = super().convert(value, path, ctx)
        known = available_languages()
        if code is INVALID or code in known or code.split("-")[0] in known:
            return code
        return ctx.error(
            path,
            f"texcv has no built-in words for language {code!r} (available: {', '.join(known)}){suggest(code, known)}",
        )


class Url(Pattern):
    expected = "a URL starting with https:// or http://"

    def __init__(self) -> None:
        # Written without inline flags so that the JSON Schema (ECMA-262 regex) means the same.
        super().__init__(r"[Hh][Tt][Tt][Pp][Ss]?://\S{3,}", self.expected)

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        value = value.strip()
        if space := re.search(r"\s", value):
            return ctx.error(
                path, f"{value!r} has a space (character {space.start() + 1}); a URL has none: write it as %20"
            )
        if not self.regex.fullmatch(value):
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
        if str(value) in map(str, self.choices):  # "11" for 11
            return ctx.error(path, f"expected {self.expected}, got {_type_name(value)}: write {value} without quotes")
        return ctx.error(
            path, f"unknown {self.what} {value!r} (expected {self.expected}){suggest(value, self.choices)}"
        )

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.what, "enum": list(self.choices)}


class Flag(Spec):
    expected = "true or false"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        return {"type": "boolean"}


class Color(Spec):
    """A colour: one of `names`, #RRGGBB, or rgb(r,g,b) with components 0–255; given as "#RRGGBB"
    (upper case) unless it is a name."""

    _HEX = re.compile(r"#([0-9a-fA-F]{6})")
    _RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")

    def __init__(self, names: tuple[str, ...]):
        self.names = names
        self.expected = f"a colour ({', '.join([*names, '#RRGGBB', 'rgb(r,g,b)'])})"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, path, ctx)
        value = value.strip()
        if value in self.names:
            return value
        if hexadecimal := self._HEX.fullmatch(value):
            return "#" + hexadecimal.group(1).upper()
        if rgb := self._RGB.fullmatch(value):
            parts = [int(part) for part in rgb.groups()]
            if max(parts) > 255:
                return ctx.error(path, f"{value!r}: each part of rgb(r,g,b) is a number from 0 to 255")
            return "#" + "".join(f"{part:02X}" for part in parts)
        return ctx.error(path, f"unknown colour {value!r} (expected {self.expected}){suggest(value, self.names)}")

    def json_schema(self, out: JsonSchema) -> dict:
        names = "|".join(map(re.escape, self.names))
        return {"type": "string", "pattern": f"^(?:{names}|{self._HEX.pattern}|{self._RGB.pattern})$"}


class Size(Spec):
    """A size in points within a range, as a number: 10.5."""

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high
        self.expected = f"a size from {low:g} to {high:g} pt, such as 10.5"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = " (write the number without quotes or unit)" if isinstance(value, str) else ""
            return ctx.error(path, f"expected {self.expected}, got {_type_name(value)}{hint}")
        if not self.low <= value <= self.high:
            return ctx.error(path, f"size {value:g} pt is out of range (expected {self.expected})")
        return int(value) if value == int(value) else value

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "number", "minimum": self.low, "maximum": self.high}


class Date(Spec):
    expected = "a date (YYYY, YYYY-MM, YYYY-MM-DD) or text"

    def __init__(self, allow_present: bool = False):
        self.allow_present = allow_present

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, str))
            or (isinstance(value, str) and not value.strip())
        ):
            return self.wrong_type(value, path, ctx)
        if isinstance(value, int) and path in ctx.doc.written:  # 07, 0777 (octal), 2019_09: not the year written
            written = ctx.doc.written[path]
            # 2019_09 meant a month; other forms are quoted as written, for the date check to judge
            meant = written.replace("_", "-") if re.fullmatch(r"\d{4}(_\d\d){1,2}", written) else written
            return ctx.error(path, f'YAML reads {written} as the number {value}: write "{meant}" in quotes')
        try:
            parsed = parse_date(str(value))
        except DateError as exc:
            return ctx.error(path, str(exc))
        if parsed == "present" and not self.allow_present:
            return ctx.error(path, "'present' is only meaningful as an end date")
        return parsed

    def json_schema(self, out: JsonSchema) -> dict:
        present = "; `present` for an ongoing range" if self.allow_present else ""
        return {
            "description": self.expected + present,
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"\S"}],
        }


class ListOf(Spec):
    def __init__(self, item: Spec, min_items: int = 0, one_or_many: bool = False, max_items: int | None = None):
        self.item, self.min_items, self.one_or_many, self.max_items = item, min_items, one_or_many, max_items
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
        if self.max_items is not None and len(value) > self.max_items:
            return ctx.error(path, f"has {len(value)} items; at most {self.max_items} fit (join some)")
        return INVALID if INVALID in checked else checked

    def json_schema(self, out: JsonSchema) -> dict:
        item = out.of(self.item)
        array = {
            "type": "array",
            "items": item,
            **({"minItems": self.min_items} if self.min_items else {}),
            **({"maxItems": self.max_items} if self.max_items is not None else {}),
        }
        return {"anyOf": [item, array]} if self.one_or_many else array


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None
    doc: str = ""  # what the field is for, shown by editors through the JSON Schema


def _default(field: Field) -> Any:
    return type(field.default)(field.default) if isinstance(field.default, (list, dict)) else field.default


class Record(Spec):
    """A mapping with known keys; unknown keys are errors (with a suggestion). With `custom`, keys
    starting with x_ are custom fields for custom templates: kept as they are, printed by no default
    template. The prefix keeps typos in known keys errors. With `rest`, other keys are kept and
    `rest` checks them, even when a declared key failed (a design's options: its template family
    declares them)."""

    def __init__(
        self,
        what: str,
        fields: dict[str, Field],
        finish: Callable[[dict, Path_, Context], Any] | None = None,
        custom: bool = False,
        rest: Callable[[dict, Path_, Context], None] | None = None,
    ):
        self.what, self.fields, self.finish, self.custom, self.rest = what, fields, finish, custom, rest
        self.expected = f"a mapping ({what})"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        out: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            if key in self.fields:
                continue
            if self.rest:
                out[key] = item
                continue
            if self.custom and CUSTOM_KEY.fullmatch(str(key)):
                out[key] = CUSTOM.check(item, path + (key,), ctx)
                ok = ok and out[key] is not INVALID
                continue
            if self.custom and str(key).startswith("x_"):
                ctx.error(path + (key,), _custom_key_problem(str(key)))
                ok = False
                continue
            custom = "; custom fields start with x_" if self.custom else ""
            ctx.error(
                path + (key,),
                f"unknown key in {self.what} (expected one of: {', '.join(self.fields)}{custom}){suggest(key, self.fields)}",
            )
            ok = False
        for name, spec in self.fields.items():
            if name not in value or value[name] is None:
                if spec.required:
                    ctx.error(path, f"missing required key {name!r} in {self.what}")
                    ok = False
                out[name] = _default(spec)
                continue
            if spec.required and isinstance(value[name], str) and not value[name].strip():
                out[name] = ctx.error(path + (name,), f"required in {self.what}, and empty: give it a value")
                ok = False
                continue
            out[name] = spec.spec.check(value[name], path + (name,), ctx)
            ok = ok and out[name] is not INVALID
        if self.rest:
            problems = len(ctx.problems)
            self.rest(out, path, ctx)
            ok = ok and len(ctx.problems) == problems
        if not ok:
            return INVALID
        return self.finish(out, path, ctx) if self.finish else out

    def defaults(self) -> dict:
        """The record with every field left out."""
        return {name: _default(spec) for name, spec in self.fields.items()}

    def json_schema(self, out: JsonSchema) -> dict:
        properties = {}
        for name, spec in self.fields.items():
            schema = out.of(spec.spec)
            if not spec.required:  # an empty value (`key:`) counts as left out
                schema = _or_null(schema)
            notes = {"description": spec.doc} if spec.doc else {}
            if spec.default not in (None, [], {}):
                notes["default"] = spec.default
            properties[name] = {**notes, **schema}
        required = [name for name, spec in self.fields.items() if spec.required]
        custom = {"patternProperties": {CUSTOM_KEY.pattern.join("^$"): out.of(CUSTOM)}} if self.custom else {}
        return {
            "title": self.what,
            "type": "object",
            "properties": properties,
            **({"required": required} if required else {}),
            **custom,
            "additionalProperties": False,
        }


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
                ctx.error(
                    path + (key,),
                    f"unknown {self.what} (expected one of: {', '.join(self.keys)}){suggest(key, self.keys)}",
                )
                out[key] = INVALID
            else:
                out[key] = self.value.check(item, path + (key,), ctx)
        return INVALID if INVALID in out.values() else out

    def json_schema(self, out: JsonSchema) -> dict:
        value = out.of(self.value)
        return {
            "title": f"{self.what} → {self.value.expected}",
            "type": "object",
            "properties": {key: value for key in self.keys},
            "additionalProperties": False,
        }


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
        return (
            short
            if short is INVALID
            else self.long.finish(self.from_short(short), path, ctx)
            if self.long.finish
            else self.from_short(short)
        )

    def _is_translation(self, value: dict) -> bool:
        """{en: …, zh: …} is the short form given per language, not the long form."""
        return (
            isinstance(self.short, Text)
            and bool(value)
            and not set(value) & set(self.long.fields)
            and all(LANGUAGE.regex.fullmatch(k) for k in value)
        )

    def json_schema(self, out: JsonSchema) -> dict:
        return {"anyOf": [out.of(self.short), out.of(self.long)]}


class Custom(Spec):
    """A custom field's value: text (with markup, per language too), a number, true/false, or a
    list or mapping of these."""

    expected = "text, a number, true/false, or a list or mapping of these"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str) or (
            isinstance(value, dict) and len(ctx.languages) > 1 and value and set(value) <= set(ctx.languages)
        ):
            return TEXT.check(value, path, ctx)
        if isinstance(value, list):
            items = [self.check(item, path + (i,), ctx) for i, item in enumerate(value)]
            return INVALID if INVALID in items else items
        if isinstance(value, dict):
            fields = {key: self.check(item, path + (key,), ctx) for key, item in value.items()}
            return INVALID if INVALID in fields.values() else fields
        return self.wrong_type(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        one = {"anyOf": [out.of(TEXT), {"type": ["number", "boolean"]}]}
        return {
            "description": f"a custom field for custom templates: {self.expected}",
            "anyOf": [one, {"type": "array"}, {"type": "object"}],
        }


class JsonData(Spec):
    """JSON Resume values kept exactly as `texcv import` found them (null included); never printed."""

    expected = "a mapping of JSON Resume values"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        return value if isinstance(value, dict) else self.wrong_type(value, path, ctx)

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "object"}


class Folder(Spec):
    expected = "a folder, relative to the profile"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, str) or not value.strip():
            return self.wrong_type(value, path, ctx)
        folder = ctx.local_file(value.strip(), path, "folder")
        return folder if folder is INVALID or folder.is_dir() else ctx.error(path, f"folder not found: {folder}")

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "string", "pattern": r"\S"}


class SectionTitles(Spec):
    expected = "a mapping of section ids to titles"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        titles = {str(key): LINE.check(title, path + (key,), ctx) for key, title in value.items()}
        return INVALID if INVALID in titles.values() else titles

    def json_schema(self, out: JsonSchema) -> dict:
        return {"description": self.expected, "type": "object", "additionalProperties": out.of(LINE)}


# --- the profile format ------------------------------------------------------------------------

LINE = Text(Inline)
TEXT = Text(Block)
PLAIN = Text(str)
CONTACT_LINE = HeaderText(Inline, 60, "shorten it, or split an address over up to three lines")
CONTACT_LINE_PLAIN = HeaderText(str, 60, "shorten it")
EMAIL = Pattern(r"[^@\s]+@[^@\s]+\.[^@\s.]+", "an email address (name@example.org)")
LENGTH = Pattern(r"[0-9]+(\.[0-9]+)?(cm|mm|in|pt|em)", "a length such as 1.5cm, 15mm or 0.8in")
LANGUAGE = Pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", "a language code such as en or zh")
SECTION_ID = Pattern(r"[\w-]+", "a section id (letters, digits, - and _)")
CUSTOM_KEY = re.compile(r"x_\w+")


def _custom_key_problem(key: str) -> str:
    """Why a key starting with x_ is not a custom field name."""
    wrong = re.search(r"\W", key)
    if wrong is None:
        return "a custom field needs a name after x_"
    fixed = re.sub(r"\W", "_", key)
    return f"not a custom field name: only letters, digits and _ may follow x_, not {wrong.group()!r} ({fixed!r}?)"


CUSTOM = Custom()
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


_LINK = Record("link", {"label": Field(LINE, required=True), "url": Field(Url(), required=True)})
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
            "bullets": Field(ListOf(TEXT), default=[]),
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
                    "cannot tell what kind of entry this is: give `title` (experience), `authors` (publication), "
                    "`label` + `text` (item), `date` + `text` (dated), `text`, or `subsection`; or set `kind`",
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
            doc="names the section for design.section_order, hidden_sections and section_titles; default: its title as a slug",
        ),
        "title": Field(LINE, required=True),
        "lang": _ONLY_IN,
        "jsonresume": Field(
            Choice(JSON_RESUME_SECTIONS, "JSON Resume section"),
            doc="the JSON Resume section this is (texcv import and export)",
        ),
        "entries": Field(ListOf(Entry(True), min_items=1), doc="required unless the section has `bib`"),
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
        given = Localized({lang: Inline(p[0]) for lang, p in parts.items()})
        family = Localized({lang: Inline(p[1]) for lang, p in parts.items()})
        order = Localized({lang: "family-first" if p[2] else "given-first" for lang, p in parts.items()})
        return {"given": given, "family": family, "order": order, "aliases": []}
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

PHONE = OneOf(
    CONTACT_LINE_PLAIN,
    Record(
        "phone",
        {
            "number": Field(CONTACT_LINE_PLAIN, required=True),
            "kind": Field(Choice(PHONE_KINDS, "phone kind"), default="mobile"),
        },
    ),
    lambda number: {"number": number, "kind": "mobile"},
)

CONTACT = Record(
    "contact",
    {
        "email": Field(ListOf(EMAIL, one_or_many=True), default=[]),
        "phone": Field(ListOf(PHONE, one_or_many=True), default=[]),
        "homepage": Field(Url()),
        "location": Field(CONTACT_LINE),
        "address": Field(ListOf(CONTACT_LINE, one_or_many=True, max_items=3), default=[]),  # moderncv: three lines
    },
)

SOCIAL_ACCOUNT = Pattern(r"[^\s]+", "a username or a profile URL")

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
    if option.type == "size" and option.range:
        return Size(*option.range)
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
    for name, option in family.options.items():
        if design.get(name) is None:
            design[name] = option.default


def check_design(profile: dict, source: Source, template_dirs: Iterable[pathlib.Path], allowed_dirs: Iterable) -> None:
    """Check the design's options again once values from the command line (`source.command_line`)
    are in: they may name another family, or options it does not have."""
    ctx = Context(source, tuple(profile["languages"]), trees=profile_trees(source.file, allowed_dirs))
    ctx.template_dirs = tuple(template_dirs)
    _family_options(profile["design"], ("design",), ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)


# Design values every family takes; the others (style, color, font_size, …) are options its template
# family declares in family.yaml, checked by check_family_options once the family is known.
DESIGN_FIELDS = {
    "template": Field(Pattern(r"[\w-]+", "a template family name"), default="moderncv"),
    "paper": Field(Choice(PAPERS, "paper size"), default="a4"),
    "margins": Field(MARGINS, doc="one length for every side, or {top, bottom, left, right}; default: 80% of the page"),
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
            Mapping(tuple(NETWORKS), "social network", SOCIAL_ACCOUNT),
            default={},
            doc="network: username or profile URL",
        ),
        "summary": Field(TEXT, doc="printed first, under the heading Summary"),
        "sections": Field(ListOf(SECTION), default=[]),
        "design": Field(DESIGN, doc="how the CV looks; any value can be overridden with --set design.KEY=VALUE"),
        "jsonresume": _JSON_RESUME,
    },
    lambda profile, path, ctx: _section_ids(profile, ctx),
    custom=True,
)


def _section_ids(profile: dict, ctx: Context) -> Any:
    """Every section gets an id: its own, or its title (first language) as a slug, made unique.
    Two sections shown in the same language cannot share an id given in the file."""
    taken: list[tuple[str, set]] = []

    def clash(section_id: str, languages: set) -> bool:
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
            [doc.problem((), f"a profile is a mapping of keys (name, contact, sections, …), got {_type_name(data)}")]
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


def _checked_design(key: str, value: Any) -> dict:
    """The design `{key: value}` would give in a file (key dotted for nested values: margins.top)."""
    parts = key.split(".")
    for part in reversed(parts):
        value = {part: value}
    doc = Source("command line", value)
    ctx = Context(doc, ("en",))
    design = DESIGN.check(value, ("design",), ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)
    return design


def check_design_value(key: str, value: Any) -> Any:
    """Validate one design value given on the command line, with the same messages as the file."""
    checked = _checked_design(key, value)
    for part in key.split("."):
        checked = checked[part]
    return checked


def override_design(design: dict, key: str, value: Any) -> None:
    """Set one (possibly nested) design value of a validated profile, validated like the file's; a
    family option is kept as given, for check_family_options."""
    checked = _checked_design(key, value)
    *parents, leaf = key.split(".")
    if key.split(".")[0] not in DESIGN_FIELDS:
        design[parents[0] if parents else leaf] = checked[parents[0] if parents else leaf]
        return
    for part in parents:
        if design[part] is None:  # not in the file: the checked record, other keys at their defaults
            design[part] = checked[part]
            return
        design, checked = design[part], checked[part]
    design[leaf] = checked[leaf]


# --- JSON Schema -------------------------------------------------------------------------------

_MARKUP = "inline markdown: **bold**, *italic*, `code`, [text](https://…)"
_TEXT_KINDS = {
    Inline: f"one line of text ({_MARKUP})",
    Block: f"text; a blank line starts a paragraph ({_MARKUP})",
    str: "plain text (no markup)",
}


def _or_null(schema: dict) -> dict:
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if isinstance(schema.get("type"), str):  # the type's other keywords do not apply to null
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


class JsonSchema:
    """Collects the shared definitions while specs describe themselves; named specs become $refs."""

    def __init__(self, names: dict[str, Spec]):
        self.names = {id(spec): name for name, spec in names.items()}
        self.defs: dict[str, dict] = {}

    def of(self, spec: Spec) -> dict:
        name = self.names.get(id(spec))
        if name is None:
            return spec.json_schema(self)
        if name not in self.defs:
            self.defs[name] = {}  # reserved first: a definition may refer to itself
            self.defs[name] = spec.json_schema(self)
        return {"$ref": f"#/$defs/{name}"}


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
        "entry": SECTION.fields["entries"].spec.item,
        "subsection": SUBSECTION,
        "subsection_entry": SUBSECTION.fields["entries"].spec.item,
        "section": SECTION,
        "design": DESIGN,
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
        properties[name] = _or_null({**one, "$comment": f"an option of the template families {families_named}"})
    return properties


__all__ = ["validate", "check_design_value", "override_design", "json_schema", "Localized", "PartialDate", "INVALID"]
