"""BibTeX files as publication entries: a tolerant parser, a selection, and entries in the profile's terms.

Real .bib files are messy (Jekyll front matter, custom fields, @string macros, `#` concatenation),
so the parser reads BibTeX's own rule: anything outside an `@type{…}` block is a comment. Field
values are decoded from LaTeX to Unicode (pylatexenc's latex2text) and given back as profile text
with inline markdown escaped: texcv escapes them for LaTeX like any other text, so nothing written
in a .bib reaches the engine as LaTeX. Macros that latex2text does not know, or that read files,
are printed as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class BibError(ValueError):
    """A .bib file that cannot be read; `line` and `column` count from 1."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass
class BibEntry:
    key: str
    type: str  # lower case: article, inproceedings, …
    fields: dict[str, str]  # lower-case names; values with macros expanded, LaTeX not yet decoded
    line: int
    column: int


@dataclass
class Selection:
    keys: list[str] = field(default_factory=list)  # citation keys; empty: all
    years: list[tuple[int, int]] = field(default_factory=list)  # inclusive spans; empty: all
    types: list[str] = field(default_factory=list)  # entry types, lower case; empty: all
    selected_field: str | None = None  # only entries whose field of this name is true/yes/1
    sort: str = "newest"
    limit: int | None = None


# --- parsing -------------------------------------------------------------------------------------

_BLOCK_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_SPACE = re.compile(r"\s*")


class _Reader:
    """One pass over the text, keeping the position for messages."""

    def __init__(self, text: str):
        self.text, self.pos = text, 0
        self.macros = {m: name for m, name in zip(MONTHS, _MONTH_NAMES)}

    def where(self, pos: int | None = None) -> tuple[int, int]:
        pos = self.pos if pos is None else pos
        line = self.text.count("\n", 0, pos) + 1
        return line, pos - (self.text.rfind("\n", 0, pos) + 1) + 1

    def fail(self, message: str, pos: int | None = None) -> BibError:
        return BibError(*self.where(pos), message)

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos : self.pos + 1]

    def name(self, what: str) -> str:
        self.skip_space()
        found = _NAME.match(self.text, self.pos)
        if not found:
            shown = self.text[self.pos : self.pos + 1] or "the end of the file"
            raise self.fail(f"expected {what}, found {shown!r}")
        self.pos = found.end()
        return found.group()

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            shown = self.text[self.pos : self.pos + 1] or "the end of the file"
            raise self.fail(f"expected {char!r} {what}, found {shown!r}")
        self.pos += 1

    def delimited(self, close: str) -> str:
        """The text up to `close` at brace depth 0 (an opening brace or quote already read)."""
        start, depth = self.pos, 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2  # \{ \} \" are not delimiters
                continue
            if char == close and depth == 0:
                self.pos += 1
                return self.text[start : self.pos - 1]
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                raise self.fail("unbalanced '}' in a value")
            self.pos += 1
        raise self.fail(f"value not closed: {close!r} missing", start - 1)

    def value(self) -> str:
        """A field's value: pieces in braces, in quotes, numbers or macros, joined by #."""
        pieces = []
        while True:
            char, start = self.peek(), self.pos
            if char == "{":
                self.pos += 1
                pieces.append(self.delimited("}"))
            elif char == '"':
                self.pos += 1
                pieces.append(self.delimited('"'))
            else:
                macro = self.name('a value ({…}, "…", a number or a @string name)')
                if not macro.isdigit() and macro.lower() not in self.macros:
                    raise self.fail(f"undefined @string macro {macro!r}", start)
                pieces.append(macro if macro.isdigit() else self.macros[macro.lower()])
            if self.peek() != "#":
                return "".join(pieces)
            self.pos += 1


def parse(text: str) -> list[BibEntry]:
    """The entries of a .bib file's text, in file order; @string macros expanded."""
    reader = _Reader(text)
    entries: list[BibEntry] = []
    while found := _BLOCK_START.search(text, reader.pos):
        kind, close = found.group(1).lower(), "}" if found.group(2) == "{" else ")"
        reader.pos = found.end()
        if kind in ("comment", "preamble"):
            reader.delimited(close)
        elif kind == "string":
            _string(reader, close)
        else:
            entries.append(_entry(reader, kind, close, found.start()))
    return entries


def _string(reader: _Reader, close: str) -> None:
    name = reader.name("a @string name")
    reader.expect("=", f"after @string name {name!r}")
    reader.macros[name.lower()] = reader.value()
    reader.expect(close, "to close the @string")


def _entry(reader: _Reader, kind: str, close: str, start: int) -> BibEntry:
    key = reader.name(f"the citation key of a @{kind} entry")
    fields: dict[str, str] = {}
    while reader.peek() == ",":
        reader.pos += 1
        if reader.peek() == close:
            break  # a comma after the last field
        name = reader.name(f"a field name in entry {key!r}").lower()
        reader.expect("=", f"after field {name!r} in entry {key!r}")
        fields.setdefault(name, reader.value())
    reader.expect(close, f"to close entry {key!r} (or ',' before the next field)")
    return BibEntry(key, kind, fields, *reader.where(start))


