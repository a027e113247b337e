"""texcv validate: check profiles without typesetting them, with the same messages as build."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .options import add_profile_options, settings
from .output import error, say

HELP = "check profiles without typesetting them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profiles", type=Path, nargs="+", metavar="PROFILE")
    add_profile_options(parser)


def run(args: argparse.Namespace) -> int:
    from ..build import check

    status = 0
    options = settings(args)
    for profile in args.profiles:
        try:
            check(profile, options)
            say(f"{profile}: ok")
        except UserError as exc:  # report and go on with the other profiles
            error(str(exc))
            status = status or exc.exit_code
    return status
