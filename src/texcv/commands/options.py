"""Options shared by the commands that read profiles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_profile_options(parser: argparse.ArgumentParser) -> None:
    from ..schema import COLORS, ENGINES, STYLES

    parser.add_argument("--style", choices=STYLES, help="moderncv style (overrides design.style)")
    parser.add_argument("--color", choices=COLORS, help="colour scheme (overrides design.color)")
    parser.add_argument("--engine", choices=ENGINES, help="TeX engine; auto picks pdflatex when it can set every character")
    parser.add_argument("--lang", help="only this language of a multilingual profile")
    parser.add_argument("--template-dir", type=Path, action="append", default=[], metavar="DIR", help="look for templates here first (repeatable)")


def settings(args: argparse.Namespace):  # -> build.Settings
    from ..build import Settings

    design = {key: getattr(args, key) for key in ("style", "color", "engine") if getattr(args, key)}
    return Settings(design=design, lang=args.lang, template_dirs=tuple(p.resolve() for p in args.template_dir))


def say(message: str) -> None:
    """Progress and errors go to stderr; stdout is for documents written with -o -."""
    print(f"texcv: {message}", file=sys.stderr)
