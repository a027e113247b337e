"""Many profiles at once: each is built in a worker process; results come back in the order given.

Processes, not threads: rendering is Python work that threads would serialise, and the engine is
started with a pre-exec hook that is unsafe in a threaded process. One failing profile does not
stop the others; its error travels back as text with its exit status.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .build import Built, Settings, build
from .errors import UserError


@dataclass
class Outcome:
    """What became of one profile: its PDFs, or the error that stopped it."""

    profile: Path
    built: list[Built] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def build_many(profiles: Sequence[Path], output_dir: Path, settings: Settings, jobs: int | None = None) -> Iterator[Outcome]:
    """Build each profile, `jobs` at a time (default: every core), yielding outcomes in the order of
    `profiles` (reports read the same however the work was scheduled)."""
    jobs = min(jobs or default_jobs(), len(profiles))
    if jobs <= 1:
        yield from (build_one(profile, output_dir, settings) for profile in profiles)
        return
    from concurrent.futures import ProcessPoolExecutor  # not needed for one profile at a time

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = [pool.submit(build_one, profile, output_dir, settings) for profile in profiles]
        for future in pending:
            yield future.result()


def build_one(profile: Path, output_dir: Path, settings: Settings) -> Outcome:
    try:
        built = build(profile, output_dir, settings)
    except UserError as exc:  # reported, and the other profiles go on
        return Outcome(profile, error=str(exc), exit_code=exc.exit_code)
    return Outcome(profile, built)
