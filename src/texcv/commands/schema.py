"""texcv schema: the JSON Schema of the profile format, for editors and other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .output import say

HELP = "print the JSON Schema of the profile format"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write it to FILE, e.g. texcv.schema.json next to your profile (default: standard output)")


def run(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..starter import schema_text

    if args.output in (None, "-"):
        sys.stdout.write(schema_text())
        return 0
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, schema_text().encode("utf-8"))
    say(f"wrote {target}")
    return 0
