"""A profile in other formats, from the same validated model the PDF comes from: Markdown and plain
text (prose.py), an HTML page (html.py), JSON Resume (jsonresume.py). One document per language,
like the PDFs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import localize
from ..build import Document, Settings, load_profile, outputs
from ..fileio import write_atomic

EXTENSIONS = {"markdown": ".md", "text": ".txt", "html": ".html", "jsonresume": ".json"}


@dataclass
class Exported:
    stem: str  # output file name without extension, as for the PDF: "kan-wu.zh"
    lang: str
    text: str
    notes: list[str]  # what the format could not hold


# build's formats (choices.FORMATS) that are exports, and the export each is
BUILD_FORMATS = {"html": "html", "md": "markdown", "txt": "text", "json": "jsonresume"}


def export(path: Path | str, fmt: str, settings: Settings | None = None) -> list[Exported]:
    """Every requested language of a profile in `fmt` (a key of EXTENSIONS)."""
    settings = settings or Settings()
    profile = load_profile(path, settings)
    out = []
    for lang, stem in outputs(path, profile, settings):
        notes: list[str] = []
        out.append(Exported(stem, lang, text(profile, lang, fmt, notes), notes))
    return out


def text(profile: dict, lang: str, fmt: str, notes: list[str]) -> str:
    """One language of a validated profile in `fmt`; what the format cannot hold goes to `notes`."""
    from . import html, jsonresume, prose

    if fmt == "jsonresume":
        return json.dumps(jsonresume.export(profile, lang, notes), ensure_ascii=False, indent=2) + "\n"
    view = localize.view(profile, lang)
    if fmt == "html":
        return html.write(view)
    return prose.write(view, prose.PlainText() if fmt == "text" else prose.Markdown())


def write_formats(doc: Document, formats: set[str], output_dir: Path, notes: list[str]) -> list[Path]:
    """`build`'s exports of one rendered document, beside its PDF: the same profile, validated once."""
    written = []
    for name, fmt in BUILD_FORMATS.items():
        if name in formats:
            target = output_dir / f"{doc.stem}{EXTENSIONS[fmt]}"
            found: list[str] = []
            data = text(doc.profile, doc.lang, fmt, found).encode("utf-8")
            output_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
            notes += [f"{target.name}: {note}" for note in found]
            written.append(target)
    return written
