"""The library API: profile file → validated profile → .tex per language → PDF.

The CLI only parses arguments and calls these functions. Outputs are written atomically: a file at
a target path is either the old one or the complete new one, never a half-written or failed one;
a PDF is written only once it is shown to be whole and to hold every word the templates printed.
The pipeline stages are imported where first used, so that commands that do not typeset stay fast.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import packages
from .compile import MAX_PASSES, TIMEOUT
from .errors import TexError, UsageError, UserError, suggest
from .fileio import write_atomic
from .process import cores
from .targets import BUILD_SUFFIXES, safe_to_write
from .texlog import missing_file

if TYPE_CHECKING:
    from .compile import Compiled
    from .engine import EngineChoice
    from .loader import Source

log = logging.getLogger("texcv")


@dataclass
class Settings:
    """What the command line can change: design overrides, language, template directories, tags."""

    design: dict[str, Any] = field(default_factory=dict)  # keys may be dotted: {"margins.top": "1cm"}
    values: dict[str, Any] = field(default_factory=dict)  # other profile values: {"contact.phone": "+1 555"}
    lang: str | None = None
    template_dirs: tuple[Path, ...] = ()
    allowed_dirs: tuple[Path, ...] = ()  # a profile may name files here too, not only in its own folder tree
    only: tuple[str, ...] = ()  # keep only entries with one of these tags (tailor.py)
    skip: tuple[str, ...] = ()  # drop entries with one of these tags
    use_cache: bool = True  # False: compile even when the same PDF is cached (cache.py)
    timeout: float = TIMEOUT  # seconds a TeX pass may take before it is stopped
    allow_missing_text: bool = False  # True: words missing from the PDF's text are warnings, not errors


@dataclass
class Document:
    """One language of one profile, rendered."""

    profile: dict
    source: Source  # the profile file as loaded, to point messages at its lines
    lang: str
    tex: str
    choice: EngineChoice  # the engine and why
    stem: str  # output file name without extension: "kan-wu" or "kan-wu.zh"
    extra_files: dict[str, Path]
    origins: list[tuple[str, int] | None]  # per .tex line: the template file and line that wrote it
    template_dirs: tuple[Path, ...]  # searched before the packaged templates
    printed: list[str]  # the text of every value the templates printed


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
    words_checked: int = 0  # words of the profile looked for in the PDF's text (0 when cached)
    fields_with_lost_text: int = 0  # only with Settings.allow_missing_text: warnings name them


def load_profile(path: Path | str, settings: Settings | None = None) -> dict:
    """Read and validate a profile; command-line design values override the file's, tags select entries."""
    return _load(path, settings or Settings())[1]


def _load(path: Path | str, settings: Settings) -> tuple[Source, dict]:
    """The profile file as loaded (read once: it may be a pipe) and the validated profile."""
    from . import loader, schema, tailor
    from .overrides import override_design
    from .words import locale_words

    source = loader.load(path)
    for key, value in settings.values.items():
        try:
            source.override(tuple(key.split(".")), value)
        except ValueError as exc:
            raise UsageError(f"--set {key}: {exc}") from None
    profile = schema.validate(source, settings.allowed_dirs, settings.template_dirs)
    for key, value in settings.design.items():
        override_design(profile["design"], key, value)
        source.command_line.add(("design", key.split(".")[0]))
    if settings.design:
        schema.check_design(profile, source, settings.template_dirs, settings.allowed_dirs)
    schema.check_section_references(profile)  # ids named on the command line (the file's are checked)
    if settings.lang is not None and settings.lang not in profile["languages"]:
        raise UsageError(
            f"--lang {settings.lang}: {path} has languages {', '.join(profile['languages'])}"
            f"{suggest(settings.lang, profile['languages'])}"
        )
    for lang in profile["languages"]:
        locale_words(lang)  # a language without built-in words fails here, before any output
    return source, tailor.select(profile, settings.only, settings.skip)


def documents(path: Path | str, settings: Settings | None = None) -> list[Document]:
    """Render every requested language of a profile to LaTeX."""
    from . import images, localize, render, scripts  # render: Jinja2, only for commands that render
    from .templates import user_dirs

    settings = settings or Settings()
    source, profile = _load(path, settings)
    out = []
    for lang, name in outputs(path, profile, settings):
        view = localize.view(profile, lang)
        extra: dict[str, Path] = {}
        if profile["photo"] is not None:
            view["photo_file"] = "photo." + images.extension(profile["photo"])  # its type, whatever its name
            extra[view["photo_file"]] = profile["photo"]
        choice = _choose_engine(view, profile, source, lang)
        search_path = tuple(user_dirs(profile, settings.template_dirs, settings.allowed_dirs))
        template_dirs = tuple(d.path for d in search_path)
        log.debug(
            "%s: %s (%s); templates: %s",
            name,
            choice.engine,
            choice.reason,
            ", ".join(map(str, template_dirs)) or "packaged",
        )
        rendered = render.render(view, profile["design"], choice, search_path)
        if choice.fallback is not None:  # the text other fonts set, marked for the templates' macros
            rendered = replace(rendered, tex=scripts.wrap(rendered.tex, choice.fallback))
        out.append(
            Document(
                profile,
                source,
                lang,
                rendered.tex,
                choice,
                name,
                extra,
                rendered.origins,
                template_dirs,
                rendered.printed,
            )
        )
    return out


