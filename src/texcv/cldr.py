"""Month names, date patterns and digits from CLDR, through Babel: the part of a locale nobody types by
hand. Imported only for a language whose locale file does not give them (English does), so a build in
English never loads Babel (docs/performance.md)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any, cast

# CLDR skeletons for the three kinds of date a CV prints.
_SKELETONS = {"year": "y", "month": "yMMM", "day": "yMMMd"}
# Pattern fields → texcv's placeholders (dates.format_date); month names go in {month}.
_NUMBERS = {"y": "{year}", "yyyy": "{year}", "Y": "{year}", "M": "{m}", "MM": "{mm}", "d": "{day}", "dd": "{dd}"}
NAMES = {"MMM": ("format", "abbreviated"), "MMMM": ("format", "wide"),
          "LLL": ("stand-alone", "abbreviated"), "LLLL": ("stand-alone", "wide")}  # fmt: skip
_FIELD = re.compile(r"%\((\w+)\)s")


def known(code: str) -> bool:
    """Whether CLDR has a locale for `code` (de, pt-BR, zh-Hant)."""
    from babel import localedata

    return localedata.exists(code.replace("-", "_"))


@cache
def calendar_words(code: str, month_names: str | None = None) -> dict:
    """`months` and `day_months` (the names in the "month" and "day" patterns: nominative and
    genitive where a language tells them apart) and `date_formats`, for a locale CLDR has (`known`).
    `month_names` (MMM, MMMM, LLL or LLLL) replaces the names CLDR's month-and-year pattern takes
    (and sets the width of those in a full date).
    Digits stay 0–9: Babel has no table of other digits."""
    from babel import localedata
    from babel.dates import parse_pattern

    name = code.replace("-", "_")
    # Read from Babel's plain locale data: its Locale objects memoise aliases into data shared
    # between locales (babel issue #1234), so after Hebrew other languages' months came out Hebrew.
    data = localedata.load(name)
    out: dict[str, Any] = {"date_formats": {}}
    for kind, skeleton in _SKELETONS.items():
        # DateTimePattern.format: the pattern as %(field)s text (an attribute that shadows a method)
        pattern = cast(str, parse_pattern(data["datetime_skeletons"][skeleton].pattern).format)
        for field in _FIELD.findall(pattern):
            if field in NAMES:
                chosen = _chosen(field, kind, month_names)
                names = _resolve(data, ("months", *NAMES[chosen]))
                out["months" if kind == "month" else "day_months"] = [names[m] for m in range(1, 13)]
        literal = pattern.replace("{", "{{").replace("}", "}}")
        out["date_formats"][kind] = _FIELD.sub(_placeholder, literal).replace("%%", "%")
    out.setdefault("months", out.get("day_months", [str(m) for m in range(1, 13)]))
    return out


def _chosen(field: str, kind: str, month_names: str | None) -> str:
    """The month field to print: the locale's choice in a month-and-year date; in a full date its
    width only, the grammatical context staying CLDR's (Greek "31 Μαΐ", genitive, beside "Μάι 2019")."""
    if not month_names:
        return field
    return month_names if kind == "month" else field[0] * len(month_names)


def _placeholder(field: re.Match) -> str:
    return "{month}" if field.group(1) in NAMES else _NUMBERS[field.group(1)]


def _resolve(data: dict, keys: tuple[str, ...]) -> dict:
    """The value at `keys`, its CLDR aliases followed without writing anything back."""
    from babel.localedata import Alias

    value: Any = data
    for key in keys:
        value = value[key]
    if isinstance(value, Alias):
        return _resolve(data, value.keys)
    if isinstance(value, tuple):  # an alias with some entries of its own
        alias, own = value
        return {**_resolve(data, alias.keys), **own}
    return value
