"""Stage 5: LaTeX source → PDF with a real TeX engine, safely, checked, and with as few passes as
needed.

The engine runs in a private work directory with shell escape off, kpathsea's paranoid file
access and a timeout (process.py). Every pass's exit status and terminal output are read, and the
PDF is checked before anyone is told it exists: a PDF header and trailer, and as many pages of
text as the log says were written. A document needs a second pass only when it has more than one
page (moderncv prints "n/N" page numbers from lastpage) and the page total is not already known:
the caller may seed the work directory with the auxiliary files of the previous build. Output is
reproducible: fixed dates (SOURCE_DATE_EPOCH) and a trailer /ID derived from the source.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import packages, process, texlog, textlayer
from .errors import TexError
from .texlog import TEX_NAME

MAX_PASSES = 3
_PAGE_TOTAL = re.compile(rb"\\gdef ?\\@abspage@last\{(\d+)\}")  # the LaTeX kernel's page count in the .aux
# Where a template's design-only preamble ends (preamble.py); a no-op for TeX without a format.
PREAMBLE_END = "\\csname endofdump\\endcsname"
# A stable /ID in the PDF's trailer ({id}: 32 hex digits), set where the source is read first.
_TRAILER_ID = {
    "pdflatex": r"\pdftrailerid{{{id}}}",
    "lualatex": r"\pdfvariable trailerid{{[<{id}> <{id}>]}}",
    "xelatex": r"\special{{pdf:trailerid [<{id}> <{id}>]}}",
}
# xelatex hands its output to xdvipdfmx, whose failures do not always reach xelatex's exit status.
_DRIVER_FATAL = re.compile(r"^xdvipdfmx:fatal: .*$", re.MULTILINE)
# A format file the engine could not load (truncated, or from another TeX version).
_BAD_FORMAT = re.compile(
    r"Fatal format file error|Could not undump|---! .*\.fmt (?:was written by|doesn.t match)", re.IGNORECASE
)


@dataclass
class Compiled:
    pdf: bytes
    log: str
    engine: str
    passes: int
    pages: int
    warnings: list[str] = field(default_factory=list)
    missing_glyphs: dict[str, list[str]] = field(default_factory=dict)  # character → fonts without it
    aux: dict[str, bytes] = field(default_factory=dict)  # auxiliary files, to seed the next build
    text: list[str] = field(default_factory=list)  # the text of each page, as pdftotext reads it


class FormatUnusable(TexError):
    """The engine could not load the precompiled preamble (a damaged or stale format file)."""

    def __init__(self, message: str, log: str, format: Path):
        super().__init__(message, log)
        self.format = format


def engine_path(engine: str) -> str:
    return process.program_path(
        engine,
        f"On Debian/Ubuntu: {packages.install(packages.ENGINES.get(engine, packages.LATEX))} "
        f"(everything texcv can use: {packages.install(*packages.EVERYTHING)}). `texcv render` works without TeX.",
    )


def compile_pdf(
    tex: str,
    engine: str,
    workdir: Path,
    extra_files: dict[str, Path] | None = None,
    timeout: float = process.TIMEOUT,
    origins: list | None = None,
    *,
    aux: dict[str, bytes] | None = None,
    trailer_id: str | None = None,
    preamble: Path | None = None,
    max_passes: int = MAX_PASSES,
) -> Compiled:
    """Compile `tex` in `workdir` (which the caller owns and removes). Raises TexError on failure.
    `origins` (from render) names the template line behind each .tex line, for error reports;
    `aux` seeds the work directory with a previous build's auxiliary files; `trailer_id` (hex)
    defaults to a hash of `tex`; `preamble` is a format file holding the precompiled preamble;
    `max_passes` 1 makes only the first pass's auxiliary files."""
    trailer_id = (trailer_id or hashlib.sha256(tex.encode("utf-8")).hexdigest())[:32].upper()
    (workdir / f"{TEX_NAME}.tex").write_bytes(_with_trailer_id(tex, engine, trailer_id).encode("utf-8"))
    for name, extra in (extra_files or {}).items():
        shutil.copyfile(extra, workdir / name)
    for name, data in (aux or {}).items():
        if _is_aux(name):
            (workdir / name).write_bytes(data)
    command = [*engine_command(engine, preamble), f"{TEX_NAME}.tex"]
    env = engine_environment()
    pdf_path = workdir / f"{TEX_NAME}.pdf"
    for passes in range(1, max_passes + 1):  # noqa: B007 (the count is returned)
        known_total = _page_total(workdir / f"{TEX_NAME}.aux")
        pdf_path.unlink(missing_ok=True)  # a PDF from an earlier pass proves nothing about this one
        finished = process.run(command, workdir, env, timeout)
        log = _read_log(workdir)
        _check_pass(finished, log, tex, engine, origins, timeout, preamble)
        pages = texlog.pages(log) or 0
        # One page that no earlier pass counted as more: no page numbers were printed, so it is final.
        if not texlog.asks_for_rerun(log) or (pages == 1 and known_total in (None, 1)):
            break
    pdf = pdf_path.read_bytes() if pdf_path.exists() else b""
    text = _checked_text(pdf, pdf_path, pages, engine, log, timeout)
    aux_files = {p.name: p.read_bytes() for p in workdir.iterdir() if _is_aux(p.name) and p.stat().st_size < 1_000_000}
    return Compiled(
        pdf, log, engine, passes, pages, texlog.substituted_shapes(log), texlog.missing_glyphs(log), aux_files, text
    )


