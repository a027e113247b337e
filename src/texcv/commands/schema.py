"""texcv schema: the JSON Schema of the profile format, for editors and other tools."""

from __future__ import annotations

import argparse

from .output import Output, write

HELP = "print the JSON Schema of the profile format"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write it to FILE, e.g. texcv.schema.json next to your profile (default: standard output)",
    )


def run(args: argparse.Namespace) -> int:
    from ..starter import schema_text

    write([Output(args.output or "-", schema_text())])
    return 0
