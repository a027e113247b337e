"""A profile in other formats, from the same validated model the PDF comes from: Markdown and plain
text (prose.py), JSON Resume (jsonresume.py). One document per language, like the PDFs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import localize
from ..build import Settings, load_profile, outputs

EXTENSIONS = {"markdown": ".md", "text": ".txt", "jsonresume": ".json"}


@dataclass
class Exported:
    stem: str  # output file name without extension, as for the PDF: "kan-wu.zh"
    lang: str
    text: str
    notes: list[str]  # what the format could not hold


def export(path: Path | str, fmt: str, settings: Settings | None = None) -> list[Exported]:
    """Every requested language of a profile in `fmt` (a key of EXTENSIONS)."""
    from . import jsonresume, prose

    settings = settings or Settings()
    profile = load_profile(path, settings)
    out = []
    for lang, stem in outputs(path, profile, settings):
        notes: list[str] = []
        if fmt == "jsonresume":
            text = json.dumps(jsonresume.export(profile, lang, notes), ensure_ascii=False, indent=2) + "\n"
        else:
            text = prose.write(localize.view(profile, lang), prose.PlainText() if fmt == "text" else prose.Markdown())
        out.append(Exported(stem, lang, text, notes))
    return out
