"""`texcv import PAPERS.bib`: a BibTeX file as a profile with one publications section."""

from __future__ import annotations

from pathlib import Path

from .. import schema, validation
from ..bibtex import BibEntry, BibError, Selection, most_frequent_author, publication, read, select
from ..errors import Problem, ProfileError, UsageError
from ..loader import Source
from .jsonresume import Imported, to_yaml


def import_bib(file: Path, name: str | None, title: str, section_only: bool = False) -> Imported:
    """The profile: `name` (default: the author of most entries) and a section `title` holding every
    entry, newest first, as written publication entries; with `section_only`, the section alone (a
    one-item list to paste under `sections:`). Entries the profile format refuses (one without a
    title) are left out, each with a note naming its line."""
    try:
        entries = read(file)
    except BibError as exc:
        raise ProfileError([Problem(str(file), exc.line, exc.column, "", str(exc))]) from None
    except OSError as exc:
        raise ProfileError([Problem(str(file), None, None, "", f"cannot read: {exc.strerror}")]) from None
    notes: list[str] = []
    section = {"title": title, "entries": _publications(file, entries, notes)}
    if section_only:
        return Imported(to_yaml([section]), notes)
    if name is None:
        name = most_frequent_author(entries)
        if name is None:
            raise UsageError(f"{file}: no entry has authors: give the profile owner's name with --name")
        notes.append(f"name: {name}, the author of most entries (choose another with --name)")
    return Imported(to_yaml({"name": name, "sections": [section]}), notes)


def _publications(file: Path, entries: list[BibEntry], notes: list[str]) -> list[dict]:
    written = []
    for entry in select(entries, Selection()):
        ctx = validation.Context(Source(str(file), {}), ("en",))
        if schema.bib_publication(entry, file, ctx) is validation.INVALID:
            notes += [f"left out: {problem}" for problem in ctx.problems]
        else:
            written.append(publication(entry))
    if not written:
        raise ProfileError([Problem(str(file), None, None, "", "no entry can be imported")])
    return written
