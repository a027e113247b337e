"""Stage 5: LaTeX source → PDF with a real TeX engine, safely and with as few passes as needed.

The engine runs in a private work directory with shell escape off, kpathsea's paranoid file
access, stdin closed and a timeout that kills its whole process group. A document needs a second
pass only when it has more than one page (moderncv prints "n/N" page numbers from lastpage) and
the page total is not already known: the caller may seed the work directory with the auxiliary
files of the previous build. Output is reproducible: fixed dates (SOURCE_DATE_EPOCH) and a trailer
/ID derived from the source, so the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import TexError, ToolMissingError

MAX_PASSES = 3
TIMEOUT = 60.0  # seconds per pass: ample for 300 publications (~1 s) and lualatex's first font scan (~25 s)
TEX_NAME = "cv"
# Debian packages that give texcv everything it uses.
DEBIAN_PACKAGES = (
    "texlive-latex-extra texlive-fonts-recommended texlive-fonts-extra texlive-xetex "
    "texlive-luatex texlive-lang-chinese fonts-noto-cjk tex-gyre lmodern"
)
ENGINE_PACKAGES = {"pdflatex": "texlive-latex-extra", "xelatex": "texlive-xetex", "lualatex": "texlive-luatex"}

_PAGES = re.compile(r"Output written on .*?\((\d+) pages?")
_FILE_LINE_ERROR = re.compile(r"^(?:\./)?[^:\n]*\.(?:tex|sty|cls|def|cfg|fd):(\d+): (.*)$", re.MULTILINE)
_BANG_ERROR = re.compile(r"^! (.*)$", re.MULTILINE)
_OVERFULL = re.compile(r"^(Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\).*)$", re.MULTILINE)
_MISSING_CHAR = re.compile(r"^Missing character: There is no .*? \(U\+([0-9A-F]+)\) in font ([^!]*)!", re.MULTILINE)
_MISSING_FILE = re.compile(r"File `([^']+)' not found")
_MISSING_FONT = re.compile(r'The font "([^"]+)" cannot be found')
# Fonts texcv's templates ask for by name, and the Debian package that has them.
FONT_PACKAGES = {"Noto": "fonts-noto-cjk", "TeX Gyre": "tex-gyre", "EB Garamond": "fonts-ebgaramond-extra"}
_PAGE_TOTAL = re.compile(rb"\\gdef ?\\@abspage@last\{(\d+)\}")  # the LaTeX kernel's page count in the .aux
# Where a template's design-only preamble ends (preamble.py); a no-op for TeX without a format.
PREAMBLE_END = "\\csname endofdump\\endcsname"
# A stable /ID in the PDF's trailer ({id}: 32 hex digits), set where the source is read first.
_TRAILER_ID = {
    "pdflatex": r"\pdftrailerid{{{id}}}",
    "lualatex": r"\pdfvariable trailerid{{[<{id}> <{id}>]}}",
    "xelatex": r"\special{{pdf:trailerid [<{id}> <{id}>]}}",
}
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
    missing_glyphs: dict[str, list[str]] = field(default_factory=dict)  # character → fonts without it
    aux: dict[str, bytes] = field(default_factory=dict)  # auxiliary files, to seed the next build


def engine_path(engine: str) -> str:
    found = shutil.which(engine)
    if found is None:
        raise ToolMissingError(
            f"{engine} is not installed. On Debian/Ubuntu: sudo apt-get install {ENGINE_PACKAGES.get(engine, '')} "
            f"(everything texcv can use: sudo apt-get install {DEBIAN_PACKAGES}). `texcv render` works without TeX."
        )
    return found


def compile_pdf(
    tex: str,
    engine: str,
    workdir: Path,
    extra_files: dict[str, Path] | None = None,
    timeout: float = TIMEOUT,
    origins: list | None = None,
    *,
    aux: dict[str, bytes] | None = None,
    trailer_id: str | None = None,
    preamble: Path | None = None,
    first_pass: WaitingEngine | None = None,
) -> Compiled:
    """Compile `tex` in `workdir` (which the caller owns and removes). Raises TexError on failure.
    `origins` (from render) names the template line behind each .tex line, for error reports;
    `aux` seeds the work directory with a previous build's auxiliary files; `trailer_id` (hex)
    defaults to a hash of `tex`; `preamble` is a format file holding the precompiled preamble;
    `first_pass`, an engine already started in `workdir` with engine_command(engine, preamble),
    is given the source for the first pass."""
    trailer_id = (trailer_id or hashlib.sha256(tex.encode("utf-8")).hexdigest())[:32].upper()
    source = _with_trailer_id(tex, engine, trailer_id).encode("utf-8")
    for name, extra in (extra_files or {}).items():
        shutil.copyfile(extra, workdir / name)
    for name, data in (aux or {}).items():
        if _is_aux(name):
            (workdir / name).write_bytes(data)
    command = engine_command(engine, preamble)
    env = engine_environment()
    started = time.perf_counter()
    log = ""
    for passes in range(1, MAX_PASSES + 1):
        known_total = _page_total(workdir / f"{TEX_NAME}.aux")
        finished = first_pass.feed(source, timeout) if first_pass is not None and passes == 1 else None
        if passes == 1:  # later passes (and a first one the waiting engine did not take) read a file
            temp = workdir / f"{TEX_NAME}.part"
            temp.write_bytes(source)
            os.replace(temp, workdir / f"{TEX_NAME}.tex")  # replaces the pipe, if any
        if finished is None:
            finished = run_engine([*command, f"{TEX_NAME}.tex"], workdir, env, timeout)
        log = (workdir / f"{TEX_NAME}.log").read_text("utf-8", errors="replace") if (workdir / f"{TEX_NAME}.log").exists() else ""
        if not finished:
            raise TexError(
                f"{engine} did not finish within {timeout:g} s and was stopped, with every process it started "
                f"(a template that loops forever? a document that really needs longer: --timeout SECONDS)",
                log,
            )
        pdf_path = workdir / f"{TEX_NAME}.pdf"
        failed = not pdf_path.exists() or _first_error(log) is not None
        if failed:
            raise TexError(describe_failure(log, tex, engine, origins), log)
        pages = int(m.group(1)) if (m := _PAGES.search(log)) else 1
        # One page that no earlier pass counted as more: no page numbers were printed, so it is final.
        if not _RERUN.search(log) or (pages == 1 and known_total in (None, 1)):
            break
    aux_files = {p.name: p.read_bytes() for p in workdir.iterdir() if _is_aux(p.name) and p.stat().st_size < 1_000_000}
    seconds = time.perf_counter() - started
    return Compiled(pdf_path.read_bytes(), log, engine, passes, pages, seconds, warnings(log), missing_glyphs(log), aux_files)


def engine_command(engine: str, preamble: Path | None = None) -> list[str]:
    """How texcv runs an engine (the source file name follows): `preamble` is a format file."""
    # The first line is never a %&format line: not reading it ahead lets the source be a pipe.
    command = [engine_path(engine), "-no-parse-first-line", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    return command + ([f"-fmt={preamble.with_suffix('')}"] if preamble else [])


# Engines that can read their source from a pipe: xelatex reads ahead to guess the encoding and
# then rewinds, which a pipe cannot do.
_READ_PIPES = ("pdflatex", "lualatex")


class WaitingEngine:
    """A first pass started before its source exists, so that the engine starts up and loads its
    format (a third of a pass) while texcv is still reading and rendering the profile. The source is
    a named pipe in the work directory, which the engine opens once its format is loaded and which
    feed() fills. For xelatex, and where there are no named pipes or pidfds (not Linux), start()
    gives None: the pass is then run the usual way."""

    def __init__(self, command: list[str], workdir: Path, process: subprocess.Popen, pidfd: int):
        self.command, self.workdir, self.process, self._pidfd = command, workdir, process, pidfd

    @classmethod
    def start(cls, engine: str, preamble: Path | None, workdir: Path) -> WaitingEngine | None:
        """The engine's first pass as engine_command(engine, preamble) runs it, started in workdir."""
        if engine not in _READ_PIPES:
            return None
        command = engine_command(engine, preamble)
        pipe = workdir / f"{TEX_NAME}.tex"
        try:
            os.mkfifo(pipe, 0o600)
        except (AttributeError, OSError):
            return None
        try:
            process = _start([*command, pipe.name], workdir, engine_environment())
        except OSError:  # the usual run will say what is wrong
            pipe.unlink()
            return None
        try:
            return cls(command, workdir, process, os.pidfd_open(process.pid))
        except (AttributeError, OSError):  # no pidfds: a kernel before Linux 5.3, or not Linux
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None

    def feed(self, source: bytes, timeout: float) -> bool | None:
        """Give the engine its source and wait for the pass to end, at most `timeout` seconds from
        now: True once it ended, False if it was stopped for taking too long; None if it ended
        without reading the source (the pass is still to be run)."""
        deadline = time.monotonic() + timeout
        pipe = _open_for_writing(self.workdir / f"{TEX_NAME}.tex", self._pidfd, deadline)
        if pipe is None and self.process.poll() is not None:
            return None
        if pipe is not None:
            try:
                _write_all(pipe, source, self._pidfd, deadline)
            finally:
                os.close(pipe)  # the engine reads the end of its file
        if _ended_within(self.process, max(0.0, deadline - time.monotonic())):
            return True
        self.stop()
        return False

    def stop(self) -> None:
        """End the engine (it was not needed, or took too long), with anything it started."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1


def _open_for_writing(pipe: Path, pidfd: int, deadline: float) -> int | None:
    """The pipe's writing end once the engine has opened it for reading; None if the engine ended
    (or the deadline passed) first."""
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    while True:
        try:
            return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
        if time.monotonic() > deadline or poller.poll(2):  # the engine ended
            return None


def _write_all(pipe: int, data: bytes, pidfd: int, deadline: float) -> None:
    """Write data as fast as the engine reads it; stop if the engine ends or the deadline passes."""
    poller = select.poll()
    poller.register(pipe, select.POLLOUT)
    poller.register(pidfd, select.POLLIN)
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        events = dict(poller.poll(max(0.0, remaining) * 1000))
        if remaining <= 0 or pidfd in events:
            return
        try:
            view = view[os.write(pipe, view):]
        except BlockingIOError:
            continue
        except BrokenPipeError:  # the engine stopped reading: its log says why
            return


def _with_trailer_id(tex: str, engine: str, trailer_id: str) -> str:
    """`tex` setting its trailer /ID on a line it already has (error line numbers stay right): after
    the precompiled preamble, which a format run skips, or else at the very start."""
    code = _TRAILER_ID.get(engine, "").format(id=trailer_id)
    if PREAMBLE_END in tex:
        return tex.replace(PREAMBLE_END, PREAMBLE_END + code, 1)
    return code + tex


def engine_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        openout_any="p",  # write only below the work directory
        openin_any="p",  # no reading of dotfiles or files outside the TeX tree and work directory
        max_print_line="100000",  # one log line per message, for parsing
        TEXMFOUTPUT="",
        SOURCE_DATE_EPOCH=source_date_epoch(),  # creation and modification dates
    )
    return env


def source_date_epoch() -> str:
    """The date written into PDFs: the caller's SOURCE_DATE_EPOCH, else 1970-01-01."""
    return os.environ.get("SOURCE_DATE_EPOCH", "0")


