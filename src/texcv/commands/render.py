"""texcv render: the LaTeX source of a profile."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, settings
from .output import Output, write

HELP = "write the LaTeX source of a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="output .tex file, or - for standard output (default: build/<profile>.tex)",
    )
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..build import documents
    from ..targets import document_inputs

    docs = documents(args.profile, settings(args))
    if args.output is not None and len(docs) > 1:
        stems = ", ".join(doc.stem for doc in docs)
        raise UserError(
            f"{args.profile} gives several documents ({stems}): leave out -o to write each to build/, "
            "or choose one language with --lang"
        )
    said = [f" ({doc.choice.engine}: {doc.choice.reason})" for doc in docs]
    write(
        [Output(args.output or str(Path("build") / f"{doc.stem}.tex"), doc.tex, note) for doc, note in zip(docs, said)],
        lambda: document_inputs(docs[0]),
    )
    return 0
