"""The library API: profile file → validated profile → .tex per language → PDF.

The CLI only parses arguments and calls these functions. Outputs are written atomically: a file at
a target path is either the old one or the complete new one, never a half-written or failed one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import engine as engines
from . import loader, localize, schema
from .errors import TexError
from .render import render


@dataclass
class Settings:
    """What the command line can change: design overrides, language, template directories."""

    design: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    template_dirs: tuple[Path, ...] = ()


@dataclass
class Document:
    """One language of one profile, rendered."""

    profile: dict
    lang: str
    tex: str
    engine: engines.EngineChoice
    stem: str  # output file name without extension: "kan-wu" or "kan-wu.zh"
    extra_files: dict[str, Path]


@dataclass
class Built:
    pdf: Path
    tex: Path
    engine: str
    passes: int
    pages: int
    seconds: float
    warnings: list[str]


def load_profile(path: Path | str, settings: Settings | None = None) -> dict:
    """Read and validate a profile; command-line design values override the file's."""
    settings = settings or Settings()
    profile = schema.validate(loader.load(path))
    for key, value in settings.design.items():
        profile["design"][key] = schema.check_design_value(key, value)
    if settings.lang is not None and settings.lang not in profile["languages"]:
        from .errors import UsageError

        raise UsageError(f"--lang {settings.lang}: {path} has languages {', '.join(profile['languages'])}{schema.suggest(settings.lang, profile['languages'])}")
    return profile


def documents(path: Path | str, settings: Settings | None = None) -> list[Document]:
    """Render every requested language of a profile to LaTeX."""
    settings = settings or Settings()
    profile = load_profile(path, settings)
    languages = [settings.lang] if settings.lang else profile["languages"]
    stem = Path(path).stem
    out = []
    for lang in languages:
        view = localize.view(profile, lang)
        extra: dict[str, Path] = {}
        if profile["photo"] is not None:
            view["photo_file"] = "photo" + profile["photo"].suffix.lower()
            extra[view["photo_file"]] = profile["photo"]
        choice = engines.choose(localize.texts(view), profile["design"]["engine"])
        tex = render(view, profile["design"], choice, settings.template_dirs + _design_dirs(profile))
        name = f"{stem}.{lang}" if len(profile["languages"]) > 1 else stem
        out.append(Document(profile, lang, tex, choice, name, extra))
    return out


def _design_dirs(profile: dict) -> tuple[Path, ...]:
    # A templates/ folder next to the profile overrides the packaged templates, wherever texcv runs.
    local = Path(profile["source"]).resolve().parent / "templates"
    return (local,) if local.is_dir() else ()


def build(path: Path | str, output_dir: Path | str = "build", settings: Settings | None = None) -> list[Built]:
    """Build every language of a profile to PDF under output_dir; returns what was written."""
    from .compile import compile_pdf

    output_dir = Path(output_dir)
    results = []
    for doc in documents(path, settings):
        output_dir.mkdir(parents=True, exist_ok=True)
        tex_path, pdf_path, log_path = (output_dir / f"{doc.stem}{ext}" for ext in (".tex", ".pdf", ".log"))
        try:
            with tempfile.TemporaryDirectory(prefix="texcv-") as work:
                compiled = compile_pdf(doc.tex, doc.engine.engine, Path(work), doc.extra_files)
        except TexError as exc:
            # The failed source and log go next to the target; the last good PDF stays.
            write_atomic(log_path, exc.log.encode("utf-8"))
            write_atomic(output_dir / f"{doc.stem}.failed.tex", doc.tex.encode("utf-8"))
            raise TexError(f"{exc}\n  full log: {log_path}; source: {output_dir / (doc.stem + '.failed.tex')}", exc.log) from None
        write_atomic(tex_path, doc.tex.encode("utf-8"))
        write_atomic(pdf_path, compiled.pdf)
        write_atomic(log_path, compiled.log.encode("utf-8"))
        (output_dir / f"{doc.stem}.failed.tex").unlink(missing_ok=True)
        results.append(Built(pdf_path, tex_path, compiled.engine, compiled.passes, compiled.pages, compiled.seconds, compiled.warnings))
    return results


def write_atomic(target: Path, data: bytes) -> None:
    """Replace target with data in one step; a crash leaves the old file (and at most a hidden temp)."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp creates 0600; outputs get the usual mode
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
