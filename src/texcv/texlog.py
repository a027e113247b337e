"""Reading what a TeX engine reported: errors (with the .tex line and the template line behind
it), warnings, characters the fonts lack, and the page count."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import packages

TEX_NAME = "cv"  # the source is always cv.tex in a private work directory
_PAGES = re.compile(r"Output written on .*?\((\d+) pages?")
_FILE_LINE_ERROR = re.compile(r"^(?:\./)?([^:\n]*\.(?:tex|sty|cls|def|cfg|fd|aux)):(\d+): (.*)$", re.MULTILINE)
_BANG_ERROR = re.compile(r"^! (.*)$", re.MULTILINE)
# On the terminal an error may follow other output on the same line: "…mt-cmr.cfg)! Unable to read…".
_TERMINAL_ERROR = re.compile(r"! ([A-Z].*)$", re.MULTILINE)
_LINE_TOO_LONG = "Unable to read an entire line"
# A line TeX could not set well, and the line as it set it (font changes as \T1/lmss/m/n/10.95, boxes as []).
_BOX = re.compile(
    r"^(Overfull|Underfull) \\hbox \((?:badness (\d+)|([\d.]+)pt too wide)\) in (?:paragraph|alignment) at lines"
    r" \d+--\d+\n(.*)$",
    re.MULTILINE,
)
_TYPESET_NOISE = re.compile(r"\\[A-Za-z0-9]+/\S*|\[\]|\|")
_SHAPE_SUBSTITUTED = re.compile(
    r"^LaTeX Font Warning: Font shape `([^']+)' undefined\n\(Font\)\s+using `([^']+)'", re.M
)
_MISSING_CHAR = re.compile(r"^Missing character: There is no .*? \(U\+([0-9A-F]+)\) in font ([^!]*)!", re.MULTILINE)
_MISSING_FILE = re.compile(r"File `([^']+)' not found")
_MISSING_FONT = re.compile(r'The font "([^"]+)" cannot be found')
_RERUN = re.compile(r"Rerun to get|undefined references|Label\(s\) may have changed")
# Overfull boxes smaller than this are invisible in print and not worth a warning.
OVERFULL_TOLERANCE_PT = 1.0
# Underfull lines this loose (TeX's badness, 0–10000) show as gaps between words.
UNDERFULL_BADNESS = 5000


def pages(log: str) -> int | None:
    """The page count the engine reported writing, if it wrote a PDF."""
    match = _PAGES.search(log)
    return int(match.group(1)) if match else None


def asks_for_rerun(log: str) -> bool:
    return _RERUN.search(log) is not None


def first_error(text: str) -> tuple[str | None, int | None, str] | None:
    """(file, line, message) of the first error in a log or terminal output; file None: the source."""
    match = _FILE_LINE_ERROR.search(text)
    if match:
        name = match.group(1)
        return (None if name == f"{TEX_NAME}.tex" else name), int(match.group(2)), match.group(3)
    match = _BANG_ERROR.search(text)
    if match:
        line = re.search(r"^l\.(\d+)", text[match.end() :], re.MULTILINE)
        return None, (int(line.group(1)) if line else None), match.group(1)
    return None


def _terminal_error(terminal: str) -> tuple[str | None, int | None, str] | None:
    match = _TERMINAL_ERROR.search(terminal)
    return (None, None, match.group(1)) if match else None


def describe_failure(log: str, terminal: str, tex: str, engine: str, origins: list | None = None) -> str:
    """The first error, in the user's terms: the message, the .tex lines around it and the template
    line that wrote it, and what to install when a package or font is missing."""
    error = first_error(log) or _terminal_error(terminal)  # some fatal errors are printed only on the terminal
    if error is None:
        last = [line for line in terminal.splitlines() if line.strip()][-3:]
        said = "; it printed: " + " / ".join(last) if last else ""
        return f"{engine} stopped without reporting an error{said}"
    file, line, message = error
    if file == f"{TEX_NAME}.aux":
        return f"{engine} failed reading the previous pass's {file} (line {line}): {message}"
    text = f"{engine} failed: {message}"
    if message.startswith(_LINE_TOO_LONG):
        longest = max(map(len, tex.splitlines()), default=0)
        text += (
            f"\n  a line of the LaTeX source is longer than TeX can read ({longest:,} characters):"
            " a field with a very long word or paragraph?"
        )
    if missing := missing_file(log):
        text += f"\n  a TeX package file is missing: {missing} ({packages.install(*packages.EVERYTHING)})"
    if font := _MISSING_FONT.search(log):
        package = next((p for prefix, p in packages.FONTS.items() if font.group(1).startswith(prefix)), None)
        text += f"\n  the font {font.group(1)!r} is not installed" + (
            f" ({packages.install(package)})" if package else ""
        )
    if file is not None:
        text += f"\n  in {file}, line {line}"
    elif line is not None:
        lines = tex.splitlines()
        text += f"\n  at {TEX_NAME}.tex line {line}:"
        for number in range(max(1, line - 1), min(len(lines), line + 1) + 1):
            text += f"\n  {'>' if number == line else ' '} {number:5d} | {lines[number - 1]}"
        written = origins[line - 1] if origins and line <= len(origins) else None
        if written:
            text += f"\n  written by template {written[0]}:{written[1]}"
    return text


def missing_file(log: str) -> str | None:
    """The TeX file (a package) the run stopped for, if any."""
    match = _MISSING_FILE.search(log)
    return match.group(1) if match else None


@dataclass(frozen=True)
class LayoutDefect:
    """A line a reader would see as badly set: too wide for its column, or its spaces stretched."""

    problem: str  # "runs 12.3 pt into the margin", "is set with wide gaps between its words"
    text: str  # the line's text as TeX set it


def layout_defects(log: str) -> list[LayoutDefect]:
    """Lines that run into the margin (more than OVERFULL_TOLERANCE_PT) or are set loosely (badness
    UNDERFULL_BADNESS or more), each once; lines without text (rules, empty boxes) are left out."""
    found = []
    for kind, badness, points, line in _BOX.findall(log):
        text = " ".join(_TYPESET_NOISE.sub(" ", line).split())
        if not text:
            continue
        if kind == "Overfull" and float(points) > OVERFULL_TOLERANCE_PT:
            found.append(LayoutDefect(f"runs {float(points):.1f} pt into the margin", text))
        elif kind == "Underfull" and int(badness) >= UNDERFULL_BADNESS:
            found.append(LayoutDefect("is set with wide gaps between its words", text))
    return list(dict.fromkeys(found))


def substituted_shapes(log: str) -> list[str]:
    """Font shapes the document asked for that no font has, each with the shape set instead."""
    return list(
        dict.fromkeys(f"font shape {a} does not exist: {b} was used" for a, b in _SHAPE_SUBSTITUTED.findall(log))
    )


def missing_glyphs(log: str) -> dict[str, list[str]]:
    """Characters left out of the PDF because the font had no glyph for them, each with the fonts
    (xelatex and lualatex log them; pdflatex stops with an error instead)."""
    found: dict[str, list[str]] = {}
    for match in _MISSING_CHAR.finditer(log):
        char = chr(int(match.group(1), 16))
        if char == " ":  # icon fonts have no space glyph; a space is never lost text
            continue
        font = re.split(r"/OT:|/AAT:|/ICU:|/GR:|:", match.group(2).strip(), maxsplit=1)[0]
        fonts = found.setdefault(char, [])
        if font not in fonts:
            fonts.append(font)
    return found
