"""texcv new: a commented starter profile that builds as is, and the schema editors use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .output import say

HELP = "write a starter profile to edit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME", help='your name, e.g. "Ada Lovelace" (default file: ada-lovelace.yaml)')
    parser.add_argument("-o", "--output", metavar="FILE", help="the profile to write (default: from NAME, or cv.yaml); - for standard output")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from ..starter import SCHEMA_FILE, create, default_file, starter_text

    if args.output == "-":
        sys.stdout.write(starter_text(args.name))
        return 0
    target = Path(args.output) if args.output else default_file(args.name)
    profile, schema = create(target, args.name, args.force)
    say(f"wrote {profile} and {schema} (its first line points editors at {SCHEMA_FILE})")
    say(f"next: edit {profile}, then `texcv build {profile}`")
    return 0
