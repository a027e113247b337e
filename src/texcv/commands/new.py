"""texcv new: a commented starter profile that builds as is, and the schema editors use."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .output import Output, say, write

HELP = "write a starter profile to edit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name", nargs="?", metavar="NAME", help='your name, e.g. "Ada Lovelace" (default file: ada-lovelace.yaml)'
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the profile to write (default: from NAME, or cv.yaml); - for standard output",
    )
    parser.add_argument(
        "--letter",
        metavar="ID",
        help="write a cover letter ID.yaml (or FILE) for the profile NAME names (default: cv.yaml) instead",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from ..starter import SCHEMA_FILE, default_file, schema_text, starter_text

    if args.letter is not None:
        return _letter(args)
    if args.output == "-":
        write([Output("-", starter_text(args.name))])
        return 0
    profile = Path(args.output) if args.output else default_file(args.name)
    # The schema beside the profile is generated: refreshing it brings it up to this texcv's format.
    schema = profile.parent / SCHEMA_FILE
    write(
        [
            Output(str(profile), starter_text(args.name, profile), keep_existing=not args.force),
            Output(str(schema), schema_text(), f" (the first line of {profile.name} points editors at it)"),
        ]
    )
    say(f"next: edit {profile}, then `texcv build {profile}`")
    return 0


def _letter(args: argparse.Namespace) -> int:
    """A starter letter file naming the profile; its file name is the letter's id."""
    import os

    from ..errors import UsageError
    from ..starter import default_file, letter_text

    if not re.fullmatch(r"[\w-]+", args.letter):
        raise UsageError(f"--letter {args.letter}: a letter id is letters, digits, - and _ (it names the PDF)")
    profile = default_file(args.name)
    if args.output == "-":
        write([Output("-", letter_text(profile.name))])
        return 0
    letter = Path(args.output) if args.output else profile.parent / f"{args.letter}.yaml"
    named = Path(os.path.relpath(profile.resolve(), letter.resolve().parent)).as_posix()
    write([Output(str(letter), letter_text(named), keep_existing=not args.force)])
    say(f"next: edit {letter}, then `texcv build {letter}`")
    return 0
