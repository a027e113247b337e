"""texcv export: a profile as Markdown, plain text or JSON Resume."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, settings
from .output import say, warn

HELP = "write a profile as Markdown, plain text or JSON Resume"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..export import EXTENSIONS

    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument("-f", "--format", choices=EXTENSIONS, default="markdown", help="markdown (web pages), text (forms) or jsonresume (default: markdown)")
    parser.add_argument("-o", "--output", metavar="FILE", help="the file to write, or - for standard output (default: build/<profile>.md, .txt or .json)")
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..export import EXTENSIONS, export

    outputs = export(args.profile, args.format, settings(args))
    if args.output is not None and len(outputs) > 1:
        raise UserError(f"{args.profile} has several languages; choose one with --lang to write a single file")
    for out in outputs:
        for note in out.notes:
            warn(f"{out.stem}: {note}")
        if args.output == "-":
            sys.stdout.write(out.text)
            continue
        target = Path(args.output) if args.output else Path("build") / f"{out.stem}{EXTENSIONS[args.format]}"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, out.text.encode("utf-8"))
        say(f"wrote {target}")
    return 0
