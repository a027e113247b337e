"""Stage 5: LaTeX source → PDF with a real TeX engine, safely and with as few passes as needed.

The engine runs in a private work directory with shell escape off, kpathsea's paranoid file
access, stdin closed and a timeout that kills its whole process group. A document needs a second
pass only when it has more than one page (moderncv prints "n/N" page numbers from lastpage).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TexError, ToolMissingError

MAX_PASSES = 3
TEX_NAME = "cv"
# Debian packages that give texcv everything it uses.
DEBIAN_PACKAGES = (
    "texlive-latex-extra texlive-fonts-recommended texlive-fonts-extra texlive-xetex "
    "texlive-luatex texlive-lang-chinese fonts-noto-cjk tex-gyre lmodern"
)
_ENGINE_PACKAGES = {"pdflatex": "texlive-latex-extra", "xelatex": "texlive-xetex", "lualatex": "texlive-luatex"}

_PAGES = re.compile(r"Output written on .*?\((\d+) pages?")
_FILE_LINE_ERROR = re.compile(r"^(?:\./)?[^:\n]*\.(?:tex|sty|cls|def|cfg|fd):(\d+): (.*)$", re.MULTILINE)
_BANG_ERROR = re.compile(r"^! (.*)$", re.MULTILINE)
_OVERFULL = re.compile(r"^(Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\).*)$", re.MULTILINE)
_MISSING_CHAR = re.compile(r"^Missing character: There is no (.) \((U\+[0-9A-F]+)\) in font ([^!]*)!", re.MULTILINE)
_RERUN = re.compile(r"Rerun to get|undefined references|Label\(s\) may have changed")
# Overfull boxes smaller than this are invisible in print and not worth a warning.
OVERFULL_TOLERANCE_PT = 1.0


@dataclass
class Compiled:
    pdf: bytes
    log: str
    engine: str
    passes: int
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def engine_path(engine: str) -> str:
    found = shutil.which(engine)
    if found is None:
        raise ToolMissingError(
            f"{engine} is not installed. On Debian/Ubuntu: sudo apt-get install {_ENGINE_PACKAGES.get(engine, '')} "
            f"(everything texcv can use: sudo apt-get install {DEBIAN_PACKAGES}). `texcv render` works without TeX."
        )
    return found


def compile_pdf(tex: str, engine: str, workdir: Path, extra_files: dict[str, Path] | None = None, timeout: float = 60.0) -> Compiled:
    """Compile `tex` in `workdir` (which the caller owns and removes). Raises TexError on failure."""
    program = engine_path(engine)
    (workdir / f"{TEX_NAME}.tex").write_text(tex, encoding="utf-8")
    for name, source in (extra_files or {}).items():
        shutil.copyfile(source, workdir / name)
    env = dict(os.environ)
    env.update(
        openout_any="p",  # write only below the work directory
        openin_any="p",  # no reading of dotfiles or files outside the TeX tree and work directory
        max_print_line="100000",  # one log line per message, for parsing
        TEXMFOUTPUT="",
    )
    command = [program, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", f"{TEX_NAME}.tex"]
    started = time.perf_counter()
    log = ""
    for passes in range(1, MAX_PASSES + 1):
        _run(command, workdir, env, timeout)
        log = (workdir / f"{TEX_NAME}.log").read_text("utf-8", errors="replace") if (workdir / f"{TEX_NAME}.log").exists() else ""
        pdf_path = workdir / f"{TEX_NAME}.pdf"
        failed = not pdf_path.exists() or _first_error(log) is not None
        if failed:
            raise TexError(describe_failure(log, tex, engine), log)
        pages = int(m.group(1)) if (m := _PAGES.search(log)) else 1
        # One page: page numbers are not printed, so the first pass is final.
        if pages == 1 or not _RERUN.search(log):
            break
    return Compiled(pdf_path.read_bytes(), log, engine, passes, pages, time.perf_counter() - started, warnings(log))


def _run(command: list[str], cwd: Path, env: dict, timeout: float) -> None:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the engine and anything it started
        process.wait()
        raise TexError(f"{Path(command[0]).name} did not finish within {timeout:.0f} s and was stopped (a template that loops forever?)") from None


def _first_error(log: str) -> tuple[int | None, str] | None:
    match = _FILE_LINE_ERROR.search(log)
    if match:
        return int(match.group(1)), match.group(2)
    match = _BANG_ERROR.search(log)
    if match:
        line = re.search(r"^l\.(\d+)", log[match.end():], re.MULTILINE)
        return (int(line.group(1)) if line else None), match.group(1)
    if "Emergency stop" in log or "Fatal error" in log:
        return None, "TeX stopped with a fatal error"
    return None


def describe_failure(log: str, tex: str, engine: str) -> str:
    error = _first_error(log)
    if error is None:
        return f"{engine} produced no PDF and reported no error"
    line, message = error
    missing = re.search(r"File `([^']+)' not found", log)
    text = f"{engine} failed: {message}"
    if missing:
        text += f"\n  a TeX package file is missing: {missing.group(1)} (sudo apt-get install {DEBIAN_PACKAGES})"
    if line is not None:
        lines = tex.splitlines()
        text += f"\n  at {TEX_NAME}.tex line {line}:"
        for number in range(max(1, line - 1), min(len(lines), line + 1) + 1):
            text += f"\n  {'>' if number == line else ' '} {number:5d} | {lines[number - 1]}"
    return text


def warnings(log: str) -> list[str]:
    found = []
    for match in _OVERFULL.finditer(log):
        if float(match.group(2)) > OVERFULL_TOLERANCE_PT:
            found.append(match.group(1))
    for match in _MISSING_CHAR.finditer(log):
        if match.group(1) == " ":  # icon fonts have no space glyph; a space is never lost text
            continue
        found.append(f"font {match.group(3).strip()} has no {match.group(1)!r} ({match.group(2)}): it is missing from the PDF")
    return list(dict.fromkeys(found))
