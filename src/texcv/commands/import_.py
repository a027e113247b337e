"""texcv import: a JSON Resume document or a BibTeX file as a texcv profile."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from .output import Output, warn, write

HELP = "convert a JSON Resume document (jsonresume.org) or a BibTeX file into a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "resume",
        metavar="FILE",
        help="the JSON Resume document (RESUME.json), a BibTeX file (PAPERS.bib), or - for JSON on standard input",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the profile to write, or - for standard output (default: FILE's name with .yaml, here)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    bib = parser.add_argument_group("BibTeX")
    bib.add_argument("--name", help="the profile owner's name (default: the author of most entries)")
    bib.add_argument("--title", default="Publications", help="the section's title (default: %(default)s)")
    bib.add_argument(
        "--section", action="store_true", help="write the section alone, to paste under `sections:` in a profile"
    )


def run(args: argparse.Namespace) -> int:
    is_bib = args.resume != "-" and Path(args.resume).suffix.lower() == ".bib"
    source = "<stdin>" if args.resume == "-" else args.resume
    target = args.output or f"{Path(source).stem if args.resume != '-' else 'resume'}.yaml"
    if is_bib:
        text, what = _from_bib(Path(args.resume), args), "the BibTeX file being imported"
    else:
        if args.name is not None or args.section:
            raise UsageError("--name and --section are for BibTeX files")
        text, what = _from_json_resume(args.resume, source, target), "the JSON Resume document being imported"
    inputs = {} if args.resume == "-" else {Path(args.resume): what}
    next_step = "; paste it under `sections:` in a profile" if args.section else f"; next: `texcv build {target}`"
    write([Output(target, text, next_step, keep_existing=not args.force)], lambda: inputs)
    return 0


def _from_json_resume(resume: str, source: str, target: str) -> str:
    from ..export.jsonresume import import_resume, load_resume

    # Photos are found relative to the profile, as when it is built.
    profile = Path.cwd() / "-" if target == "-" else Path(target).resolve()
    imported = import_resume(load_resume(resume), profile, source)
    for note in imported.notes:
        warn(note)
    return imported.yaml


def _from_bib(file: Path, args: argparse.Namespace) -> str:
    from ..export.bibliography import import_bib

    imported = import_bib(file, args.name, args.title, args.section)
    for note in imported.notes:
        warn(note)
    return imported.yaml
