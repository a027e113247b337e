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
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from . import cache, process
from .compile import PREAMBLE_END, engine_environment, engine_path

ENGINES = ("pdflatex",)
FORMAT_VERSION = "texcv-format-1"
KEEP = 8  # formats kept (~7 MB each), least recently used dropped


def folder() -> Path:
    return cache.directory() / "formats"


class Precompiled:
    """The format for one document's preamble: ready, being dumped by this process (which may do
    other work meanwhile), or not to be had."""

    def __init__(self, target: Path | None, dump: _Dump | None = None, lock: int = -1):
        self._target, self._dump, self._lock = target, dump, lock

    @property
    def dumping(self) -> bool:
        return self._dump is not None

    def path(self) -> Path | None:
        """The format file, waiting for its dump if one runs; None where there is none."""
        if self._dump is not None:
            self._dump.finish()
            self._dump = None
            fcntl.flock(self._lock, fcntl.LOCK_SH)  # others may use it now; no one prunes it
        return self._target if self._target is not None and self._target.exists() else None

    def abandon(self) -> None:
        """Stop a dump still running (the build failed before it needed the format)."""
        if self._dump is not None:
            self._dump.stop()
            self._dump = None


@contextlib.contextmanager
def format_file(tex: str, engine: str) -> Iterator[Precompiled]:
    """The format holding `tex`'s preamble, kept from pruning while the caller uses it. A missing
    format is dumped by an engine started now: the caller may work meanwhile (a first build runs
    a pass without it) until it asks for Precompiled.path()."""
    head, marker, _ = tex.partition(PREAMBLE_END)
    if engine not in ENGINES or not marker:
        yield Precompiled(None)
        return
    design_lines = [line for line in head.splitlines() if not line.lstrip().startswith("%")]
    key = cache.digest([FORMAT_VERSION, engine, cache.tex_identity(engine), *design_lines])[:32]
    target = folder() / f"{key}.fmt"
    try:
        folder().mkdir(parents=True, exist_ok=True)
        lock = os.open(target.with_suffix(".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        yield Precompiled(None)
        return
    precompiled = Precompiled(None)
    try:
        precompiled = _prepare(target, lock, head + PREAMBLE_END + "\n", engine)
        yield precompiled
    finally:
        precompiled.abandon()
        os.close(lock)  # releases the lock; the lock file stays (removing it would let a third process in early)


def _prepare(target: Path, lock: int, preamble: str, engine: str) -> Precompiled:
    """`target` ready (a shared lock held through `lock`), or its dump started (the lock exclusive)."""
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)
        if cache.mark_used(target):
            return Precompiled(target)
        fcntl.flock(lock, fcntl.LOCK_EX)  # one dump per format, however many texcv processes wait
        if target.exists() or target.with_suffix(".failed").exists():
            fcntl.flock(lock, fcntl.LOCK_SH)
            return Precompiled(target)
        return Precompiled(target, _Dump(preamble, engine, target), lock)
    except OSError:
        return Precompiled(None)


def discard(target: Path) -> None:
    """Remove a format the engine could not load; the next build dumps it again."""
    target.unlink(missing_ok=True)


class _Dump:
    """An engine dumping a preamble into a format, in a folder beside the target (the rename that
    publishes it is atomic); the format is published only if the dump exited 0 and is whole."""

    def __init__(self, preamble: str, engine: str, target: Path):
        self.target = target
        self.work = Path(tempfile.mkdtemp(prefix=".dump-", dir=target.parent))
        (self.work / "preamble.tex").write_text(preamble, encoding="utf-8")
        command = [
            engine_path(engine), "-ini", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
            f"-jobname={target.stem}", f"&{engine}", "mylatexformat.ltx", "preamble.tex",
        ]  # fmt: skip
        self.running = process.Running(command, self.work, engine_environment())

    def finish(self) -> None:
        dumped = self.work / self.target.name
        try:
            if self.running.finish(process.TIMEOUT).ok and _is_whole(dumped):
                os.replace(dumped, self.target)
                prune(self.target.parent, KEEP)
            else:
                cache.write(self.target.with_suffix(".failed"), b"")
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    def stop(self) -> None:
        self.running.finish(0)
        shutil.rmtree(self.work, ignore_errors=True)


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
