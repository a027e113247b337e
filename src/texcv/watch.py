"""Rebuild profiles whenever a file their build reads changes: the profile, its photo and .bib files,
any file in a template directory on the search path. Polls modification times (stdlib only, no
watcher daemon).

A save that breaks the profile is reported by the rebuild and watching goes on; the last good PDF
stays, as after any failed build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from .build import Settings, load_profile
from .errors import UserError

log = logging.getLogger("texcv")

Snapshot = dict[Path, tuple[int, int] | None]  # file → (mtime in ns, size), None when missing


def inputs(profile_path: Path, settings: Settings, previous: list[Path] = ()) -> list[Path]:
    """The files a build of the profile reads. A profile that does not load names no photo or
    template directory of its own: the previous list (if any) stands in for them."""
    from .targets import profile_inputs
    from .templates import search_path

    try:
        profile = load_profile(profile_path, settings)
    except UserError:
        if previous:
            return list(previous)
        profile = None
    folders = [d.path for d in search_path(profile, settings.template_dirs)]
    if profile is None:
        folders.append(Path(profile_path).resolve().parent / "templates")
    return list(profile_inputs(profile_path, profile, folders))


def snapshot(files: list[Path]) -> Snapshot:
    def stat(file: Path) -> tuple[int, int] | None:
        try:
            info = file.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    return {file: stat(file) for file in files}


def watch(profiles: list[Path], settings: Settings, rebuild: Callable[[Path], object], interval: float = 0.3) -> None:
    """Build each profile, then rebuild it whenever its inputs change; returns only by an exception
    (KeyboardInterrupt when the user presses Ctrl-C)."""
    from .render import environment

    watched: dict[Path, tuple[list[Path], Snapshot]] = {}
    for profile in profiles:
        files = inputs(profile, settings)
        before = snapshot(files)
        rebuild(profile)
        watched[profile] = (files, before)
    log.info(f"watching {sum(len(files) for files, _ in watched.values())} files; press Ctrl-C to stop")
    while True:
        time.sleep(interval)
        for profile, (files, before) in watched.items():
            now = snapshot(files)
            if now == before:
                continue
            while True:  # an editor may write a file in several steps: wait until it is still
                time.sleep(interval)
                settled = snapshot(files)
                if settled == now:
                    break
                now = settled
            changed = [f.name for f in files if now[f] != before[f]]
            log.info(f"{', '.join(changed)} changed; rebuilding {profile}")
            environment.cache_clear()  # templates are compiled once per process
            rebuild(profile)
            files = inputs(profile, settings, files)
            # Changes made during the build are seen next time: known files keep their old state.
            watched[profile] = (files, {**snapshot(files), **{f: now[f] for f in files if f in now}})
