"""texcv build: profiles to PDF."""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from .options import add_profile_options, settings
from .output import detail, error, say, warn

HELP = "typeset profiles to PDF (and write other formats: --formats)"
MAX_TIMEOUT = 86400  # --timeout: a day


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profiles", type=Path, nargs="+", metavar="PROFILE")
    parser.add_argument(
        "-o",
        "--output-dir",
        type=_output_dir,
        default=Path("build"),
        metavar="DIR",
        help="where PDFs and other outputs go (default: build/)",
    )
    parser.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N", help="build N profiles at a time (default: one per core)"
    )
    parser.add_argument("--no-cache", action="store_true", help="run TeX even when an identical PDF was built before")
    parser.add_argument(
        "--allow-missing-text",
        action="store_true",
        help="write the PDF even when words of the profile are missing from its text (a warning names them)",
    )
    from ..process import TIMEOUT

    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"stop a TeX run that takes longer (default: {TIMEOUT:g}; at most {MAX_TIMEOUT} = a day)",
    )
    parser.add_argument(
        "--pages",
        type=_pages,
        metavar="N",
        help="fit each PDF onto N pages: smaller type, margins and line spacing, within bounds, nothing left out "
        "(overrides design.pages)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="rebuild whenever a profile, its photo or a template changes (Ctrl-C stops)",
    )
    from ..choices import FORMATS

    parser.add_argument(
        "--formats",
        type=_formats,
        metavar="LIST",
        help=f"what to write for each language, beside the PDF with its name: any of {','.join(FORMATS)}"
        " (default: the profile's design.formats, else pdf)",
    )
    parser.add_argument(
        "--png",
        action="store_true",
        help="also write one PNG per page next to each PDF: NAME-1.png, NAME-2.png, … (pdftoppm); png in --formats",
    )
    parser.add_argument(
        "--png-dpi", type=_dpi, default=100, metavar="DPI", help="resolution of the PNGs (default: 100)"
    )
    add_profile_options(parser)


def _output_dir(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        what = "a file" if path.is_file() else "not a directory"
        raise argparse.ArgumentTypeError(f"expected a directory for the PDFs; {text} is {what}")
    return path


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_TIMEOUT:  # far beyond, the clocks and polls that enforce it overflow
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, at most {MAX_TIMEOUT} (got {text!r})")
    return seconds


def _pages(text: str) -> int:
    from ..schema import MAX_PAGES

    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGES:
        raise argparse.ArgumentTypeError(f"expected a number of pages from 1 to {MAX_PAGES} (got {text!r})")
    return int(text)


def _formats(text: str) -> tuple[str, ...]:
    from ..choices import FORMATS
    from ..errors import suggest

    names = tuple(dict.fromkeys(name.strip() for name in text.split(",")))
    for name in names:
        if name not in FORMATS:
            raise argparse.ArgumentTypeError(
                f"unknown format {name!r} (expected a comma-separated list of: {', '.join(FORMATS)})"
                + suggest(name, FORMATS)
            )
    return names


def _dpi(text: str) -> int:
    if not text.isdigit() or not 10 <= int(text) <= 1200:
        raise argparse.ArgumentTypeError(f"expected dots per inch between 10 and 1200 (got {text!r})")
    return int(text)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of profiles at a time, 1 or more (got {text!r})")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from .. import preview
    from ..batch import build_many, refuse_png_inputs, refuse_shared_outputs

    options = dataclasses.replace(
        settings(args),
        use_cache=not args.no_cache,
        timeout=args.timeout,
        allow_missing_text=args.allow_missing_text,
        formats=args.formats or (),
        png=args.png,
        png_dpi=args.png_dpi,
    )
    if args.pages:
        options.design["pages"] = args.pages
    # Before anything is built: each output file has one writer, and no PNG page replaces an input
    # (build() itself refuses a .tex, .pdf or .log that is an input).
    refuse_shared_outputs(args.profiles, args.output_dir, options)
    if args.png or "png" in (args.formats or ()):
        preview.pdftoppm()  # a missing pdftoppm stops the build before it starts
        refuse_png_inputs(args.profiles, args.output_dir, options)
    if args.watch:
        return _watch(args)
    started = time.perf_counter()
    failures: dict[Path, int] = {}  # profile → exit status
    pdfs = cached = 0
    for outcome in build_many(args.profiles, args.output_dir, options, args.jobs):
        if outcome.error is not None:  # reported; the other profiles go on
            error(outcome.error)
            failures[outcome.profile] = outcome.exit_code
        for built in outcome.built:
            _report(built)
            pdfs, cached = pdfs + (built.pdf is not None), cached + built.cached
    failed = [profile for profile in args.profiles if profile in failures]  # in command-line order
    if len(args.profiles) > 1:
        succeeded = len(args.profiles) - len(failed)
        seconds = time.perf_counter() - started
        summary = (
            f"{pdfs} PDF(s) from {succeeded} of {len(args.profiles)} profiles in {seconds:.1f} s ({cached} cached)"
        )
        say(summary + (f"; failed: {', '.join(map(str, failed))}" if failed else ""))
    return failures[failed[0]] if failed else 0  # the first failing profile's status


def _watch(args: argparse.Namespace) -> int:
    from ..watch import watch

    def rebuild(profile: Path) -> int:
        return run(argparse.Namespace(**{**vars(args), "profiles": [profile], "watch": False}))

    try:
        watch(args.profiles, settings(args), rebuild)
    except KeyboardInterrupt:
        say("stopped watching")
    return 0


def _report(built) -> None:  # built: build.Built
    """The build line: each file written, the PDF first with how it was made."""
    files = [str(file) for file in built.files]
    if built.pdf is not None:
        say(f"wrote {built.pdf} ({_how(built)})" + "".join(f", {file}" for file in files))
        detail(f"wrote {built.tex} and {built.pdf.with_suffix('.log')}")
    else:
        say("wrote " + ", ".join([*([str(built.tex)] if built.tex else []), *files] or ["nothing"]))
    if built.warnings:  # only a PDF's build or an export has any: one of them was written
        stem = (built.pdf or built.tex or built.files[0]).stem
        for warning in built.warnings:
            warn(f"{stem}: {warning}")


def _how(built) -> str:  # built: build.Built
    pages = f"{built.pages} page(s)"
    fitted = f"; {built.fit}" if built.fit else ""
    if built.cached:
        return f"{built.engine}, {pages}, cached{fitted}"
    checked = f"text layer: {built.words_checked:,} words, " + (
        f"{built.fields_with_lost_text} field(s) with lost text" if built.fields_with_lost_text else "all present"
    )
    passes = f"{built.passes} pass{'es' if built.passes != 1 else ''}"
    return f"{built.engine}, {pages}, {passes}, {built.seconds:.1f} s; {checked}{fitted}"