def check(path: Path | str, settings: Settings | None = None) -> dict:
    """What `validate` checks: the profile, and a font for every character of each language (before
    TeX runs, as `build` does); returns the profile."""
    from . import localize

    settings = settings or Settings()
    source, profile = _load(path, settings)
    for lang, _ in outputs(path, profile, settings):
        _choose_engine(localize.view(profile, lang), profile, source, lang)
    return profile


def _choose_engine(view: dict, profile: dict, source: Source, lang: str) -> EngineChoice:
    """The engine and fonts for one language; characters no engine or font can set are an error
    naming the fields that hold them."""
    from . import engine as engines
    from . import localize

    try:
        return engines.choose(
            localize.texts(view),
            profile["design"]["engine"],
            profile["design"].get("font", "sans"),  # a family may declare no font option
            lang,
            localize.written(view),
        )
    except engines.EngineCannotSet as exc:
        raise UserError(_located(exc, source, lang)) from None


def _located(exc: Any, source: Source, lang: str) -> str:  # exc: engine.EngineCannotSet
    """The engine's complaint followed by the fields that hold the characters it cannot set."""
    from . import fields

    found, _ = fields.holders(exc.chars, source, lang)
    lines = [str(source.problem(field, exc.describe(chars))) for field, chars in found.items()]
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
    settings = settings or Settings()
    output_dir = Path(output_dir)
    results = []
    for doc in safe_to_write(documents(path, settings), output_dir):  # no output replaces an input
        try:
            results.append(_build_document(doc, output_dir, settings))
        except TexError as exc:
            if missing_file(exc.log) != ICON_PACKAGE or not doc.profile["design"].get("icons"):
                raise
            # moderncv's icons need fontawesome5; without it the CV is built with nosymbols.
            (plain,) = documents(path, replace(settings, design={**settings.design, "icons": False}, lang=doc.lang))
            built = _build_document(plain, output_dir, settings)
            built.warnings.insert(
                0,
                f"{ICON_PACKAGE} is not installed: built without icons (for icons: {packages.install(packages.ICONS)})",
            )
            results.append(built)
    return results


def _build_document(doc: Document, output_dir: Path, settings: Settings) -> Built:
    from . import cache
    from .templates import packaged_templates

    output_dir.mkdir(parents=True, exist_ok=True)
    tex_path, pdf_path, log_path, failed_path = (output_dir / f"{doc.stem}{ext}" for ext in BUILD_SUFFIXES)
    key = cache.pdf_key(doc.tex, doc.choice.engine, doc.extra_files, (*doc.template_dirs, packaged_templates()))
    started = time.perf_counter()
    compiled = cache.load_pdf(key) if settings.use_cache else None
    cached = compiled is not None
    notes: list[str] = []
    checked = (0, 0)
    try:
        if compiled is None:
            compiled = _compile(doc, settings, key, cache.load_aux(pdf_path) if settings.use_cache else {}, notes)
            checked = _check_text_layer(doc, compiled, settings, notes)
    except TexError as exc:
        # The failed source and log go next to the target; the last good PDF stays.
        write_atomic(log_path, exc.log.encode("utf-8"))
        write_atomic(failed_path, doc.tex.encode("utf-8"))
        raise TexError(f"{exc}\n  full log: {log_path}; source: {failed_path}", exc.log) from None
    if cached:
        _missing_glyphs(doc, compiled, notes)  # nothing is lost in a cached PDF; format characters are noted again
    elif not checked[1]:  # a PDF that lost text is never served from the cache
        cache.store_pdf(key, compiled)
        cache.store_aux(pdf_path, compiled.aux)
    for target, data in (
        (tex_path, doc.tex.encode("utf-8")),
        (pdf_path, compiled.pdf),
        (log_path, compiled.log.encode("utf-8")),
    ):
        if not _file_holds(target, data):  # an unchanged output keeps its time stamp
            write_atomic(target, data)
    failed_path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return Built(
        pdf_path,
        tex_path,
        compiled.engine,
        compiled.passes,
        compiled.pages,
        seconds,
        notes + compiled.warnings,
        cached,
        *checked,
    )


