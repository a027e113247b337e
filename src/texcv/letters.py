"""Cover letters: written in a profile's `letters`, or in a letter file that names its profile
(`profile: cv.yaml` and the letter's fields), so one person keeps one source. A letter is typeset
with the CV's design and sender details; it is written beside the CV as NAME.letter-ID.pdf, one per
language of the profile (or only in its `lang`)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .dates import PartialDate, format_date
from .errors import ProfileError
from .loader import Source, load
from .localize import resolve
from .localize import view as cv_view
from .schema import RECIPIENT
from .templates import profile_trees

PROFILE_KEY = "profile"  # in a letter file: the profile it belongs to, relative to the letter file
_ID = re.compile(r"[\w-]+")
# The CV's fields no letter prints: a word missing from a letter's text (one a template printed from
# elsewhere, as a font's name) is never blamed on them.
UNPRINTED = frozenset({"sections", "summary", "headline"})


def is_letter_file(source: Source) -> bool:
    return isinstance(source.data, dict) and PROFILE_KEY in source.data


def with_profile(letter: Source, allowed_dirs: tuple[Path, ...] = ()) -> Source:
    """The profile a letter file names, its `letters` replaced by the file's one letter (id: the
    file's stem); messages about the letter point into the letter file."""
    named = letter.data[PROFILE_KEY]
    if not isinstance(named, str) or not named.strip():
        raise ProfileError([letter.problem((PROFILE_KEY,), "expected the path of the letter's profile (cv.yaml)")])
    file = (Path(letter.file).parent / named.strip()).resolve()
    if not any(file.is_relative_to(tree) for tree in profile_trees(letter.file, allowed_dirs)):
        message = f"the profile {file} is outside the letter's folder (allow its folder with --allow-dir DIR)"
        raise ProfileError([letter.problem((PROFILE_KEY,), message)])
    letter_id = Path(letter.file).stem
    if not _ID.fullmatch(letter_id):
        message = f"the file's name {letter_id!r} is the letter's id: use letters, digits, - and _ only"
        raise ProfileError([letter.problem((), message)])
    profile = load(file)
    if not isinstance(profile.data, dict):
        raise ProfileError([profile.problem((), "a profile is a mapping of keys (name, contact, sections, …)")])
    profile.data["letters"] = {}  # only the file's letter is built: the profile's own are built from the profile
    own = Source(letter.file, {k: v for k, v in letter.data.items() if k != PROFILE_KEY}, letter.marks, letter.written)
    profile.graft(("letters", letter_id), own)
    return profile


def outputs(profile: dict, languages: list[str], cv_stem: str) -> list[tuple[dict, str, str]]:
    """Each letter of the validated profile in each of `languages` it is written in, with its output
    file name without extension: (letter, "en", "ada-lovelace.letter-acme.en")."""
    several = len(profile["languages"]) > 1
    return [
        (letter, lang, f"{cv_stem}.letter-{letter['id']}" + (f".{lang}" if several else ""))
        for letter in profile["letters"]
        for lang in languages
        if letter["lang"] in (None, lang)
    ]


def view(profile: dict, letter: dict, lang: str) -> dict:
    """The CV's view in `lang` (sender, design) with `letter`: its texts in that language, the date
    written out, the opening and closing the language's own when not given."""
    cv = cv_view(profile, lang)
    words = cv["words"]
    shown = resolve(letter, lang)
    shown["recipient"] = shown["recipient"] or RECIPIENT.defaults()
    date = shown["date"] or PartialDate(*datetime.date.today().timetuple()[:3])
    shown["date"] = format_date(date, words)
    shown["opening"] = shown["opening"] or words["letter_opening"]
    shown["closing"] = shown["closing"] or words["letter_closing"]
    cv["letter"] = shown
    return cv
