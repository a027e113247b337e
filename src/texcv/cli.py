"""texcv's command line: parses arguments, calls the library, reports on stderr.

Exit status: 0 success · 1 invalid profile or other user error · 2 usage error · 3 TeX failed ·
4 a required program (TeX) is missing · 5 template error · 70 internal error (a texcv bug: the
traceback is shown so it can be reported).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import TexcvError, UserError

EPILOG = """exit status: 0 ok, 1 invalid profile or input, 2 usage error, 3 TeX failed,
4 TeX (or another required program) missing, 5 template error, 70 internal error"""


def _parser() -> argparse.ArgumentParser:
    from .schema import COLORS, ENGINES, STYLES

    parser = argparse.ArgumentParser(prog="texcv", description="Typeset résumés kept as YAML profiles with LaTeX (moderncv).", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"texcv {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--style", choices=STYLES, help="moderncv style (overrides design.style)")
    common.add_argument("--color", choices=COLORS, help="colour scheme (overrides design.color)")
    common.add_argument("--engine", choices=ENGINES, help="TeX engine; auto picks pdflatex when it can set every character")
    common.add_argument("--lang", help="build only this language of a multilingual profile")
    common.add_argument("--template-dir", type=Path, action="append", default=[], metavar="DIR", help="look for templates here first (repeatable)")

    render = commands.add_parser("render", parents=[common], help="write the LaTeX source of a profile", epilog=EPILOG)
    render.add_argument("profile", type=Path, metavar="PROFILE")
    render.add_argument("-o", "--output", metavar="FILE", help="output .tex file, or - for standard output (default: build/<profile>.tex)")

    build = commands.add_parser("build", parents=[common], help="typeset profiles to PDF", epilog=EPILOG)
    build.add_argument("profiles", type=Path, nargs="+", metavar="PROFILE")
    build.add_argument("-o", "--output-dir", type=Path, default=Path("build"), metavar="DIR", help="where PDFs go (default: build/)")
    return parser


def _settings(args: argparse.Namespace):  # -> build.Settings
    from .build import Settings

    design = {key: getattr(args, key) for key in ("style", "color", "engine") if getattr(args, key)}
    return Settings(design=design, lang=args.lang, template_dirs=tuple(p.resolve() for p in args.template_dir))


def _render(args: argparse.Namespace) -> int:
    from .build import documents, write_atomic

    docs = documents(args.profile, _settings(args))
    if args.output is not None and len(docs) > 1:
        raise UserError(f"{args.profile} has several languages; choose one with --lang to write a single file")
    if args.output == "-":
        sys.stdout.write(docs[0].tex)
        return 0
    for doc in docs:
        target = Path(args.output) if args.output else Path("build") / f"{doc.stem}.tex"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, doc.tex.encode("utf-8"))
        _say(f"wrote {target} ({doc.engine.engine}: {doc.engine.reason})")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    status = 0
    settings = _settings(args)
    for profile in args.profiles:
        try:
            for built in build(profile, args.output_dir, settings):
                passes = "pass" if built.passes == 1 else "passes"
                _say(f"wrote {built.pdf} ({built.engine}, {built.pages} page(s), {built.passes} {passes}, {built.seconds:.1f} s)")
                for warning in built.warnings:
                    _say(f"warning: {built.pdf.stem}: {warning}")
        except UserError as exc:  # report and go on with the other profiles
            _say(f"error: {exc}")
            status = status or exc.exit_code
    return status


def _say(message: str) -> None:
    print(f"texcv: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"render": _render, "build": _build}[args.command](args)
    except UserError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as exc:
        if isinstance(exc, OSError) and exc.filename is not None:  # e.g. an output path that cannot be written
            _say(f"error: {exc.filename2 or exc.filename}: {exc.strerror}")
            return UserError.exit_code
        # internal (a texcv bug): show the traceback so it can be reported
        traceback.print_exc()
        _say(f"internal error in texcv {__version__}; please report it with the traceback above")
        return TexcvError.exit_code


if __name__ == "__main__":
    sys.exit(main())
