"""The library API: profile file → validated profile → .tex per language → PDF.

The CLI only parses arguments and calls these functions. Outputs are written atomically: a file at
a target path is either the old one or the complete new one, never a half-written or failed one.
The pipeline stages are imported where first used: build() starts the engines it will need before
they load (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from .compile import TIMEOUT, missing_file
from .errors import OutputError, TexError, UsageError, UserError

log = logging.getLogger("texcv")


@dataclass
class Settings:
    """What the command line can change: design overrides, language, template directories, tags."""

    design: dict[str, Any] = field(default_factory=dict)  # keys may be dotted: {"margins.top": "1cm"}
    lang: str | None = None
    template_dirs: tuple[Path, ...] = ()
    only: tuple[str, ...] = ()  # keep only entries with one of these tags (tailor.py)
    skip: tuple[str, ...] = ()  # drop entries with one of these tags
    use_cache: bool = True  # False: compile even when the same PDF is cached (cache.py)
    timeout: float = TIMEOUT  # seconds a TeX pass may take before it is stopped


@dataclass
class Document:
    """One language of one profile, rendered."""

    profile: dict
    lang: str
    tex: str
    engine: Any  # engine.EngineChoice
    stem: str  # output file name without extension: "kan-wu" or "kan-wu.zh"
    extra_files: dict[str, Path]
    origins: list = field(default_factory=list)  # per .tex line: (template file, line) or None
    template_dirs: tuple[Path, ...] = ()  # searched before the packaged templates


@dataclass
class Built:
    pdf: Path
    tex: Path
    engine: str
    passes: int
    pages: int
    seconds: float
    warnings: list[str]
    cached: bool = False  # an identical earlier build's PDF was reused; no engine ran


def load_profile(path: Path | str, settings: Settings | None = None) -> dict:
    """Read and validate a profile; command-line design values override the file's, tags select entries."""
    from . import loader, localize, schema, tailor

    settings = settings or Settings()
    profile = schema.validate(loader.load(path))
    for key, value in settings.design.items():
        schema.override_design(profile["design"], key, value)
    schema.check_section_references(profile)  # ids named on the command line (the file's are checked)
    if settings.lang is not None and settings.lang not in profile["languages"]:
        raise UsageError(f"--lang {settings.lang}: {path} has languages {', '.join(profile['languages'])}{schema.suggest(settings.lang, profile['languages'])}")
    for lang in profile["languages"]:
        localize.locale_words(lang)  # a language without built-in words fails here, before any output
    return tailor.select(profile, settings.only, settings.skip)


def documents(path: Path | str, settings: Settings | None = None) -> list[Document]:
    """Render every requested language of a profile to LaTeX."""
    from . import engine as engines
    from . import localize, render  # render: Jinja2, only for commands that render
    from .templates import user_dirs

    settings = settings or Settings()
    profile = load_profile(path, settings)
    out = []
    for lang, name in outputs(path, profile, settings):
        view = localize.view(profile, lang)
        extra: dict[str, Path] = {}
        if profile["photo"] is not None:
            view["photo_file"] = "photo" + profile["photo"].suffix.lower()
            extra[view["photo_file"]] = profile["photo"]
        try:
            choice = engines.choose(localize.texts(view), profile["design"]["engine"])
        except engines.EngineCannotSet as exc:
            raise UserError(_located(exc, path, lang)) from None
        template_dirs = tuple(d.path for d in user_dirs(profile, settings.template_dirs))
        log.debug("%s: %s (%s); templates: %s", name, choice.engine, choice.reason, ", ".join(map(str, template_dirs)) or "packaged")
        rendered = render.render(view, profile["design"], choice, template_dirs)
        out.append(Document(profile, lang, rendered.tex, choice, name, extra, rendered.origins, template_dirs))
    return out


