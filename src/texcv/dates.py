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


def format_range(date: object, start: object, end: object, words: dict) -> str:
    if date is not None:
        return format_date(date, words)  # type: ignore[arg-type]
    if start is None:
        return ""
    if end is None:
        return format_date(start, words)  # type: ignore[arg-type]
    return format_date(start, words) + words["range_separator"] + format_date(end, words)  # type: ignore[arg-type]