def _compile(doc: Document, settings: Settings, key: str, aux: dict[str, bytes], notes: list[str]) -> Compiled:
    """Compile with the precompiled preamble and the last build's auxiliary files. A run that fails
    with either is tried once more without it: a damaged cache never fails a build."""
    from . import preamble
    from .compile import FormatUnusable

    with preamble.format_file(doc.tex, doc.choice.engine) as precompiled:
        if precompiled.dumping and not aux and cores() > 1:
            # A first build: while the format is dumped on one core, a pass without it on another
            # makes the .aux (the page total), so the passes with the format are all the document needs.
            aux = _compile_in_new_dir(doc, settings, key, {}, None, max_passes=1).aux
            log.debug("%s: a pass without the precompiled preamble made the .aux while it was dumped", doc.stem)
        fmt = precompiled.path()
        try:
            return _compile_in_new_dir(doc, settings, key, aux, fmt)
        except FormatUnusable as exc:
            preamble.discard(exc.format)
            notes.append(f"{exc}: removed it from the cache and built without it")
            return _compile_in_new_dir(doc, settings, key, aux, None)
        except TexError:
            if not aux:
                raise
            return _compile_in_new_dir(doc, settings, key, {}, fmt)  # the .aux given may be what failed


def _compile_in_new_dir(
    doc: Document, settings: Settings, key: str, aux: dict[str, bytes], fmt: Path | None, max_passes: int = MAX_PASSES
) -> Compiled:
    from .compile import compile_pdf

    with tempfile.TemporaryDirectory(prefix="texcv-") as work:
        return compile_pdf(
            doc.tex,
            doc.choice.engine,
            Path(work),
            doc.extra_files,
            settings.timeout,
            doc.origins,
            aux=aux,
            trailer_id=key,
            max_passes=max_passes,
            preamble=fmt,
        )


def _check_text_layer(doc: Document, compiled: Compiled, settings: Settings, notes: list[str]) -> tuple[int, int]:
    """Every word of every profile field the templates printed must be in the PDF's text, and every
    character of it in the fonts; returns the words looked for and the fields that lost text. What
    is lost is an error naming the field (a warning with settings.allow_missing_text)."""
    from . import fields, textlayer

    result = textlayer.check(doc.printed, compiled.text)
    # Printed texts in no text field (design values, texcv's own words) are the templates' business.
    found, elsewhere = (
        fields.holders(result.missing, doc.source, doc.lang, _joined, fields.NOT_TEXT) if result.missing else ({}, [])
    )
    problems = [str(doc.source.problem(path, _lost_words(texts, result.missing))) for path, texts in found.items()]
    problems += _lost_from_bib(doc.profile, elsewhere, result.missing)
    invisible: list[str] = []
    problems += _missing_glyphs(doc, compiled, invisible)
    if problems and not settings.allow_missing_text:
        raise TexError(
            "\n".join(
                [
                    *problems,
                    "the PDF does not hold every word of the profile (cut off at a page foot? a font without"
                    " the characters?); --allow-missing-text builds it anyway",
                ]
            ),
            compiled.log,
        )
    notes += problems + invisible
    return result.words, len(problems)


def _lost_words(texts: list[str], missing: dict[str, list[str]]) -> str:
    lost = list(dict.fromkeys(word for text in texts for word in missing[text]))
    shown = ", ".join(repr(word) for word in lost[:8]) + (f" and {len(lost) - 8} more" if len(lost) > 8 else "")
    return f"{len(lost)} word(s) missing from the PDF's text: {shown}"


def _lost_from_bib(profile: dict, texts: list[str], missing: dict[str, list[str]]) -> list[str]:
    """Messages for `texts` (in no field of the profile file) printed from .bib entries, each at
    its entry in the .bib file."""
    from .localize import texts as printable

    out = []
    for section in profile["sections"]:
        for where, entry in (section["bib"] or {}).get("located", []):
            values = [_joined(value) for value in printable(entry)]
            lost = [text for text in texts if any(_joined(text) in value for value in values)]
            if lost:
                out.append(str(replace(where, message=_lost_words(lost, missing))))
    return out


def _missing_glyphs(doc: Document, compiled: Compiled, notes: list[str]) -> list[str]:
    """Characters of profile fields that the fonts lack, as messages; those that lose nothing
    visible (format characters, texcv's own words) go to `notes` as warnings."""
    from . import glyphs

    lost, minor = glyphs.problems(compiled.missing_glyphs, doc.source, doc.lang)
    notes.extend(minor)
    return lost


def _joined(text: str) -> str:
    from .textlayer import normalise

    return "".join(normalise(text).split())


def _file_holds(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False
