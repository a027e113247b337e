"""The PDF's text layer, read the way an applicant-tracking system reads it (pdftotext), and the
check that every word texcv printed is in it: text that TeX cut off, a font without glyphs or a
template that hides a field must not go unnoticed."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import packages, process
from .errors import ToolMissingError
from .escape import LONG_WORD

# Scripts written without spaces between words: checked character by character, since a line or
# column break may fall anywhere in a run of them.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


class Unreadable(Exception):
    """pdftotext could not read the PDF."""


def extract(pdf: Path, timeout: float = 60.0) -> list[str]:
    """The text of each page of `pdf`, in reading order."""
    command = [
        process.program_path(
            "pdftotext", f"It reads back every PDF texcv writes. On Debian/Ubuntu: {packages.install(packages.POPPLER)}"
        ),
        "-enc",
        "UTF-8",
        str(pdf),
        "-",
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Unreadable(f"pdftotext did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise ToolMissingError(f"pdftotext could not be run: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise Unreadable(said[-1] if said else f"pdftotext exited with status {done.returncode}")
    return done.stdout.decode("utf-8", errors="replace").split("\f")[:-1]  # each page ends with a form feed


def normalise(text: str) -> str:
    """Text reduced to what survives typesetting and extraction: case folded, compatibility forms
    (ligatures) and accents decomposed, combining marks dropped (TeX may build an accent from two
    glyphs), hyphens and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text` to look for, normalised; runs of unspaced scripts one character each."""
    found: list[str] = []
    for word in normalise(text).split():
        found += list(word) if _UNSPACED.search(word) else [word]
    return found


@dataclass(frozen=True)
class Check:
    words: int  # words looked for
    missing: dict[str, list[str]]  # printed text → its words not in the PDF


def _present(word: str, joined: str, letters: str) -> bool:
    if word in joined or (word.isalpha() and word in letters):
        return True
    # A word long enough to be broken anywhere (escape.LONG_WORD) may run over several lines beside
    # another column, whose text then stands between its pieces: each piece must be there, in turn.
    return len(word) >= LONG_WORD and in_pieces(word, joined)


def in_pieces(word: str, joined: str, least: int = 8) -> bool:
    """Whether `word` splits into pieces of at least `least` characters (the last may be shorter)
    that each occur in `joined`, taking at each step the longest piece that does."""
    start = 0
    while start < len(word):
        low, high = 0, len(word) - start  # the longest prefix of word[start:] in joined, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if word[start : start + middle] in joined:
                low = middle
            else:
                high = middle - 1
        if low < min(least, len(word) - start):
            return False
        start += low
    return True


def check(printed: list[str], pages: list[str]) -> Check:
    """Look for every word of every printed text in the PDF's text. Line breaks, hyphenation and
    punctuation are ignored: the PDF's words are joined into one string and each word must occur
    in it. A word of letters may also occur in the string of the PDF's letters alone: a page number
    ("1/25") can stand between the halves of a word hyphenated across a page break, and pdftotext
    may even join it to the first half ("smpi1/20")."""
    normalised = normalise("".join(pages))
    joined = "".join(normalised.split())
    letters = "".join(c for c in normalised if c.isalpha())
    count = 0
    missing: dict[str, list[str]] = {}
    for text in dict.fromkeys(printed):
        expected = words(text)
        count += len(expected)
        lost = [word for word in expected if not _present(word, joined, letters)]
        if lost:
            missing[text] = lost
    return Check(count, missing)
