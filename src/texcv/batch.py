"""Many profiles at once: checked against each other (no two write one file), then each built in a
worker process; results come back in the order given.

Processes, not threads: rendering is Python work that threads would serialise, and the engine is
started with a pre-exec hook that is unsafe in a threaded process. One failing profile does not
stop the others; its error travels back as text with its exit status.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import Built, Settings, build, load_profile, stems
from .errors import UserError
from .process import cores
from .targets import profile_inputs, refuse_inputs


@dataclass
class Outcome:
    """What became of one profile: its PDFs, or the error that stopped it."""

    profile: Path
    built: list[Built] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0


def build_many(
    profiles: Sequence[Path], output_dir: Path, settings: Settings, jobs: int | None = None
) -> Iterator[Outcome]:
    """Build each profile, `jobs` at a time (default: every core), yielding outcomes in the order of
    `profiles` (reports read the same however the work was scheduled)."""
    jobs = min(jobs or cores(), len(profiles))
    if jobs <= 1:
        yield from (build_one(profile, output_dir, settings) for profile in profiles)
        return
    from concurrent.futures import ProcessPoolExecutor  # not needed for one profile at a time

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = [pool.submit(build_one, profile, output_dir, settings) for profile in profiles]
        for future in pending:
            yield future.result()


def build_one(profile: Path, output_dir: Path, settings: Settings) -> Outcome:
    from .export import write_formats

    try:
        built = build(profile, output_dir, settings, write_formats)
    except UserError as exc:  # reported, and the other profiles go on
        return Outcome(profile, error=str(exc), exit_code=exc.exit_code)
    return Outcome(profile, built)


def refuse_png_inputs(profiles: Sequence[Path], output_dir: Path, settings: Settings) -> None:
    """`build --png` replaces or removes every NAME-N.png beside each PDF: none may be an input."""
    from . import preview
    from .templates import search_path

    for path in profiles:
        profile = _loaded(path, settings)
        if profile is None:
            continue
        pages = [page for stem in stems(path, profile, settings) for page in preview.pages(output_dir / f"{stem}.pdf")]
        folders = [d.path for d in search_path(profile, settings.template_dirs)]
        refuse_inputs(pages, functools.partial(profile_inputs, path, profile, folders))


def refuse_shared_outputs(profiles: Sequence[Path], output_dir: Path, settings: Settings) -> None:
    """Raise UserError, naming both profiles and the file, if two profiles of a batch would write
    the same output file: one would silently replace the other's."""
    # An output stem is the profile's file stem, or that and ".LANG": profiles whose stems differ
    # before the first dot cannot share an output, and are not read here.
    roots = Counter(_root(path) for path in profiles)
    writers: dict[str, int] = {}  # output stem → index of the profile writing it
    for index, path in enumerate(profiles):
        profile = _loaded(path, settings) if roots[_root(path)] > 1 else None
        if profile is None:
            continue
        for stem in stems(path, profile, settings):
            first = writers.setdefault(stem, index)
            if first != index:
                raise UserError(
                    f"{profiles[first]} and {path} would both write {output_dir / stem}.pdf;"
                    " build them into different directories (-o) or rename one"
                )


def _root(path: Path) -> str:
    return path.stem.split(".")[0]


def _loaded(path: Path, settings: Settings) -> dict | None:
    """The validated profile, or None when it has an error: its own build reports that."""
    try:
        return load_profile(path, settings)
    except UserError:
        return None
