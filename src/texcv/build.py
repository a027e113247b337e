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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import packages
from .errors import TexError, UsageError, UserError, suggest
from .fileio import write_atomic
from .process import TIMEOUT, cores
from .targets import BUILD_SUFFIXES, safe_to_write
from .texlog import missing_file

if TYPE_CHECKING:
    from .compile import Compiled
    from .engine import EngineChoice
    from .fit import Fit
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
    formats: tuple[str, ...] = ()  # what to write (choices.FORMATS); empty: the profile's design.formats
    png: bool = False  # page images too, whatever the formats (--png)
    png_dpi: int = 100


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
    unprinted: frozenset[str] = frozenset()  # profile keys whose fields this document never prints
    letter: bool = False  # a cover letter (letters.py), not the CV


@dataclass
class Built:
    pdf: Path | None  # None: no PDF was asked for (formats without pdf or png)
    tex: Path | None
    engine: str
    passes: int
    pages: int
    seconds: float
    warnings: list[str]
    cached: bool = False  # an identical earlier build's PDF was reused; no engine ran
    words_checked: int = 0  # words of the profile looked for in the PDF's text (0 when cached)
    fields_with_lost_text: int = 0  # only with Settings.allow_missing_text: warnings name them
    fit: str = ""  # with design.pages: the settings chosen and what choosing them cost (fit.py)
    files: list[Path] = field(default_factory=list)  # what the other formats wrote: .html, .md, page PNGs, …


def load_profile(path: Path | str, settings: Settings | None = None) -> dict:
    """Read and validate a profile; command-line design values override the file's, tags select entries."""
    return _load(path, settings or Settings())[1]


def _load(path: Path | str, settings: Settings) -> tuple[Source, dict]:
    """The profile file as loaded (read once: it may be a pipe) and the validated profile."""
    from . import letters, loader, schema, tailor
    from .overrides import override_design
    from .words import locale_words

    source = loader.load(path)
    letter_file = letters.is_letter_file(source)
    if letter_file:  # the profile it names, with the file's letter in it
        source = letters.with_profile(source, settings.allowed_dirs)
    for key, value in settings.values.items():
        try:
            source.override(tuple(key.split(".")), value)
        except ValueError as exc:
            raise UsageError(f"--set {key}: {exc}") from None
    profile = schema.validate(source, settings.allowed_dirs, settings.template_dirs)
    profile["letter_file"] = Path(path) if letter_file else None  # then only its letter is built, not the CV
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
        locale_words(lang, Path(source.file).parent)  # a language without words fails here, before any output
    return source, tailor.select(profile, settings.only, settings.skip)


@dataclass(frozen=True)
class _View:
    """One document to write (a language of the CV, or of a letter), ready to render: what the
    templates see, and the files they name."""

    name: str  # output file name without extension
    lang: str
    view: dict
    extra: dict[str, Path]
    choice: EngineChoice


def _views(path: Path | str, source: Source, profile: dict, settings: Settings) -> list[_View]:
    """Each language of the CV, then of each letter."""
    from . import letters, localize

    cvs = [(localize.view(profile, lang), name) for lang, name in outputs(path, profile, settings)]
    letter_views = [(letters.view(profile, letter, lang), name) for letter, lang, name in _letters(profile, settings)]
    return [_view(source, profile, view, name) for view, name in cvs + letter_views]


def _letters(profile: dict, settings: Settings) -> list[tuple[dict, str, str]]:
    """Each letter to write, in each language, with its output file name without extension."""
    from . import letters

    languages = [settings.lang] if settings.lang else profile["languages"]
    return letters.outputs(profile, languages, Path(profile["source"]).stem)


def _view(source: Source, profile: dict, view: dict, name: str) -> _View:
    from . import images

    extra: dict[str, Path] = {}
    if profile["photo"] is not None:
        view["photo_file"] = "photo." + images.extension(profile["photo"])  # its type, whatever its name
        extra[view["photo_file"]] = profile["photo"]
    return _View(name, view["lang"], view, extra, _choose_engine(view, profile, source, view["lang"]))


def documents(path: Path | str, settings: Settings | None = None) -> list[Document]:
    """Render every requested language of a profile, and of each of its letters, to LaTeX."""
    settings = settings or Settings()
    source, profile = _load(path, settings)
    return [_document(source, profile, settings, view) for view in _views(path, source, profile, settings)]


