"""texcv's on-disk cache, under $XDG_CACHE_HOME/texcv (default ~/.cache/texcv).

It holds compiled templates, finished PDFs keyed by the hash of everything that makes them, the
auxiliary files of each output's last build (so a multi-page CV knows its page total on the first
pass) and precompiled preambles (preamble.py). Any of it can be deleted at any time. The cache is
an optimisation only: when its directory cannot be written, texcv works as if it were empty, and
an entry that is damaged or of the wrong shape is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .fileio import write_atomic

if TYPE_CHECKING:
    from .compile import Compiled

# Bumped whenever the way texcv compiles changes what a PDF holds for the same inputs.
PDF_FORMAT = "texcv-pdf-1"
# Entries kept per kind; past that the least recently used go (a PDF entry is ~50–250 kB).
MAX_ENTRIES = 1000
# TeX's own format file, per engine: (kpathsea engine name, format file).
_TEX_FORMATS = {
    "pdflatex": ("pdftex", "pdflatex.fmt"),
    "xelatex": ("xetex", "xelatex.fmt"),
    "lualatex": ("luahbtex", "lualatex.fmt"),
}


def directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "texcv"


def write(target: Path, data: bytes) -> None:
    """Write a cache file in one step (as outputs are), or not at all: a full disk or read-only home
    is not an error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError:
        pass


def read(target: Path) -> bytes | None:
    try:
        data = target.read_bytes()
    except OSError:
        return None
    mark_used(target)
    return data


def mark_used(target: Path) -> bool:
    """Whether `target` exists; if so it is marked recently used for prune()."""
    try:
        os.utime(target)
        return True
    except OSError:
        return False


def prune(folder: Path, keep: int = MAX_ENTRIES) -> None:
    """Remove the least recently used files of `folder` beyond `keep`."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    except OSError:
        return
    for path in entries[: max(0, len(entries) - keep)]:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            return


def digest(parts: Iterable[bytes | str]) -> str:
    """sha256 over length-prefixed parts, so no two different part lists hash alike."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


_SEARCH_VARIABLES = (
    "TEXINPUTS",
    "TEXMFHOME",
    "TEXMFCNF",
    "TEXMFVAR",
    "TEXMFCONFIG",
    "OSFONTDIR",
    "FONTCONFIG_FILE",
    "FONTCONFIG_PATH",
)


def tex_identity(engine: str) -> str:
    """What identifies the TeX installation an engine runs in: its version line, and the size and
    time of its format file and kpathsea's file databases (rewritten whenever a TeX package is
    installed or updated). The version is asked once per engine binary and remembered."""
    from .compile import engine_path

    program = Path(engine_path(engine)).resolve()
    stat = program.stat()
    stamp = [str(program), stat.st_mtime_ns, stat.st_size]
    record_path = directory() / f"tex-{engine}.json"
    try:
        record = json.loads(read(record_path) or b"{}")
    except ValueError:
        record = {}
    if not _has_shape(record, {"binary": list, "version": str, "watched": list}) or record["binary"] != stamp:
        kpse_engine, fmt = _TEX_FORMATS.get(engine, ("", ""))
        version, found, databases = _outputs(  # at the same time: a first build waits for them
            [str(program), "--version"],
            ["kpsewhich", f"-engine={kpse_engine}", fmt] if fmt else [],
            ["kpsewhich", "-all", "ls-R"],
        )
        files = [*found[:1], *(os.path.realpath(line) for line in databases)]
        record = {"binary": stamp, "version": (version or [""])[0], "watched": files}
        write(record_path, json.dumps(record).encode("utf-8"))
    # Variables that change which files and fonts TeX finds (a hidden fontawesome5.sty, another
    # fontconfig) change the output as much as an installed package does.
    lines = [record["version"], *(f"{var}={os.environ.get(var, '')}" for var in _SEARCH_VARIABLES)]
    watched = {name: name for name in record["watched"]}
    watched["~/texmf"] = os.path.expanduser("~/texmf")  # the default TEXMFHOME, named the same in any home
    for label, name in watched.items():
        try:
            st = os.stat(name)
            lines.append(f"{label} {st.st_mtime_ns} {st.st_size}")
        except OSError:
            lines.append(f"{label} missing")
    return "\n".join(lines)


def _outputs(*commands: list[str]) -> list[list[str]]:
    """The lines each command prints (none for an empty command or one that cannot run), the
    commands run at the same time."""
    return [_lines_of(running) for running in [_start(command) for command in commands]]


def _start(command: list[str]) -> subprocess.Popen[str] | None:
    try:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
    except (OSError, IndexError):  # IndexError: an empty command
        return None


def _lines_of(running: subprocess.Popen[str] | None) -> list[str]:
    if running is None:
        return []
    try:
        return running.communicate(timeout=30)[0].splitlines()
    except subprocess.TimeoutExpired:
        running.kill()
        running.communicate()
        return []


# A template directory holds a few template families: past these it is the wrong folder (`/usr`).
MAX_TEMPLATE_FILES = 2000
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
_BLOCK = 1024 * 1024


