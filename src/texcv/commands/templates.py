"""texcv templates: the template families on the search path, and copying one to edit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .options import add_template_dir_option
from .output import say

HELP = "list template families and where each piece comes from, or copy a family to edit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list",
        help="families, their design options and pieces",
        description="List the template families on the search path; "
        "each piece shows the directory its copy comes from (the first on the search path that has it).",
    )
    export = actions.add_parser(
        "export",
        help="copy a family to DIR/NAME to edit it",
        description="Copy a family (the pieces in use on the search path) "
        "into DIR/NAME; use DIR with --template-dir or design.template_dir.",
    )
    export.add_argument("name", metavar="NAME", help="the family, e.g. moderncv")
    export.add_argument("directory", type=Path, metavar="DIR")
    export.add_argument(
        "--as", dest="new_name", metavar="NEW", help="name the copy NEW: a new family (design.template: NEW)"
    )
    export.add_argument("--force", action="store_true", help="replace files that exist")
    for action in (listing, export):
        action.add_argument(
            "--profile", type=Path, metavar="PROFILE", help="also the template directories this profile uses"
        )
        add_template_dir_option(action)


def run(args: argparse.Namespace) -> int:
    from .. import templates
    from ..build import load_profile

    profile = load_profile(args.profile) if args.profile else None
    path = templates.search_path(profile, args.template_dir)
    if args.action == "list":
        from ..schema import check_declarations

        found = templates.families(path)
        for family in found:
            check_declarations(family)
        print(_listing(path, found), end="")
        return 0
    family = templates.find(path, args.name)
    destination = args.directory / (args.new_name or family.name)
    copied = templates.export(family, args.directory, args.force, args.new_name)
    say(f"copied {len(copied)} files of {family.name} to {destination}")
    say(
        f"use them with --template-dir {args.directory}"
        + (f" --template {args.new_name}" if args.new_name else "")
        + " (or design.template_dir in the profile)"
    )
    return 0


def _listing(path: list, families: list) -> str:
    from ..render import MAIN_TEMPLATE

    number = {directory.path: i for i, directory in enumerate(path, 1)}
    lines = ["search path (the first directory with a piece wins):"]
    lines += [f"  [{i}] {directory.path}  ({directory.origin})" for i, directory in enumerate(path, 1)]
    for family in families:
        incomplete = (
            ""
            if any(piece.name == MAIN_TEMPLATE for piece in family.pieces)
            else f" (no {MAIN_TEMPLATE}: pieces for other families to include)"
        )
        lines += ["", f"{family.name}{incomplete}" + (f": {family.description}" if family.description else "")]
        lines += [
            "  options: (design.NAME in the profile, or --set design.NAME=VALUE)" if family.options else "  options: -"
        ]
        lines += [
            f"    {name} = {option.describe()} (default: {json.dumps(option.default)}): {option.help}"
            for name, option in family.options.items()
        ]
        width = max(len(piece.name) for piece in family.pieces)
        for piece in family.pieces:
            overridden = (
                f", overrides {' '.join(f'[{number[d.path]}]' for d in piece.overrides)}" if piece.overrides else ""
            )
            lines.append(f"  {piece.name:<{width}}  [{number[piece.source.path]}]{overridden}")
    return "\n".join(lines) + "\n"
