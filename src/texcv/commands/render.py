"""texcv render: the LaTeX source of a profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, settings
from .output import say

HELP = "write the LaTeX source of a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument("-o", "--output", metavar="FILE", help="output .tex file, or - for standard output (default: build/<profile>.tex)")
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..build import documents
    from ..fileio import write_atomic

    docs = documents(args.profile, settings(args))
    if args.output is not None and len(docs) > 1:
        raise UserError(f"{args.profile} has several languages; choose one with --lang to write a single file")
    if args.output == "-":
        sys.stdout.write(docs[0].tex)
        return 0
    for doc in docs:
        target = Path(args.output) if args.output else Path("build") / f"{doc.stem}.tex"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, doc.tex.encode("utf-8"))
        say(f"wrote {target} ({doc.engine.engine}: {doc.engine.reason})")
    return 0