def files_digest(folders: Iterable[Path]) -> str:
    """Names and contents of the files under `folders` (template directories, with their assets),
    read in blocks. A link leading out of its folder is not read: its target's path, size and time
    stand for it (a profile's template directory cannot load it anyway; render.py). Past
    MAX_TEMPLATE_FILES files or MAX_TEMPLATE_BYTES bytes a folder is refused (TemplateError)."""
    return digest(part for folder in folders for part in _folder_parts(Path(folder)))


def _folder_parts(folder: Path) -> Iterator[bytes]:
    yield b"folder " + os.fsencode(folder)
    root, files, budget = os.path.realpath(folder), 0, MAX_TEMPLATE_BYTES
    for parent, subfolders, names in os.walk(folder):  # links to folders are listed, not entered
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            files += 1
            if files > MAX_TEMPLATE_FILES:
                _too_much(folder, f"more than {MAX_TEMPLATE_FILES} files")
            path = os.path.join(parent, name)
            yield b"file " + os.fsencode(os.path.relpath(path, folder))
            target = os.path.realpath(path)
            if os.path.commonpath([root, target]) != root:
                yield _stamp(target)
                continue
            for block in _blocks(path):
                budget -= len(block)
                if budget < 0:
                    _too_much(folder, f"more than {MAX_TEMPLATE_BYTES // 2**20} MB of files")
                yield block
            yield b""  # the end of a file: blocks are never empty


def _stamp(target: str) -> bytes:
    try:
        st = os.stat(target)
    except OSError:
        return b"-> missing " + os.fsencode(target)
    return f"-> {st.st_mtime_ns} {st.st_size} ".encode() + os.fsencode(target)


def _blocks(path: str) -> Iterator[bytes]:
    """A regular file's contents, block by block. Anything else (a pipe, a device, an unreadable file)
    yields what it is, unread: opening a pipe would block, /proc/self/mem cannot be read."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            yield f"not a file {stat.S_IFMT(mode)}".encode()
            return
        with open(path, "rb") as f:
            while block := f.read(_BLOCK):
                yield block
    except OSError as exc:
        yield f"unreadable {exc.errno}".encode()


def _too_much(folder: Path, what: str) -> NoReturn:
    from .errors import TemplateError

    raise TemplateError(
        f"template directory {folder}: {what}; a template directory holds template families (is it the right folder?)"
    )


# --- finished PDFs ------------------------------------------------------------------------------


def pdf_key(tex: str, engine: str, extra_files: dict[str, Path], template_dirs: Iterable[Path]) -> str:
    """Everything that decides a PDF's bytes."""
    from .compile import source_date_epoch

    parts: list[bytes | str] = [PDF_FORMAT, engine, tex_identity(engine), source_date_epoch(), tex]
    for name, path in sorted(extra_files.items()):
        parts += [name, path.read_bytes()]
    parts.append(files_digest(template_dirs))
    return digest(parts)


_PDF_META = {
    "log": str,
    "engine": str,
    "passes": int,
    "pages": int,
    "warnings": list,
    "missing_glyphs": dict,
    "sha256": str,
}


def load_pdf(key: str) -> Compiled | None:
    """The cached build for `key`, if its entry is whole: a PDF whose hash its record holds."""
    from .compile import Compiled

    folder = directory() / "pdf"
    meta_bytes, pdf = read(folder / f"{key}.json"), read(folder / f"{key}.pdf")
    if meta_bytes is None or pdf is None:
        return None
    try:
        meta = json.loads(meta_bytes)
    except ValueError:
        meta = None
    if not _has_shape(meta, _PDF_META) or hashlib.sha256(pdf).hexdigest() != meta.pop("sha256"):
        for damaged in (folder / f"{key}.json", folder / f"{key}.pdf"):
            damaged.unlink(missing_ok=True)
        return None
    return Compiled(pdf=pdf, **meta)


def store_pdf(key: str, compiled: Compiled) -> None:
    folder = directory() / "pdf"
    meta = {name: getattr(compiled, name) for name in _PDF_META if name != "sha256"}
    meta["sha256"] = hashlib.sha256(compiled.pdf).hexdigest()
    write(folder / f"{key}.pdf", compiled.pdf)
    write(folder / f"{key}.json", json.dumps(meta).encode("utf-8"))  # last: an entry is complete once it exists
    prune(folder, 2 * MAX_ENTRIES)


def _has_shape(value: object, shape: dict[str, type]) -> bool:
    """Whether `value` is a JSON object with exactly these keys and value types."""
    return (
        isinstance(value, dict)
        and value.keys() == shape.keys()
        and all(isinstance(value[k], t) for k, t in shape.items())
    )


# --- auxiliary files of an output's previous build -----------------------------------------------


def _aux_path(output: Path) -> Path:
    return directory() / "aux" / f"{digest([str(output.resolve())])[:32]}.json"


def load_aux(output: Path) -> dict[str, bytes]:
    try:
        stored = json.loads(read(_aux_path(output)) or b"{}")
        return {
            name: text.encode("latin-1")
            for name, text in stored.items()
            if isinstance(name, str) and isinstance(text, str)
        }
    except (ValueError, AttributeError, UnicodeEncodeError):
        return {}


def store_aux(output: Path, files: dict[str, bytes]) -> None:
    # latin-1 maps every byte to one character: any file survives the JSON round trip.
    write(_aux_path(output), json.dumps({name: data.decode("latin-1") for name, data in files.items()}).encode("utf-8"))
    prune(_aux_path(output).parent)