def _is_aux(name: str) -> bool:
    """Files TeX writes for its next pass: cv.aux, cv.out, … (never the source, PDF or log)."""
    stem, dot, suffix = name.partition(".")
    return stem == TEX_NAME and dot == "." and suffix.isalnum() and suffix not in ("tex", "pdf", "log", "fmt")


def _page_total(aux: Path) -> int | None:
    try:
        match = _PAGE_TOTAL.search(aux.read_bytes())
    except OSError:
        return None
    return int(match.group(1)) if match else None


def run_engine(command: list[str], cwd: Path, env: dict, timeout: float) -> bool:
    """Run the engine in a process group of its own; False if it was killed for taking too long."""
    process = _start(command, cwd, env)
    if _ended_within(process, timeout):
        return True
    os.killpg(process.pid, signal.SIGKILL)  # the engine and anything it started
    process.wait()
    return False


def _start(command: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=_die_with_parent(),
    )


def _ended_within(process: subprocess.Popen, timeout: float) -> bool:
    """Wait for `process`, waking the moment it ends: Popen.wait(timeout) polls with sleeps of up
    to 50 ms, a cost paid on every TeX pass. Linux (pidfd) only; elsewhere Popen.wait."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        try:
            process.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        if not poller.poll(timeout * 1000):
            return False
    finally:
        os.close(pidfd)
    process.wait()
    return True


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent() -> Callable[[], None] | None:
    """For the child, before exec (Linux): if texcv dies, even by SIGKILL, the kernel kills the engine
    too, so a killed build leaves no TeX run behind (one looping forever, say)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # texcv died before the line above took effect
            os._exit(1)

    return arm


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


