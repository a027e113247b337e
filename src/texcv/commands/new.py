"""texcv new: a commented starter profile that builds as is, and the schema editors use."""

from __future__ import annotations

import argparse
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
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from ..starter import SCHEMA_FILE, default_file, schema_text, starter_text

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