def _document(source: Source, profile: dict, settings: Settings, view: _View) -> Document:
    """One view (a CV's, or a letter's when it has `letter`) rendered to LaTeX."""
    from . import letters, render, scripts  # render: Jinja2, only for commands that render
    from .templates import user_dirs

    name, choice = view.name, view.choice
    search_path = tuple(user_dirs(profile, settings.template_dirs, settings.allowed_dirs))
    template_dirs = tuple(d.path for d in search_path)
    log.debug(
        "%s: %s (%s); templates: %s",
        name,
        choice.engine,
        choice.reason,
        ", ".join(map(str, template_dirs)) or "packaged",
    )
    letter = "letter" in view.view
    main = render.LETTER_TEMPLATE if letter else render.MAIN_TEMPLATE
    rendered = render.render(view.view, profile["design"], choice, search_path, main)
    if choice.fallback is not None:  # the text other fonts set, marked for the templates' macros
        rendered = replace(rendered, tex=scripts.wrap(rendered.tex, choice.fallback))
    return Document(
        profile,
        source,
        view.lang,
        rendered.tex,
        choice,
        name,
        view.extra,
        rendered.origins,
        template_dirs,
        rendered.printed,
        letters.UNPRINTED if letter else frozenset({"letters"}),
        letter,
    )


def template_contexts(path: Path | str, settings: Settings | None = None) -> list[tuple[str, dict]]:
    """What the templates see for each document of a profile: (output name, context)."""
    from . import render

    settings = settings or Settings()
    source, profile = _load(path, settings)
    return [
        (view.name, render.context(view.view, profile["design"], view.choice))
        for view in _views(path, source, profile, settings)
    ]


def check(path: Path | str, settings: Settings | None = None) -> dict:
    """What `validate` checks: the profile, and a font for every character of each language (before
    TeX runs, as `build` does), its letters' too; returns the profile."""
    settings = settings or Settings()
    source, profile = _load(path, settings)
    _views(path, source, profile, settings)  # each chooses its engine and fonts
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
    if profile.get("letter_file"):  # a letter file's build writes its letter only
        return []
    languages = [settings.lang] if settings.lang else profile["languages"]
    stem = Path(path).stem
    return [(lang, f"{stem}.{lang}" if len(profile["languages"]) > 1 else stem) for lang in languages]


def stems(path: Path | str, profile: dict, settings: Settings) -> list[str]:
    """The output file names without extension of every document build() writes: CVs, then letters."""
    return [name for _, name in outputs(path, profile, settings)] + [name for *_, name in _letters(profile, settings)]


ICON_PACKAGE = "fontawesome5.sty"  # Debian has it only in texlive-fonts-extra


# Writes a document's text formats (html, md, txt, json) of those chosen, adds to the notes what a format
# could not hold, returns the files written. Given by the caller (batch.py: export.write_formats), as
# export imports this module.
WriteFormats = Callable[["Document", "set[str]", Path, list[str]], list[Path]]


def chosen_formats(profile: dict, settings: Settings) -> set[str]:
    """What to write: --formats, else the profile's design.formats; --png adds the page images."""
    return {*(settings.formats or profile["design"]["formats"]), *(("png",) if settings.png else ())}


def build(
    path: Path | str,
    output_dir: Path | str = "build",
    settings: Settings | None = None,
    write_formats: WriteFormats | None = None,
) -> list[Built]:
    """Build every language of a profile under output_dir in the chosen formats (chosen_formats):
    the PDF (with its .tex and .log) when pdf or png is chosen, else the .tex alone if tex is; the
    others through `write_formats`. Returns what was written. A PDF whose every input is unchanged
    since an earlier build is taken from the cache."""
    from . import preview

    settings = settings or Settings()
    output_dir = Path(output_dir)
    docs = documents(path, settings)
    formats = chosen_formats(docs[0].profile, settings)
    results = []
    for doc in safe_to_write(docs, output_dir, formats):  # no output replaces an input
        if formats & {"pdf", "png"}:
            built = _typeset(path, doc, output_dir, settings)
        else:
            built = _source_only(doc, output_dir, "tex" in formats)
        if "png" in formats and built.pdf is not None:
            built.files += preview.pngs(built.pdf, settings.png_dpi)
        if write_formats is not None and not doc.letter:  # the other formats are the CV's
            built.files += write_formats(doc, formats, output_dir, built.warnings)
        results.append(built)
    return results


def _source_only(doc: Document, output_dir: Path, write_tex: bool) -> Built:
    """No PDF asked for: the .tex if it is, and nothing typeset."""
    tex_path = output_dir / f"{doc.stem}.tex"
    if write_tex:
        output_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(tex_path, doc.tex.encode("utf-8"))
    return Built(None, tex_path if write_tex else None, doc.choice.engine, 0, 0, 0.0, [])


def _typeset(path: Path | str, doc: Document, output_dir: Path, settings: Settings) -> Built:
    """The document's PDF, its .tex and .log."""
    try:
        return _build_document(doc, output_dir, settings)
    except TexError as exc:
        if missing_file(exc.log) != ICON_PACKAGE or not doc.profile["design"].get("icons"):
            raise
        # moderncv's icons need fontawesome5; without it the CV is built with nosymbols.
        without_icons = replace(settings, design={**settings.design, "icons": False}, lang=doc.lang)
        plain = next(other for other in documents(path, without_icons) if other.stem == doc.stem)
        built = _build_document(plain, output_dir, settings)
        built.warnings.insert(
            0,
            f"{ICON_PACKAGE} is not installed: built without icons (for icons: {packages.install(packages.ICONS)})",
        )
        return built


