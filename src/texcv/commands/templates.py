"""texcv templates: the template families on the search path, and copying one to edit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .options import add_profile_options, add_template_dir_option, settings
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
    status = actions.add_parser(
        "status",
        help="what changed in exported families since export: your edits, texcv's",
        description="For each piece of the families `templates export` copied into DIR (or of the family DIR "
        "itself): an untouched copy, edited by you, or changed upstream (in this texcv) since export.",
    )
    status.add_argument("directory", type=Path, nargs="?", default=Path("templates"), metavar="DIR")
    diff = actions.add_parser(
        "diff",
        help="texcv's change to an exported piece since export, and your edits",
        description="Two unified diffs from the piece as exported: the packaged piece now (what an upgrade "
        "changed), then your copy (what you changed).",
    )
    diff.add_argument(
        "piece", type=Path, metavar="PIECE", help="an exported piece, e.g. templates/compact/section.tex.j2"
    )
    context = actions.add_parser(
        "context",
        help="what a template sees for a profile: every name, with its type",
        description="Print the names a template sees when it renders PROFILE (cv, design, engine, words), "
        "nested, each with its type and an example value.",
    )
    context.add_argument("profile", type=Path, metavar="PROFILE")
    add_profile_options(context)


def run(args: argparse.Namespace) -> int:
    from .. import templates
    from ..build import load_profile

    if args.action in ("status", "diff", "context"):
        return {"status": _status, "diff": _diff, "context": _context}[args.action](args)
    from ..upgrades import record_export

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
    record_export(family, copied, destination)
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


def _status(args: argparse.Namespace) -> int:
    from ..upgrades import records, status

    lines = []
    for record in records(args.directory):
        lines.append(f"{record.folder} (from {record.family}, texcv {record.version}):")
        rows = status(record)
        width = max((len(piece) for piece, _ in rows), default=0)
        lines += [f"  {piece:<{width}}  {state}" for piece, state in rows]
    print("\n".join(lines))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from ..upgrades import diff, locate

    record, piece = locate(args.piece)
    shown = diff(record, piece)
    if shown:
        print(shown, end="")
    else:
        say(f"{args.piece}: unchanged since export, on both sides")
    return 0


def _context(args: argparse.Namespace) -> int:
    from ..build import template_contexts

    found = template_contexts(args.profile, settings(args))
    for number, (name, context) in enumerate(found):
        if len(found) > 1:
            print(("\n" if number else "") + f"# {name}")
        print("\n".join(_describe(context)))
    return 0


def _describe(values: dict) -> list[str]:
    """Each name of a template context with its type, nested; a list's items described as one (their
    keys merged: an entry's keys depend on its kind, so a key some items lack is marked)."""
    return [line for name, value in values.items() for line in _described(name, [value], 0)]


def _described(name: str, values: list, depth: int, partial: bool = False) -> list[str]:
    import dataclasses

    kinds = dict.fromkeys(_kind(v) for v in values)
    head = f"{'  ' * depth}{name}: {' | '.join(kinds)}" + (" (some items)" if partial else "")
    example = next((v for v in values if isinstance(v, (str, int, float)) and str(v)), None)
    if example is not None:
        shown = str(example) if len(str(example)) <= 50 else str(example)[:47] + "..."
        head += f"  e.g. {shown!r}" if isinstance(example, str) else f"  e.g. {example}"
    lines = [head]
    mappings = [_fields(v) if dataclasses.is_dataclass(v) else v for v in values if _nested(v)]
    keys = dict.fromkeys(key for mapping in mappings for key in mapping)
    for key in keys:
        holding = [mapping[key] for mapping in mappings if key in mapping]
        lines += _described(str(key), holding, depth + 1, len(holding) < len(mappings))
    items = [item for v in values if isinstance(v, (list, tuple)) for item in v]
    if items:
        lines += _described("[…]", items, depth + 1)
    return lines


def _nested(value: object) -> bool:
    import dataclasses

    return isinstance(value, dict) or (dataclasses.is_dataclass(value) and not isinstance(value, type))


def _fields(value: Any) -> dict:
    """A dataclass's fields, not converted further (a nested one is described in its turn)."""
    import dataclasses

    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}


def _kind(value: object) -> str:
    from ..markup import Inline

    if isinstance(value, Inline):
        return "text (markdown)"
    for kind, name in ((bool, "bool"), (str, "text"), ((int, float), "number"), (dict, "mapping")):
        if isinstance(value, kind):
            return name
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Path):
        return "path"
    return "none" if value is None else type(value).__name__
