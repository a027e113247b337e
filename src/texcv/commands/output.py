"""What texcv tells its user on stderr (stdout is for documents written with -o -): progress,
details, warnings and errors, filtered by --quiet / --verbose, coloured only on a terminal. And the
documents the commands write, all through write().

The library reports through the "texcv" logger; the command line prints those records like its own.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2
_COLOURS = {"error": "31", "warning": "33", "ok": "32"}  # ANSI red, yellow, green
_verbosity = NORMAL


def configure(verbosity: int) -> None:
    global _verbosity
    _verbosity = verbosity
    logger = logging.getLogger("texcv")
    logger.setLevel(logging.DEBUG)
    if not any(isinstance(handler, _Printer) for handler in logger.handlers):
        logger.addHandler(_Printer())


def coloured(stream: TextIO) -> bool:
    """Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def paint(text: str, colour: str, stream: TextIO) -> str:
    return f"\033[{_COLOURS[colour]}m{text}\033[0m" if coloured(stream) else text


def _emit(message: str, level: int, label: str = "") -> None:
    if level > _verbosity:
        return
    prefix = paint(f"{label}:", label, sys.stderr) + " " if label else ""
    print(f"texcv: {prefix}{message}", file=sys.stderr)


def say(message: str) -> None:
    """Progress (what was written); not with --quiet."""
    _emit(message, NORMAL)


def detail(message: str) -> None:
    """Only with --verbose."""
    _emit(message, VERBOSE)


def warn(message: str) -> None:
    _emit(message, QUIET, "warning")


def error(message: str) -> None:
    _emit(message, QUIET, "error")


@dataclass
class Output:
    """A document a command writes."""

    target: str  # a file, or - for standard output
    text: str
    note: str = ""  # said after "wrote TARGET"
    keep_existing: bool = False  # an existing file is refused (commands that have --force)


def write(outputs: Sequence[Output], inputs: Callable[[], dict[Path, str]] = dict) -> None:
    """Write a command's documents: `-` to standard output, a file atomically (its folder made if
    need be) and said. Before anything is written, a file that is one of the command's inputs
    (targets.py) is refused, and so is an existing one the command may not replace."""
    from ..errors import UserError
    from ..fileio import write_atomic
    from ..targets import refuse_inputs

    files = [output for output in outputs if output.target != "-"]
    refuse_inputs([Path(output.target) for output in files], inputs)
    first_at: dict[str, Output] = {}  # real path → the first output written there
    for output in files:
        if first_at.setdefault(os.path.realpath(output.target), output) is not output:
            raise UserError(f"{output.target} would be written twice; choose another file with -o")
        if output.keep_existing and Path(output.target).exists():
            raise UserError(
                f"{output.target} already exists; choose another file with -o, or use --force to replace it"
            )
    for output in outputs:
        if output.target == "-":
            sys.stdout.write(output.text)
            continue
        target = Path(output.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, output.text.encode("utf-8"))
        say(f"wrote {target}{output.note}")


class _Printer(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            error(message)
        elif record.levelno >= logging.WARNING:
            warn(message)
        elif record.levelno >= logging.INFO:
            say(message)
        else:
            detail(message)