def read(file: Path) -> list[BibEntry]:
    """The entries of a .bib file (UTF-8; a byte order mark is allowed)."""
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise BibError(
            line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02X}); convert it: iconv -f latin1 -t utf-8"
        ) from None
    return parse(text)


# --- selection -----------------------------------------------------------------------------------


def select(entries: list[BibEntry], selection: Selection) -> list[BibEntry]:
    """The entries the selection keeps, in its order, at most `limit`. Unknown keys are the caller's to report."""
    kept = [e for e in entries if _kept(e, selection)]
    if selection.sort != "file":
        # Undated entries go last either way; ties keep file order.
        dated = sorted((e for e in kept if year(e) is not None), key=_sort_key, reverse=selection.sort == "newest")
        kept = dated + [e for e in kept if year(e) is None]
    return kept[: selection.limit]


def _kept(entry: BibEntry, selection: Selection) -> bool:
    entry_year = year(entry)
    return (
        (not selection.keys or entry.key in selection.keys)
        and (not selection.types or entry.type in selection.types)
        and (
            not selection.years or any(entry_year is not None and lo <= entry_year <= hi for lo, hi in selection.years)
        )
        and (
            selection.selected_field is None
            or _plain_value(entry.fields.get(selection.selected_field, "")).lower() in ("true", "yes", "1")
        )
    )


def year(entry: BibEntry) -> int | None:
    found = re.search(r"\d{4}", entry.fields.get("year", ""))
    return int(found.group()) if found else None


def month(entry: BibEntry) -> int | None:
    value = _plain_value(entry.fields.get("month", "")).lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return MONTHS.index(value[:3]) + 1 if value[:3] in MONTHS else None


def _sort_key(entry: BibEntry) -> tuple[int, int]:
    return year(entry) or 0, month(entry) or 0


# --- decoding ------------------------------------------------------------------------------------

# Macros latex2text knows but that read files: printed as written, like unknown macros.
_LITERAL_MACROS = frozenset({"input", "include", "includeonly", "InputIfFileExists", "openin", "read"})


@lru_cache(maxsize=1)
def _converter() -> Any:
    """A latex2text converter that prints unknown and file-reading macros as written (imported on first use)."""
    from pylatexenc.latex2text import (  # type: ignore[import-untyped]
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )
    from pylatexenc.latexwalker import LatexCharsNode, LatexGroupNode, LatexMacroNode  # type: ignore[import-untyped]

    context = get_default_latex_context_db()
    context.add_context_category(
        "texcv-bib",
        prepend=True,
        macros=[MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("href", simplify_repl="%(2)s")],
    )

    class Converter(LatexNodes2Text):
        def literal(self, node: Any) -> bool:
            return node.isNodeType(LatexMacroNode) and (
                node.macroname in _LITERAL_MACROS or self.latex_context.get_macro_spec(node.macroname) is None
            )

        def nodelist_to_text(self, nodelist: list) -> str:
            # An unknown macro and what sticks to it (\write18{…}: its arguments, to a reader) stay as written.
            out: list[str] = []
            run: list[Any] = []
            after_literal = False
            for node in nodelist:
                sticks = node.isNodeType(LatexGroupNode) or (
                    node.isNodeType(LatexCharsNode) and not re.search(r"\s", node.chars)
                )
                verbatim = self.literal(node) or (after_literal and sticks)
                if verbatim:
                    out.append(super().nodelist_to_text(run) + node.latex_verbatim())
                    run = []
                else:
                    run.append(node)
                after_literal = verbatim
            return "".join(out) + super().nodelist_to_text(run)

    return Converter(context, math_mode="text", strict_latex_spaces=True)


def decode(value: str) -> str:
    """A field value as Unicode text on one line: braces, accents and escapes resolved."""
    if re.search(r"[\\{}$~%]", value):
        # A bare % in a .bib value is a percent sign (BibTeX keeps it), not the start of a LaTeX comment.
        try:
            text = _converter().latex_to_text(re.sub(r"(?<!\\)%", r"\\%", value))
        except RecursionError:  # braces nested thousands deep: printed without them, undecoded
            text = _plain_value(value)
    else:
        text = value
    return unicodedata.normalize("NFC", " ".join(text.replace("\xa0", " ").split()))


