r"""A precompiled preamble: the part of a document that depends only on its design, dumped once into
a TeX format file (with mylatexformat) that later runs load instead of reading the class and
packages again — about a third of a pdflatex pass (docs/performance.md).

Templates end their design-only part with the line `\csname endofdump\endcsname` (a no-op for a
run without a format); a document without it is compiled as usual. Only pdflatex: xelatex and
lualatex cannot keep loaded OpenType fonts in a format. A format is keyed by that part (comment
lines aside: the first one names the profile), the engine and the TeX installation, so a change to
any of them builds a new one; a format that fails to build is remembered and not tried again.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from . import cache
from .compile import PREAMBLE_END, engine_environment, engine_path, run_engine

ENGINES = ("pdflatex",)
FORMAT_VERSION = "texcv-format-1"
KEEP = 8  # formats kept (~7 MB each), least recently used dropped
TIMEOUT = 60.0


def format_file(tex: str, engine: str) -> Path | None:
    """The format holding `tex`'s preamble, built now if needed; None where none can be used."""
    head, marker, _ = tex.partition(PREAMBLE_END)
    if engine not in ENGINES or not marker:
        return None
    design_lines = [line for line in head.splitlines() if not line.lstrip().startswith("%")]
    key = cache.digest([FORMAT_VERSION, engine, cache.tex_identity(engine), *design_lines])[:32]
    folder = cache.directory() / "formats"
    target = folder / f"{key}.fmt"
    if cache.use(target):
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = os.open(folder / f"{key}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build per format, however many texcv processes wait
        if target.exists():
            return target
        if (folder / f"{key}.failed").exists():
            return None
        return target if _dump(head + PREAMBLE_END + "\n", engine, target) else None
    except OSError:
        return None
    finally:
        os.close(lock)  # the lock file stays: removing it would let a third process in early


def _dump(preamble: str, engine: str, target: Path) -> bool:
    with tempfile.TemporaryDirectory(prefix=".dump-", dir=target.parent) as work:  # same file system: the rename is atomic
        (Path(work) / "preamble.tex").write_text(preamble, encoding="utf-8")
        command = [engine_path(engine), "-ini", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", f"-jobname={target.stem}", f"&{engine}", "mylatexformat.ltx", "preamble.tex"]
        dumped = Path(work) / target.name
        if not run_engine(command, Path(work), engine_environment(), TIMEOUT) or not dumped.exists():
            cache.write(target.with_suffix(".failed"), b"")
            return False
        os.replace(dumped, target)
    cache.prune(target.parent, KEEP, "*.fmt")
    return True
