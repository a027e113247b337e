"""The validation framework: a data format declared as a tree of Spec objects, checked with every
problem collected and located (file:line:col, dotted path, what was expected), and written out as a
JSON Schema for editors. The profile format itself is declared in schema.py."""

from __future__ import annotations

import difflib
import pathlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import fonts
from .dates import DateError, parse_date
from .errors import suggest
from .escape import display_width
from .loader import Path_, Source
from .markup import Block, Inline

INVALID = object()  # a value that failed; its problem is already recorded


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


def type_name(value: Any) -> str:
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
        got = type_name(value)
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
                f"expected {self.expected}, got a mapping"
                " (per-language text needs `languages:` with two or more languages)",
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
                f"no translation for {', '.join(missing)}"
                " (give every language in `languages`, or mark the entry with `lang:`)",
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
            return ctx.error(path, f"expected {self.expected}, got {type_name(value)}: write {value} without quotes")
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


class FontFamily(Spec):
    """A font: one of `keywords` (sans, roman: Latin Modern), or an installed family by name, given by its
    main name ("tex gyre pagella" → "TeXGyrePagella"), with the upright, bold and italic faces a CV needs."""

    def __init__(self, keywords: tuple[str, ...]):
        self.keywords = keywords
        self.expected = f"{', '.join(keywords)} or an installed font family (`fc-list : family` lists them)"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if not isinstance(value, str) or not value.strip():
            return self.wrong_type(value, path, ctx)
        if value.strip() in self.keywords:
            return value.strip()
        family = fonts.canonical(value)
        if family is None:
            names = [*self.keywords, *fonts.family_names()]
            close = difflib.get_close_matches(value.strip(), names, n=3, cutoff=0.5)
            maybe = f"; close matches: {', '.join(close)}" if close else ""
            return ctx.error(path, f"no installed font family {value.strip()!r} (expected {self.expected}){maybe}")
        try:
            fonts.faces(family)
        except fonts.FontProblem as exc:
            return ctx.error(path, str(exc))
        return family

    def json_schema(self, out: JsonSchema) -> dict:
        return {"type": "string", "examples": list(self.keywords), "pattern": r"\S"}


class Number(Spec):
    """A number within a range, written without a unit: 0.9; only whole numbers when `whole`: 2."""

    noun, unit = "", ""  # printed around a value in messages: "size 13 pt"

    def __init__(self, low: float, high: float, whole: bool = False):
        self.low, self.high, self.whole = low, high, whole
        self.expected = self._expected()

    def _expected(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"

    def check(self, value: Any, path: Path_, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (self.whole and value != int(value)):
            hint = " (write the number without quotes or unit)" if isinstance(value, str) else ""
            return ctx.error(path, f"expected {self.expected}, got {type_name(value)}{hint}")
        if not self.low <= value <= self.high:
            return ctx.error(path, f"{self.noun}{value:g}{self.unit} is out of range (expected {self.expected})")
        return int(value) if value == int(value) else value

    def json_schema(self, out: JsonSchema) -> dict:
        kind = "integer" if self.whole else "number"
        return {"description": self.expected, "type": kind, "minimum": self.low, "maximum": self.high}


class Size(Number):
    """A size in points within a range, as a number: 10.5."""

    noun, unit = "size ", " pt"

    def _expected(self) -> str:
        return f"a size from {self.low:g} to {self.high:g} pt, such as 10.5"


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
                f"unknown key in {self.what} (expected one of: {', '.join(self.fields)}{custom})"
                f"{suggest(key, self.fields)}",
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
                schema = or_null(schema)
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
    """A mapping from a closed set of keys to values of one kind (`special`: another for some keys)."""

    def __init__(self, keys: tuple, what: str, value: Spec, special: dict[str, Spec] | None = None):
        self.keys, self.what, self.value, self.special = keys, what, value, special or {}
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
                out[key] = self.special.get(key, self.value).check(item, path + (key,), ctx)
        return INVALID if INVALID in out.values() else out

    def json_schema(self, out: JsonSchema) -> dict:
        value = out.of(self.value)
        return {
            "title": f"{self.what} → {self.value.expected}",
            "type": "object",
            "properties": {key: out.of(self.special[key]) if key in self.special else value for key in self.keys},
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


# --- JSON Schema -------------------------------------------------------------------------------

_MARKUP = "inline markdown: **bold**, *italic*, `code`, [text](https://…)"
_TEXT_KINDS: dict[Callable[[str], str], str] = {
    Inline: f"one line of text ({_MARKUP})",
    Block: f"text; a blank line starts a paragraph ({_MARKUP})",
    str: "plain text (no markup)",
}


def or_null(schema: dict) -> dict:
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


# --- common specs ---------------------------------------------------------------------------------


# --- the profile format ------------------------------------------------------------------------

LINE = Text(Inline)
TEXT = Text(Block)
PLAIN = Text(str)
LANGUAGE = Pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", "a language code such as en or zh")
CUSTOM_KEY = re.compile(r"x_\w+")


def _custom_key_problem(key: str) -> str:
    """Why a key starting with x_ is not a custom field name."""
    wrong = re.search(r"\W", key)
    if wrong is None:
        return "a custom field needs a name after x_"
    fixed = re.sub(r"\W", "_", key)
    return f"not a custom field name: only letters, digits and _ may follow x_, not {wrong.group()!r} ({fixed!r}?)"


CUSTOM = Custom()