def describe_failure(log: str, tex: str, engine: str, origins: list | None = None) -> str:
    error = _first_error(log)
    if error is None:
        return f"{engine} produced no PDF and reported no error"
    line, message = error
    text = f"{engine} failed: {message}"
    if missing := missing_file(log):
        text += f"\n  a TeX package file is missing: {missing} (sudo apt-get install {DEBIAN_PACKAGES})"
    if font := _MISSING_FONT.search(log):
        package = next((p for prefix, p in FONT_PACKAGES.items() if font.group(1).startswith(prefix)), None)
        text += f"\n  the font {font.group(1)!r} is not installed" + (f" (sudo apt-get install {package})" if package else "")
    if line is not None:
        lines = tex.splitlines()
        text += f"\n  at {TEX_NAME}.tex line {line}:"
        for number in range(max(1, line - 1), min(len(lines), line + 1) + 1):
            text += f"\n  {'>' if number == line else ' '} {number:5d} | {lines[number - 1]}"
        written = origins[line - 1] if origins and line <= len(origins) else None
        if written:
            text += f"\n  written by template {written[0]}:{written[1]}"
    return text


def missing_file(log: str) -> str | None:
    """The TeX file (a package) the run stopped for, if any."""
    match = _MISSING_FILE.search(log)
    return match.group(1) if match else None


def warnings(log: str) -> list[str]:
    found = []
    for match in _OVERFULL.finditer(log):
        if float(match.group(2)) > OVERFULL_TOLERANCE_PT:
            found.append(match.group(1))
    return list(dict.fromkeys(found))


def missing_glyphs(log: str) -> dict[str, list[str]]:
    """Characters left out of the PDF because the font had no glyph for them, each with the fonts
    (xelatex and lualatex log them; pdflatex stops with an error instead)."""
    found: dict[str, list[str]] = {}
    for match in _MISSING_CHAR.finditer(log):
        char = chr(int(match.group(1), 16))
        if char == " ":  # icon fonts have no space glyph; a space is never lost text
            continue
        font = re.split(r"/OT:|/AAT:|/ICU:|/GR:|:", match.group(2).strip(), maxsplit=1)[0]
        fonts = found.setdefault(char, [])
        if font not in fonts:
            fonts.append(font)
    return found
