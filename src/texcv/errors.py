"""One exception root. Subclasses of UserError are the user's to fix and are shown without a
traceback; anything else escaping the CLI is a texcv bug and keeps its traceback."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any


class TexcvError(Exception):
    """Root of every error texcv raises on purpose."""

    exit_code = 70


class UserError(TexcvError):
    """Something the user can fix: bad input, bad options, missing tools."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a profile, located as precisely as the input allows."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"


class ProfileError(UserError):
    """A profile could not be read or is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class OutputError(UserError, OSError):
    """An output file could not be written (disk full, no permission, a directory in the way). Still
    an OSError, for callers that treat any failed write alike; shown as one line naming the file."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class UsageError(UserError):
    """Bad command-line use that argparse could not catch (same exit status as argparse's)."""

    exit_code = 2


class TexError(UserError):
    """The TeX engine failed on a document; `log` is the engine's full log, if it wrote one."""

    exit_code = 3

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log


class ToolMissingError(UserError):
    """A program texcv needs (TeX, pdftoppm) is not installed."""

    exit_code = 4


class TemplateError(UserError):
    """A template could not be loaded or rendered (templates are user-editable code)."""

    exit_code = 5


def suggest(word: str, choices: Any) -> str:
    """ "; did you mean 'x'?" for the choice closest to a mistyped word, or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
