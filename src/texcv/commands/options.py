"""Options shared by the commands that read profiles."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any


def add_profile_options(parser: argparse.ArgumentParser) -> None:
    from ..choices import ENGINES

    # Style and colour are options of the family (family.yaml): checked once the family is known.
    parser.add_argument("--style", metavar="STYLE", help="moderncv's style, e.g. banking (overrides design.style)")
    parser.add_argument(
        "--color", metavar="COLOUR", help="accent colour: a name, #RRGGBB or rgb(r,g,b) (overrides design.color)"
    )
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
    add_template_dir_option(parser)
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
        type=_profile_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a profile value, e.g. design.color=#1F6FB2, design.margins.top=1.5cm or contact.phone=… "
        "(VALUE is YAML, or text as written when YAML would read part of it as a comment; repeatable). "
        "`texcv templates list` shows the design options of each family",
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


def add_template_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--template-dir",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="look for templates here first (repeatable)",
    )


def settings(args: argparse.Namespace):  # -> build.Settings
    from ..build import Settings

    design = {key: getattr(args, key) for key in ("style", "color", "engine", "template") if getattr(args, key)}
    if args.order:
        design["section_order"] = list(_tags([args.order]))
    if args.hide:
        design["hidden_sections"] = list(_tags(args.hide))
    design.update((f"section_titles.{section_id}", title) for section_id, title in args.rename)
    # Later wins: --set after --color. A section's title (sections.ID.title) is the one --rename sets: the
    # file's sections are a list, and a section without an id gets one from its title only once validated.
    design.update((design_key, value) for key, value in args.set if (design_key := _design_key(key)))
    return Settings(
        design=design,
        values={key: value for key, value in args.set if not _design_key(key)},
        lang=args.lang,
        template_dirs=tuple(p.resolve() for p in args.template_dir),
        allowed_dirs=tuple(p.resolve() for p in args.allow_dir),
        only=_tags(args.only),
        skip=_tags(args.skip),
    )


def _design_key(key: str) -> str | None:
    """The design key a --set KEY stands for: design.color → color, sections.ID.title → section_titles.ID."""
    if key.startswith("design."):
        return key.removeprefix("design.")
    section = re.fullmatch(r"sections\.([^.]+)\.title", key)
    return f"section_titles.{section.group(1)}" if section else None


def _tags(values: list[str]) -> tuple[str, ...]:
    return tuple(tag for value in values for tag in value.split(",") if tag)


def _rename(text: str) -> tuple[str, str]:
    section_id, equals, title = text.partition("=")
    if not equals or not section_id.strip() or not title.strip():
        raise argparse.ArgumentTypeError(f"expected ID=TITLE, e.g. publications=Papers (got {text!r})")
    return section_id.strip(), title


def _profile_value(text: str) -> tuple[str, Any]:
    """`KEY=VALUE` → (KEY, VALUE read as YAML); validated later, with the profile's messages."""
    from ..errors import ProfileError
    from ..loader import parse

    key, equals, raw = text.partition("=")
    key = key.strip()
    if not equals or not key or "" in key.split("."):
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, e.g. design.color=red (got {text!r})")
    if not raw.strip():  # empty, as in the file: back to the default
        return key, None
    if _has_comment(raw):  # #1F6FB2, "C# and F# #1": YAML would drop the rest as a comment
        return key, raw.strip()
    try:
        value = parse(raw, "--set").data
    except ProfileError as exc:
        raise argparse.ArgumentTypeError(f"{text}: {exc.problems[0].message}") from None
    return key, value


def _has_comment(raw: str) -> bool:
    """Whether YAML would read part of a value as a comment: a # at its start or after a space."""
    return raw.lstrip().startswith("#") or " #" in raw or "\t#" in raw