def _located(exc: Any, path: Path | str, lang: str) -> str:  # exc: engine.EngineCannotSet
    """The engine's complaint followed by the fields that hold the characters it cannot set."""
    from . import glyphs

    doc, found, _ = glyphs.holders(exc.chars, path, lang)
    lines = [str(doc.problem(field, "has " + " ".join(f"{c!r} (U+{ord(c):04X})" for c in chars))) for field, chars in found.items()]
    return "\n".join([str(exc), *lines])


def outputs(path: Path | str, profile: dict, settings: Settings) -> list[tuple[str, str]]:
    """The languages to write, each with its output file name without extension: "kan-wu.zh"."""
    languages = [settings.lang] if settings.lang else profile["languages"]
    stem = Path(path).stem
    return [(lang, f"{stem}.{lang}" if len(profile["languages"]) > 1 else stem) for lang in languages]


ICON_PACKAGE = "fontawesome5.sty"  # Debian has it only in texlive-fonts-extra


def build(path: Path | str, output_dir: Path | str = "build", settings: Settings | None = None) -> list[Built]:
    """Build every language of a profile to PDF under output_dir; returns what was written.
    A PDF whose every input is unchanged since an earlier build is taken from the cache."""
    from . import cache

    settings = settings or Settings()
    output_dir = Path(output_dir)
    last = cache.load_last_build(Path(path), output_dir)
    profile_hash = _file_hash(Path(path))
    # An edited profile (or --no-cache) will be typeset: its engines can start now (_start_early).
    early = _start_early(last["engines"]) if last and (profile_hash != last["profile"] or not settings.use_cache) else {}
    all_early = list(early.values())  # each is used at most once (popped); all are stopped at the end
    engines_used: dict[str, list] = {}
    results = []
    try:
        for doc in documents(path, settings):
            try:
                results.append(_build_document(doc, output_dir, settings, early, engines_used))
            except TexError as exc:
                if missing_file(exc.log) != ICON_PACKAGE or not doc.profile["design"]["icons"]:
                    raise
                # moderncv's icons need fontawesome5; without it the CV is built with nosymbols.
                (plain,) = documents(path, replace(settings, design={**settings.design, "icons": False}, lang=doc.lang))
                built = _build_document(plain, output_dir, settings, early, engines_used)
                built.warnings.insert(0, f"{ICON_PACKAGE} is not installed: built without icons (for icons: sudo apt-get install texlive-fonts-extra)")
                results.append(built)
    finally:
        for started in all_early:
            _finish(started)
    outputs = {str(built.pdf) for built in results}
    engines = {pdf: run for pdf, run in {**last.get("engines", {}), **engines_used}.items() if pdf in outputs}
    record = {"profile": profile_hash, "engines": engines}
    if record != last:
        cache.store_last_build(Path(path), output_dir, record)
    return results


def _file_hash(path: Path) -> str | None:
    from . import cache

    if not path.is_file():  # a pipe can be read only once, by the loader; nothing to compare then
        return None
    try:
        return cache.digest([path.read_bytes()])
    except OSError:
        return None  # the loader reports it


def _start_early(last_engines: dict[str, list]) -> dict[str, Any]:  # PDF path → compile.WaitingEngine
    """Start the engines the last build of this profile ran, one per PDF, before the profile is even
    read: each starts up and loads its format while texcv renders (docs/performance.md). One the
    rendered document turns out not to need is stopped."""
    from .compile import WaitingEngine
    from .errors import ToolMissingError

    started = {}
    for pdf, (engine, fmt) in last_engines.items():
        if fmt is not None and not os.path.exists(fmt):  # a pruned format: the engine would try to make it
            continue
        workdir = Path(tempfile.mkdtemp(prefix="texcv-"))
        try:
            waiting = WaitingEngine.start(engine, fmt and Path(fmt), workdir)
        except ToolMissingError:
            waiting = None
        if waiting is not None:
            started[pdf] = waiting
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return started


def _finish(started: Any) -> None:  # compile.WaitingEngine
    started.stop()
    shutil.rmtree(started.workdir, ignore_errors=True)


