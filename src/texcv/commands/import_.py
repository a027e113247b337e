"""texcv import: a JSON Resume document as a texcv profile."""

from __future__ import annotations

import argparse
from pathlib import Path

from .output import Output, warn, write

HELP = "convert a JSON Resume document (jsonresume.org) into a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("resume", metavar="RESUME.json", help="the JSON Resume document, or - for standard input")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the profile to write, or - for standard output (default: RESUME.yaml here)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from ..export.jsonresume import import_resume, load_resume

    source = "<stdin>" if args.resume == "-" else args.resume
    target = args.output or f"{Path(source).stem if args.resume != '-' else 'resume'}.yaml"
    # Photos are found relative to the profile, as when it is built.
    profile = Path.cwd() / "-" if target == "-" else Path(target).resolve()
    imported = import_resume(load_resume(args.resume), profile, source)
    for note in imported.notes:
        warn(note)
    inputs = {} if args.resume == "-" else {Path(args.resume): "the JSON Resume document being imported"}
    next_step = f"; next: `texcv build {target}`"
    write([Output(target, imported.yaml, next_step, keep_existing=not args.force)], lambda: inputs)
    return 0