def _plain_value(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").split())


_MARKDOWN = re.compile(r"([\\*_`\[])")


def as_profile_text(text: str) -> str:
    """Decoded text as profile text: inline markdown markers escaped, so that they print as written."""
    return _MARKDOWN.sub(r"\\\1", text)


# --- authors -------------------------------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(",")
_TRAILING_MARKS = re.compile(r"[\s*†‡§¶]+$")


def split_top(value: str, separator: re.Pattern) -> list[str]:
    """`value` split at `separator` outside braces."""
    parts, depth, start, pos = [], 0, 0, 0
    while pos < len(value):
        if value[pos] in "{}":
            depth += 1 if value[pos] == "{" else -1
        elif depth == 0 and (found := separator.match(value, pos)) and found.end() > pos:
            parts.append(value[start:pos])
            start = pos = found.end()
            continue
        pos += 1
    return [*parts, value[start:]]


def author_names(value: str) -> list[str]:
    """Authors as printed: "First von Last, Jr", marks (equal contribution *) kept at the end; "and others" → et al."""
    names = []
    for raw in split_top(" ".join(value.split()), _AND):
        if raw.strip().lower() == "others":
            names.append("et al.")
            continue
        decoded = [decode(p) for p in split_top(raw, _COMMA)]
        parts = [_TRAILING_MARKS.sub("", p) for p in decoded]
        marks = "".join(whole[len(part) :].replace(" ", "") for whole, part in zip(decoded, parts))
        if len(parts) == 1:
            shown = parts[0]
        else:  # "von Last, First" or "von Last, Jr, First"
            shown = " ".join(p for p in (parts[-1], parts[0]) if p) + (f", {parts[1]}" if len(parts) > 2 else "")
        if shown:
            names.append(shown + marks)
    return names


def most_frequent_author(entries: Iterable[BibEntry]) -> str | None:
    """The author of most entries (names compared with initials: K. Milintsevich is Kirill
    Milintsevich), in the longest form written: whose publication list this probably is."""
    counts: Counter[str] = Counter()
    longest: dict[str, str] = {}
    for entry in entries:
        names = {_TRAILING_MARKS.sub("", name) for name in author_names(entry.fields.get("author", ""))}
        for name in names - {"et al."}:
            key = _with_initials(name)
            counts[key] += 1
            longest[key] = max(longest.get(key, ""), name, key=len)
    return longest[counts.most_common(1)[0][0]] if counts else None


def _with_initials(name: str) -> str:
    """ "Kirill Milintsevich" and "K. Milintsevich" alike: "k milintsevich"."""
    *given, family = name.casefold().split()
    return " ".join([*(word[0] for word in given), family])


# --- entries -------------------------------------------------------------------------------------

_VENUE_FIELDS = ("journal", "booktitle", "school", "institution", "publisher", "howpublished")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def publication(entry: BibEntry) -> dict:
    """The entry as a publication entry of a profile file: text fields as profile text, the date as
    YYYY or YYYY-MM, links for the DOI, URL, eprint and code. Fields a .bib lacks are left out."""
    fields = entry.fields
    out: dict[str, Any] = {"title": as_profile_text(decode(fields.get("title", "")))}
    authors = author_names(fields.get("author") or fields.get("editor", ""))
    if authors:
        out["authors"] = [as_profile_text(name) for name in authors]
    venue = next((decode(fields[k]) for k in _VENUE_FIELDS if fields.get(k)), "") or _eprint_name(fields)
    if venue:
        out["venue"] = as_profile_text(venue)
    entry_year, entry_month = year(entry), month(entry)
    if entry_year is not None:
        out["date"] = f"{entry_year:04d}" + (f"-{entry_month:02d}" if entry_month else "")
    if fields.get("note"):
        out["note"] = as_profile_text(decode(fields["note"]))
    links = list(_links(fields))
    if links:
        out["links"] = links
    return {key: value for key, value in out.items() if value}


def _eprint_name(fields: dict[str, str]) -> str:
    if not fields.get("eprint"):
        return ""
    archive = _plain_value(fields.get("archiveprefix") or fields.get("eprinttype") or "arXiv")
    return f"{archive}:{_plain_value(fields['eprint'])}"


def _address(value: str) -> str:
    """A URL as written in a .bib: braces and TeX escapes (\\_ \\% \\& \\#) removed."""
    return re.sub(r"\\([_%&#~])", r"\1", _plain_value(value))


def _links(fields: dict[str, str]) -> Iterable[dict[str, str]]:
    if _doi(fields):
        yield {"label": "DOI", "url": "https://doi.org/" + _doi(fields)}
    archive = _plain_value(fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    if fields.get("eprint") and archive in ("", "arxiv"):
        yield {"label": "arXiv", "url": "https://arxiv.org/abs/" + _address(fields["eprint"])}
    doi = _doi(fields).lower()
    for name, label in (("url", "URL"), ("code", "Code")):
        address = _address(fields.get(name, ""))
        if name == "url" and doi and doi in address.lower():
            continue  # DBLP gives the DOI's address as the URL too
        if _URL.fullmatch(address):
            yield {"label": label, "url": address}


def _doi(fields: dict[str, str]) -> str:
    """The DOI alone (no https://doi.org/ or doi: before it); "" if there is none."""
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", _address(fields.get("doi", "")), flags=re.IGNORECASE)
