r"""A precompiled preamble: the part of a document that depends only on its design, dumped once into
a TeX format file (with mylatexformat) that later runs load instead of reading the class and
packages again — about a third of a pdflatex pass (docs/performance.md).

Templates end their design-only part with the line `\csname endofdump\endcsname` (a no-op for a
run without a format); a document without it is compiled as usual. Only pdflatex: xelatex and
lualatex cannot keep loaded OpenType fonts in a format. A format is keyed by that part (comment
lines aside: the first one names the profile), the engine and the TeX installation, so a change to
any of them builds a new one; a format that fails to build is remembered and not tried again.

A build holds a shared lock on the format it uses (the `.lock` file beside it) until its engine
has finished; dumping takes the lock exclusively, and pruning skips any format whose lock it cannot
take, so no build loses its format to another.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import os
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from . import cache, process
from .compile import PREAMBLE_END, engine_environment, engine_path

ENGINES = ("pdflatex",)
FORMAT_VERSION = "texcv-format-1"
KEEP = 8  # formats kept (~7 MB each), least recently used dropped
TIMEOUT = 60.0


def folder() -> Path:
    return cache.directory() / "formats"


@contextlib.contextmanager
def format_file(tex: str, engine: str) -> Iterator[Path | None]:
    """The format holding `tex`'s preamble, built now if needed and kept from pruning while the
    caller uses it; None where none can be used."""
    head, marker, _ = tex.partition(PREAMBLE_END)
    if engine not in ENGINES or not marker:
        yield None
        return
    design_lines = [line for line in head.splitlines() if not line.lstrip().startswith("%")]
    key = cache.digest([FORMAT_VERSION, engine, cache.tex_identity(engine), *design_lines])[:32]
    target = folder() / f"{key}.fmt"
    try:
        folder().mkdir(parents=True, exist_ok=True)
        lock = os.open(target.with_suffix(".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        yield None
        return
    try:
        yield _ready(target, lock, head + PREAMBLE_END + "\n", engine)
    finally:
        os.close(lock)  # releases the lock; the lock file stays (removing it would let a third process in early)


def _ready(target: Path, lock: int, preamble: str, engine: str) -> Path | None:
    """`target`, dumped first if missing, with a shared lock on it held through `lock`."""
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)
        if cache.mark_used(target):
            return target
        fcntl.flock(lock, fcntl.LOCK_EX)  # one dump per format, however many texcv processes wait
        if not target.exists() and not target.with_suffix(".failed").exists():
            _dump(preamble, engine, target)
        fcntl.flock(lock, fcntl.LOCK_SH)
        return target if target.exists() else None
    except OSError:
        return None


def discard(target: Path) -> None:
    """Remove a format the engine could not load; the next build dumps it again."""
    target.unlink(missing_ok=True)


def _dump(preamble: str, engine: str, target: Path) -> None:
    with tempfile.TemporaryDirectory(
        prefix=".dump-", dir=target.parent
    ) as work:  # same file system: the rename is atomic
        (Path(work) / "preamble.tex").write_text(preamble, encoding="utf-8")
        command = [
            engine_path(engine),
            "-ini",
            "-no-shell-escape",
            "-interaction=nonstopmode",
            "-halt-on-error",
            f"-jobname={target.stem}",
            f"&{engine}",
            "mylatexformat.ltx",
            "preamble.tex",
        ]
        dumped = Path(work) / target.name
        finished = process.run(command, Path(work), engine_environment(), TIMEOUT)
        if not finished.ok or not _is_whole(dumped):
            cache.write(target.with_suffix(".failed"), b"")
            return
        os.replace(dumped, target)
    prune(target.parent, KEEP)


def _is_whole(fmt: Path) -> bool:
    """A dumped format decompresses to its end (a dump cut short by a full disk does not)."""
    try:
        with gzip.open(fmt) as stream:
            while stream.read(1 << 20):
                pass
        return True
    except (OSError, EOFError, zlib.error):
        return False


def prune(formats: Path, keep: int) -> None:
    """Remove the least recently used formats beyond `keep`, except those a build is using."""
    try:
        entries = sorted(formats.glob("*.fmt"), key=lambda p: p.stat().st_mtime_ns)
    except OSError:
        return
    for fmt in entries[: max(0, len(entries) - keep)]:
        try:
            lock = os.open(fmt.with_suffix(".lock"), os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fmt.unlink(missing_ok=True)
        except OSError:  # in use by a running build
            pass
        finally:
            os.close(lock)
