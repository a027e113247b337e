"""Options shared by the commands that read profiles."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_profile_options(parser: argparse.ArgumentParser) -> None:
    from ..choices import COLORS, ENGINES, STYLES

    parser.add_argument("--style", choices=STYLES, help="moderncv style (overrides design.style)")
    parser.add_argument("--color", choices=COLORS, help="colour scheme (overrides design.color)")
    parser.add_argument(
        "--engine", choices=ENGINES, help="TeX engine; auto picks pdflatex when it can set every character"
    )
    parser.add_argument("--lang", help="only this language of a multilingual profile")
    parser.add_argument(
        "--template", metavar="FAMILY", help="template family, e.g. moderncv or ats (overrides design.template)"
    )
    parser.add_argument(
        "--order", metavar="ID,ID", help="these sections first, in this order (overrides design.section_order)"
    )
    parser.add_argument(
        "--hide",
        action="append",
        default=[],
        metavar="ID",
        help="leave this section out (repeatable, or ID,ID; overrides design.hidden_sections)",
    )
    parser.add_argument(
        "--rename",
        type=_rename,
        action="append",
        default=[],
        metavar="ID=TITLE",
        help="print this section under another title (repeatable)",
    )
    parser.add_argument(
        "--template-dir",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="look for templates here first (repeatable)",
    )
    parser.add_argument(
        "--allow-dir",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="let profiles name files (photo, design.template_dir) in this folder too; by default only in "
        "the profile's own folder and below (repeatable)",
    )
    parser.add_argument(
        "--set",
        type=_design_value,
        action="append",
        default=[],
        metavar="design.KEY=VALUE",
        help="override a design value, e.g. design.color=red or design.margins.top=1.5cm (VALUE is YAML; repeatable)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TAG",
        help="keep only entries and sections with this tag (repeatable, or TAG,TAG)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="TAG",
        help="leave out entries and sections with this tag (repeatable, or TAG,TAG)",
    )


def settings(args: argparse.Namespace):  # -> build.Settings
    from ..build import Settings

    design = {key: getattr(args, key) for key in ("style", "color", "engine", "template") if getattr(args, key)}
    if args.order:
        design["section_order"] = list(_tags([args.order]))
    if args.hide:
        design["hidden_sections"] = list(_tags(args.hide))
    design.update((f"section_titles.{section_id}", title) for section_id, title in args.rename)
    design.update(args.set)  # later wins: --set after --color
    return Settings(
        design=design,
        lang=args.lang,
        template_dirs=tuple(p.resolve() for p in args.template_dir),
        allowed_dirs=tuple(p.resolve() for p in args.allow_dir),
        only=_tags(args.only),
        skip=_tags(args.skip),
    )


def _tags(values: list[str]) -> tuple[str, ...]:
    return tuple(tag for value in values for tag in value.split(",") if tag)


def _rename(text: str) -> tuple[str, str]:
    section_id, equals, title = text.partition("=")
    if not equals or not section_id.strip() or not title.strip():
        raise argparse.ArgumentTypeError(f"expected ID=TITLE, e.g. publications=Papers (got {text!r})")
    return section_id.strip(), title


def _design_value(text: str) -> tuple[str, Any]:
    """`design.KEY=VALUE` → (KEY, VALUE read as YAML); validated later, with the profile's messages."""
    from ..errors import ProfileError
    from ..loader import parse

    key, equals, raw = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected design.KEY=VALUE, e.g. design.color=red (got {text!r})")
    if not key.startswith("design.") or key == "design.":
        raise argparse.ArgumentTypeError(
            f"only design values can be set: --set design.{key.removeprefix('design.') or 'KEY'}={raw}"
        )
    if not raw.strip():  # empty, as in the file: back to the default
        return key.removeprefix("design."), None
    try:
        value = parse(raw, "--set").data
    except ProfileError as exc:
        raise argparse.ArgumentTypeError(f"{text}: {exc.problems[0].message}") from None
    return key.removeprefix("design."), value
