"""texcv import: a JSON Resume document as a texcv profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UserError
from .output import say, warn

HELP = "convert a JSON Resume document (jsonresume.org) into a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("resume", metavar="RESUME.json", help="the JSON Resume document, or - for standard input")
    parser.add_argument("-o", "--output", metavar="FILE", help="the profile to write, or - for standard output (default: RESUME.yaml here)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..export.jsonresume import import_resume, load_resume

    source = "<stdin>" if args.resume == "-" else args.resume
    target = Path(args.output or f"{Path(source).stem if args.resume != '-' else 'resume'}.yaml")
    if args.output != "-" and target.exists() and not args.force:
        raise UserError(f"{target} exists; use --force to overwrite it")
    # Photos are found relative to the profile, as when it is built.
    imported = import_resume(load_resume(args.resume), Path.cwd() / "-" if args.output == "-" else target.resolve(), source)
    for note in imported.notes:
        warn(note)
    if args.output == "-":
        sys.stdout.write(imported.yaml)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, imported.yaml.encode("utf-8"))
    say(f"wrote {target}; next: `texcv build {target}`")
    return 0