@contextlib.contextmanager
def _work_dir(started: Any) -> Iterator[Path]:  # started: compile.WaitingEngine | None
    """The engine's private work directory: the early-started engine's (removed when the build
    ends), or a new one."""
    if started is not None:
        yield started.workdir
        return
    with tempfile.TemporaryDirectory(prefix="texcv-") as work:
        yield Path(work)


def _build_document(doc: Document, output_dir: Path, settings: Settings, early: dict[str, Any], engines_used: dict[str, list]) -> Built:
    from . import cache, glyphs, preamble
    from .compile import compile_pdf, engine_command
    from .render import packaged_templates

    output_dir.mkdir(parents=True, exist_ok=True)
    tex_path, pdf_path, log_path = (output_dir / f"{doc.stem}{ext}" for ext in (".tex", ".pdf", ".log"))
    key = cache.pdf_key(doc.tex, doc.engine.engine, doc.extra_files, (*doc.template_dirs, packaged_templates()))
    compiled = cache.load_pdf(key) if settings.use_cache else None
    cached = compiled is not None
    started = early.pop(str(pdf_path), None)  # stopped and removed, with the others, when the build ends
    if compiled is None:
        fmt = preamble.format_file(doc.tex, doc.engine.engine)
        engines_used[str(pdf_path)] = [doc.engine.engine, fmt and str(fmt)]
        if started is not None and started.command != engine_command(doc.engine.engine, fmt):
            started.stop()  # the design or engine changed since the last build
            started = None
        try:
            with _work_dir(started) as work:
                compiled = compile_pdf(doc.tex, doc.engine.engine, work, doc.extra_files, settings.timeout, doc.origins, aux=cache.load_aux(pdf_path), trailer_id=key, preamble=fmt, first_pass=started)
        except TexError as exc:
            # The failed source and log go next to the target; the last good PDF stays.
            write_atomic(log_path, exc.log.encode("utf-8"))
            write_atomic(output_dir / f"{doc.stem}.failed.tex", doc.tex.encode("utf-8"))
            raise TexError(f"{exc}\n  full log: {log_path}; source: {output_dir / (doc.stem + '.failed.tex')}", exc.log) from None
        cache.store_pdf(key, compiled)
        cache.store_aux(pdf_path, compiled.aux)
    elif started is not None:
        started.stop()
    for target, data in ((tex_path, doc.tex.encode("utf-8")), (pdf_path, compiled.pdf), (log_path, compiled.log.encode("utf-8"))):
        if not _holds(target, data):  # an unchanged output keeps its time stamp
            write_atomic(target, data)
    (output_dir / f"{doc.stem}.failed.tex").unlink(missing_ok=True)
    warnings = compiled.warnings + glyphs.warnings(compiled.missing_glyphs, doc.profile["source"], doc.lang)
    return Built(pdf_path, tex_path, compiled.engine, compiled.passes, compiled.pages, compiled.seconds, warnings, cached)


def _holds(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def write_atomic(target: Path, data: bytes) -> None:
    """Replace target with data in one step. The data goes into a file without a name (O_TMPFILE)
    that is named only once complete, so a build killed at any moment, even by SIGKILL, leaves the
    old target and no temporary file (but in the instant between link and rename). Where the system
    cannot do that, a hidden .part file is written and renamed instead."""
    temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
    try:
        if not _write_unnamed(target.parent, data, temp):
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        os.replace(temp, target)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):  # a write to a descriptor names no file
            raise OutputError(exc.errno, exc.strerror or str(exc), str(target)) from None
        raise


_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000


def _write_unnamed(folder: Path, data: bytes, name: Path) -> bool:
    """Write data to an unnamed file in folder, then link it as `name`; False where unsupported."""
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o666)
    except AttributeError:  # not Linux
        return False
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # a file system without O_TMPFILE
            return False
        raise
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        try:
            os.link(f"/proc/self/fd/{fd}", name)  # the way open(2) documents
            return True
        except OSError:  # refused on some kernels (EXDEV)
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)  # linkat(AT_EMPTY_PATH): root, or anyone from Linux 6.10
            return libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0
