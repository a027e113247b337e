"""Rebuild profiles whenever a file their build reads changes: the profile, its photo and .bib files,
any file in a template directory on the search path.

A save that breaks the profile is reported by the rebuild and watching goes on; the last good PDF
stays, as after any failed build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from .build import Settings, load_profile
from .errors import UserError

log = logging.getLogger("texcv")


def inputs(profile_path: Path, settings: Settings, previous: Sequence[Path] = ()) -> list[Path]:
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


def watch(profiles: list[Path], settings: Settings, rebuild: Callable[[Path], object]) -> None:
    """Build each profile, then rebuild it whenever one of its inputs changes; returns only by an
    exception (KeyboardInterrupt when the user presses Ctrl-C). The kernel says when a file changes
    (inotify, through watchfiles): a save is seen within milliseconds, and a burst of writes (an
    editor saving in several steps) gives one rebuild. The process stays warm between builds:
    imports, compiled templates (recompiled only when a template changed), the precompiled preamble."""
    import watchfiles

    from .render import environment

    watched = {profile: _resolved(inputs(profile, settings)) for profile in profiles}
    unbuilt = list(profiles)
    while True:
        # Folders, not files: an editor often saves by writing a new file and renaming it over the old.
        folders = {file.parent for files in watched.values() for file in files if file.parent.is_dir()}
        events = watchfiles.watch(
            *sorted(folders), debounce=_SETTLE_MS, step=_STEP_MS, rust_timeout=_IDLE_MS, yield_on_timeout=True
        )
        for changes in events:  # the first, empty, once the kernel watches: no save is missed from here on
            if unbuilt:
                for profile in unbuilt:
                    rebuild(profile)
                unbuilt = []
                log.info(f"watching {sum(len(files) for files in watched.values())} files; press Ctrl-C to stop")
            changed = {Path(path).resolve() for _, path in changes}
            for profile in [profile for profile, files in watched.items() if changed & files]:
                log.info(
                    f"{', '.join(sorted(f.name for f in changed & watched[profile]))} changed; rebuilding {profile}"
                )
                if any(f.suffix == ".j2" for f in changed):
                    environment.cache_clear()  # templates are compiled once per process
                rebuild(profile)
                watched[profile] = _resolved(inputs(profile, settings, sorted(watched[profile])))
            if {f.parent for files in watched.values() for f in files if f.parent.is_dir()} != folders:
                break  # a new photo or template folder: watch anew


# An editor's save in several writes arrives within a few milliseconds; 50 ms groups them into one
# rebuild and stays well inside the 100 ms a rebuild may add to its TeX pass (docs/performance.md).
# With no change for _IDLE_MS the watcher wakes texcv anyway (the first time: it is ready).
_SETTLE_MS, _STEP_MS, _IDLE_MS = 50, 10, 100


def _resolved(files: list[Path]) -> set[Path]:
    return {file.resolve() for file in files}