def _read_log(workdir: Path) -> str:
    try:
        return (workdir / f"{TEX_NAME}.log").read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _check_pass(
    finished: process.Finished,
    log: str,
    tex: str,
    engine: str,
    origins: list | None,
    timeout: float,
    preamble: Path | None,
) -> None:
    """Raise TexError unless the pass ended by itself, with status 0, no error and no driver failure."""
    if finished.status is None:
        raise TexError(
            f"{engine} did not finish within {timeout:g} s and was stopped, with every process it started "
            f"(a template that loops forever? a document that really needs longer: --timeout SECONDS)",
            log,
        )
    if preamble is not None and _BAD_FORMAT.search(finished.output + log):
        raise FormatUnusable(f"{engine} could not load the precompiled preamble {preamble}", log, preamble)
    if not finished.ok or texlog.first_error(log) is not None:
        raise TexError(texlog.describe_failure(log, finished.output, tex, engine, origins), log)
    if driver := _DRIVER_FATAL.search(finished.output):
        raise TexError(f"{engine}'s PDF driver failed: {driver.group(0)}", log)


def _checked_text(pdf: bytes, pdf_path: Path, pages: int, engine: str, log: str, timeout: float) -> list[str]:
    """The text of each page, once the PDF is shown to be whole: a header, a trailer, and as many
    pages of text as the engine said it wrote."""
    if not pages or not pdf:
        raise TexError(f"{engine} reported success but wrote no PDF (its log ends: {_log_end(log)})", log)
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:] or b"startxref" not in pdf[-1024:]:
        raise TexError(f"{engine} wrote an incomplete PDF ({len(pdf)} bytes: no PDF header or trailer)", log)
    try:
        text = textlayer.extract(pdf_path, timeout)
    except textlayer.Unreadable as exc:
        raise TexError(f"{engine} wrote a PDF that cannot be read: {exc}", log) from None
    if len(text) != pages:
        raise TexError(f"{engine} reported {pages} page(s) but the PDF holds {len(text)}", log)
    return text


def _log_end(log: str) -> str:
    lines = [line for line in log.splitlines() if line.strip()]
    return " / ".join(lines[-2:]) or "no log"


def engine_command(engine: str, preamble: Path | None = None) -> list[str]:
    """How texcv runs an engine (the source file name follows): `preamble` is a format file."""
    # -no-parse-first-line: a first line "%&name" in a template must not choose the format.
    command = [
        engine_path(engine),
        "-no-parse-first-line",
        "-no-shell-escape",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
    ]
    return command + ([f"-fmt={preamble.with_suffix('')}"] if preamble else [])


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