def _build_document(doc: Document, output_dir: Path, settings: Settings) -> Built:
    from . import cache

    output_dir.mkdir(parents=True, exist_ok=True)
    tex_path, pdf_path, log_path, failed_path = (output_dir / f"{doc.stem}{ext}" for ext in BUILD_SUFFIXES)
    started = time.perf_counter()
    notes: list[str] = []
    checked = (0, 0)
    fitted = None
    aux: dict[str, bytes] = {}  # auxiliary files to start from: the fit's trial, or else the last build's
    try:
        if doc.profile["design"]["pages"] is not None:
            doc, fitted, aux = _fitted(doc, settings)
        key = _pdf_key(doc)
        compiled = cache.load_pdf(key) if settings.use_cache else None
        cached = compiled is not None
        if compiled is None:
            aux = aux or (cache.load_aux(pdf_path) if settings.use_cache else {})
            compiled = _compile(doc, settings, key, aux, notes)
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
        notes + compiled.warnings + _layout_warnings(doc, compiled.log),
        cached,
        *checked,
        fitted.describe() if fitted else "",
    )


def _pdf_key(doc: Document) -> str:
    from . import cache
    from .templates import packaged_templates

    return cache.pdf_key(doc.tex, doc.choice.engine, doc.extra_files, (*doc.template_dirs, packaged_templates()))


def _fitted(doc: Document, settings: Settings) -> tuple[Document, Fit, dict[str, bytes]]:
    """The document in the least intrusive design that sets it on design.pages pages (fit.py), and
    the auxiliary files of its trial (they hold the page total: the build then needs one pass less).
    Each trial is one TeX pass. A fit that is impossible is an error at design.pages."""
    from . import fit

    auxiliary: dict[str, dict[str, bytes]] = {}  # a trial's .tex → its auxiliary files

    def rendered(design: dict) -> Document:
        from . import localize

        profile = {**doc.profile, "design": design}
        view = _view(doc.source, profile, localize.view(profile, doc.lang), doc.stem)
        return _document(doc.source, profile, settings, view)

    def pages_at(design: dict) -> int:
        trial = rendered(design)
        compiled = _compile_in_new_dir(trial, settings, _pdf_key(trial), {}, None, aux_only=True)
        auxiliary[trial.tex] = compiled.aux
        return compiled.pages

    design = doc.profile["design"]
    try:
        fitted = fit.fit(design, design["pages"], pages_at, _pdf_key(doc), settings.use_cache)
    except fit.Impossible as exc:
        raise UserError(str(doc.source.problem(("design", "pages"), f"{doc.stem}: {exc}"))) from None
    for shown, pages in fitted.trials:
        log.debug("%s: trial at %s: %d page(s)", doc.stem, shown, pages)
    chosen = doc if fitted.step == 0 else rendered(fitted.design)
    return chosen, fitted, auxiliary.get(chosen.tex, {})


def _compile(doc: Document, settings: Settings, key: str, aux: dict[str, bytes], notes: list[str]) -> Compiled:
    """Compile with the precompiled preamble and the last build's auxiliary files. A run that fails
    with either is tried once more without it: a damaged cache never fails a build."""
    from . import preamble
    from .compile import FormatUnusable

    with preamble.format_file(doc.tex, doc.choice.engine) as precompiled:
        if precompiled.dumping and not aux and cores() > 1:
            # A first build: while the format is dumped on one core, a pass without it on another
            # makes the .aux (the page total), so the passes with the format are all the document needs.
            aux = _compile_in_new_dir(doc, settings, key, {}, None, aux_only=True).aux
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
    doc: Document, settings: Settings, key: str, aux: dict[str, bytes], fmt: Path | None, aux_only: bool = False
) -> Compiled:
    from .compile import MAX_PASSES, compile_pdf

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
            max_passes=1 if aux_only else MAX_PASSES,
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
        fields.holders(result.missing, doc.source, doc.lang, _joined, fields.NOT_TEXT | doc.unprinted)
        if result.missing
        else ({}, [])
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


def _layout_warnings(doc: Document, log: str) -> list[str]:
    """Lines set badly (into the margin, or with wide gaps), each at the profile field that holds
    its text where one does (a field is found by a run of four of the line's words)."""
    from . import fields, texlog

    out = []
    for defect in texlog.layout_defects(log):
        message = f"a line {defect.problem}: “{defect.text}” (rewording or a shorter word nearby helps)"
        words = defect.text.split()
        runs = [" ".join(words[i : i + 4]) for i in range(max(len(words) - 3, 1))]
        found = next((paths for run in runs if (paths := fields.holders([run], doc.source, doc.lang, _joined)[0])), {})
        out.append(str(doc.source.problem(next(iter(found)), message)) if found else message)
    return out


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
