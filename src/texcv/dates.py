"""Dates as people write them on a CV: 2019, 2019-05, 2019-05-31, 'present', or free text."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

PRESENT = "present"
_PRESENT_WORDS = {"present", "now", "current", "ongoing", "today"}
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
# Digits and separators only: meant as a date, so it must be a valid one.
_DATE_LIKE = re.compile(r"\d+([-/.]\d+)+")


class DateError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v is not None])


@dataclass(frozen=True)
class FreeDate:
    """A date given as text ("Spring 2016"): printed as written."""

    text: str

    def __str__(self) -> str:
        return self.text


def parse_date(text: str) -> PartialDate | FreeDate | str:
    text = text.strip()
    if text.lower() in _PRESENT_WORDS:
        return PRESENT
    match = _ISO.fullmatch(text)
    if match:
        year = int(match.group(1))
        month, day = (int(g) if g else None for g in match.groups()[1:])
        if not 1000 <= year <= 2999:
            raise DateError(f"year {year} is out of range")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"month {month} in {text!r} is not between 1 and 12")
        if day is not None:
            try:
                datetime.date(year, month, day)  # type: ignore[arg-type]
            except ValueError:
                raise DateError(f"{text!r} is not a real day") from None
        return PartialDate(year, month, day)
    if _DATE_LIKE.fullmatch(text):
        raise DateError(f"{text!r} is not a date texcv understands (write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019-05)")
    return FreeDate(text)


def format_date(value: PartialDate | FreeDate | str, words: dict) -> str:
    """One date in a language's style; `words` is that language's locale data."""
    if value == PRESENT:
        return words["present"]
    if isinstance(value, FreeDate):
        return value.text
    assert isinstance(value, PartialDate)
    kind = "day" if value.day else "month" if value.month else "year"
    # A full date may name its month in another case (Russian "мая" in "5 мая", "май" alone).
    names = words.get("day_months", words["months"]) if kind == "day" else words["months"]
    month = value.month or 0
    return words["date_formats"][kind].format(
        year=value.year,
        month=names[month - 1] if month else "",
        m=month,
        mm=f"{month:02d}",
        day=value.day or 0,
        dd=f"{value.day or 0:02d}",
    )


# design.date_style: how precisely dates print. "month-year" (the default) drops the day from the ends of
# a range (start, end) and keeps a single date as written; "year" prints years only; "full" all as written.


def in_style(value: object, style: str, in_range: bool) -> object:
    """A date cut to the precision `style` asks for; text dates and 'present' print as written."""
    if not isinstance(value, PartialDate):
        return value
    if style == "year":
        return PartialDate(value.year)
    if style == "month-year" and in_range:
        return PartialDate(value.year, value.month)
    return value


def format_range(date: object, start: object, end: object, words: dict, style: str = "month-year") -> str:
    if date is not None:
        return format_date(in_style(date, style, in_range=False), words)  # type: ignore[arg-type]
    if start is None:
        return ""
    ends = [format_date(in_style(d, style, in_range=True), words) for d in (start, end) if d is not None]  # type: ignore[arg-type]
    # Both ends alike once cut to the style ("2016 – 2016"): the date once.
    return words["range_separator"].join(dict.fromkeys(ends))
