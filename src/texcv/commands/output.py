"""What texcv tells its user on stderr (stdout is for documents written with -o -): progress,
details, warnings and errors, filtered by --quiet / --verbose, coloured only on a terminal.

The library reports through the "texcv" logger; the command line prints those records like its own.
"""

from __future__ import annotations

import logging
import os
import sys
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
