"""texcv build: profiles to PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, say, settings

HELP = "typeset profiles to PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profiles", type=Path, nargs="+", metavar="PROFILE")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("build"), metavar="DIR", help="where PDFs go (default: build/)")
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..build import build

    status = 0
    options = settings(args)
    for profile in args.profiles:
        try:
            for built in build(profile, args.output_dir, options):
                passes = "pass" if built.passes == 1 else "passes"
                say(f"wrote {built.pdf} ({built.engine}, {built.pages} page(s), {built.passes} {passes}, {built.seconds:.1f} s)")
                for warning in built.warnings:
                    say(f"warning: {built.pdf.stem}: {warning}")
        except UserError as exc:  # report and go on with the other profiles
            say(f"error: {exc}")
            status = status or exc.exit_code
    return status
