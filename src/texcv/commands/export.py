"""texcv export: a profile as Markdown, plain text, an HTML page or JSON Resume."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, settings
from .output import Output, warn, write

HELP = "write a profile as Markdown, plain text, an HTML page or JSON Resume"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..export import EXTENSIONS

    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument(
        "-f",
        "--format",
        choices=EXTENSIONS,
        default="markdown",
        help="markdown (web pages), text (forms), html (one self-contained page) or jsonresume (default: markdown)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the file to write, or - for standard output (default: build/<profile>.md, .txt, .html or .json)",
    )
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..build import load_profile
    from ..export import EXTENSIONS, export
    from ..targets import profile_inputs

    options = settings(args)
    outputs = export(args.profile, args.format, options)
    if args.output is not None and len(outputs) > 1:
        raise UserError(f"{args.profile} has several languages; choose one with --lang to write a single file")
    for out in outputs:
        for note in out.notes:
            warn(f"{out.stem}: {note}")
    # Exports read no template; the profile is read again only if a target exists already.
    extension = EXTENSIONS[args.format]
    write(
        [Output(args.output or str(Path("build") / f"{out.stem}{extension}"), out.text) for out in outputs],
        lambda: profile_inputs(args.profile, load_profile(args.profile, options)),
    )
    return 0
