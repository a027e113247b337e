"""texcv's own words in each language — "present", the summary heading, the PDF's title and subject —
and its date style. Each locale is a small YAML file: the packaged ones in `texcv/locales/`, then the
user's in `~/.config/texcv/locales/` and in `locales/` beside the profile, each file overriding the
keys it gives. Month names and date patterns a file leaves out come from CLDR (cldr.py)."""

from __future__ import annotations

import os
import string
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import ProfileError, UserError
from .loader import Path_, load, parse
from .validation import INVALID, Choice, Context, Field, Flag, ListOf, Pattern, Record, Text

# Codes whose words are another locale's: Chinese is Simplified unless the region writes Traditional.
ALIASES = {"zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}
REQUIRED = ("present", "summary", "cv", "subject")  # the others only where a family or a letter prints them
USER_FOLDER = "locales"  # beside the profile, and in texcv's config directory


class Placeholders(Text):
    """Text with {placeholders} from a fixed set."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__(str, f"text with placeholders among {', '.join('{' + n + '}' for n in names)}")
        self.names = names

    def convert(self, value: str, path: Path_, ctx: Context) -> Any:
        try:
            used = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError as exc:
            return ctx.error(path, f"{value!r}: {exc} (write a literal brace as {{{{ or }}}})")
        unknown = [name for name in used if name not in self.names]
        if unknown:
            return ctx.error(path, f"unknown placeholder {{{unknown[0]}}} (expected {self.expected})")
        return value


_WORD = Text(str)
_MONTHS = ListOf(_WORD, min_items=12, max_items=12)
LOCALE = Record(
    "locale",
    {
        "present": Field(_WORD, doc='an end date that has not come: "present"'),
        "summary": Field(_WORD, doc="the heading over the profile's summary"),
        "cv": Field(_WORD, doc="the document's kind, in the PDF title: name – CV"),
        "subject": Field(Placeholders(("name",)), doc="the PDF subject: Résumé of {name}"),
        "contact": Field(_WORD, doc="the heading over the contact details (sidebar family)"),
        "letter_opening": Field(_WORD, doc="a cover letter's opening when the letter gives none"),
        "letter_closing": Field(_WORD, doc="a cover letter's closing when the letter gives none"),
        "enclosure": Field(_WORD, doc="the label before a letter's one enclosure"),
        "enclosures": Field(_WORD, doc="the label before a letter's enclosures"),
        "degree_in": Field(Placeholders(("degree", "area")), doc="an education entry's title: {degree} in {area}"),
        "score": Field(Placeholders(("score",)), doc="an education entry's score given as a number: GPA {score}"),
        "last_updated": Field(Placeholders(("date",)), doc="the footer of design.last_updated"),
        "range_separator": Field(_WORD, doc="between the start and end of a period"),
        "month_names": Field(
            Choice(("MMM", "MMMM", "LLL", "LLLL"), "CLDR month field"),
            doc="CLDR's names for a month-and-year date: MMM/MMMM abbreviated/wide, LLL/LLLL their stand-alone forms",
        ),
        "months": Field(_MONTHS, doc="month names in a month-and-year date (CLDR's otherwise)"),
        "day_months": Field(_MONTHS, doc="month names in a full date, where the grammar differs"),
        "date_formats": Field(
            Record(
                "date formats",
                {
                    kind: Field(Placeholders(("year", "month", "m", "mm", "day", "dd")), required=True)
                    for kind in ("year", "month", "day")
                },
            )
        ),
        "hyphenation": Field(Pattern(r"[a-z]+", "a TeX hyphenation pattern name such as ngerman")),
        "french_spacing": Field(Flag(), doc="a no-break space before : ; ! ?"),
    },
)


def config_folder() -> Path:
    """texcv's configuration directory: $XDG_CONFIG_HOME/texcv or ~/.config/texcv."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".config") / "texcv"


def _user_folders(profile_folder: Path | None) -> list[Path]:
    folders = [config_folder() / USER_FOLDER]
    return folders + ([profile_folder / USER_FOLDER] if profile_folder is not None else [])


def locale_words(lang: str, profile_folder: Path | None = None) -> dict:
    """The words and date style for `lang`: the packaged locale (or its base language's: de-AT → de),
    overridden by the user's files; months and date patterns from CLDR where no file gives them."""
    code = ALIASES.get(lang, lang)
    words: dict[str, Any] = {"range_separator": " – "}
    packaged = next((c for c in (code, code.split("-")[0]) if c in _packaged_codes()), None)
    if packaged:
        words.update(_packaged(packaged))
    last_file = None
    for folder in _user_folders(profile_folder):
        for candidate in dict.fromkeys((code.split("-")[0], lang, code)):
            file = folder / f"{candidate}.yaml"
            if file.is_file():
                words.update(_read(load(file)))
                last_file = file
    if not packaged and last_file is None:
        raise UserError(f"texcv has no words for language {lang!r} (available: {', '.join(available_languages())})")
    missing = [key for key in REQUIRED if key not in words]
    if missing:
        raise UserError(
            f"{last_file}: language {lang!r} needs {', '.join(missing)} (texcv has no built-in locale for it)"
        )
    if "months" not in words or "date_formats" not in words:
        words = {**_from_cldr(lang, code, words.get("month_names"), last_file), **words}
    return words


def _from_cldr(lang: str, code: str, month_names: str | None, file: Path | None) -> dict:
    from . import cldr

    for candidate in (code, code.split("-")[0]):
        if cldr.known(candidate):
            return cldr.calendar_words(candidate, month_names)
    raise UserError(f"{file}: CLDR has no dates for language {lang!r}: give months and date_formats")


@cache
def _packaged(code: str) -> dict:
    resource = files("texcv").joinpath(f"locales/{code}.yaml")
    return _read(parse(resource.read_text("utf-8"), f"texcv/locales/{code}.yaml"))


def _read(doc: Any) -> dict:
    """A locale file's keys, checked; every problem reported with its file, line and column."""
    ctx = Context(doc, ("",))
    if doc.data is None:
        return {}
    checked = LOCALE.check(doc.data, (), ctx)
    if ctx.problems or checked is INVALID:
        raise ProfileError(ctx.problems)
    return {key: value for key, value in checked.items() if value is not None}


@cache
def _packaged_codes() -> frozenset[str]:
    return frozenset(p.name[:-5] for p in files("texcv").joinpath("locales").iterdir() if p.name.endswith(".yaml"))


def packaged_hyphenation() -> dict[str, str]:
    """Each packaged locale's hyphenation patterns (TeX's name), for those that have some."""
    return {
        code: _packaged(code)["hyphenation"] for code in sorted(_packaged_codes()) if "hyphenation" in _packaged(code)
    }


def available_languages(profile_folder: Path | None = None) -> list[str]:
    """Codes with words: the packaged locales, their aliases, and the user's locale files."""
    user = {file.stem for folder in _user_folders(profile_folder) if folder.is_dir() for file in folder.glob("*.yaml")}
    return sorted(_packaged_codes() | {"zh"} | user)
