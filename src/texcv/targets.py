"""The files texcv writes are never files it reads.

An output is refused, before anything is written, when it is the same file as an input — the
profile, its photo, a file in a template directory in use, a JSON Resume being imported — by device
and inode, so a symlink or a hard link to an input counts as the input. A file that does not exist
yet cannot be an input: the inputs are listed (for `export`, the profile read) only when a target
already exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError

if TYPE_CHECKING:
    from .build import Document

BUILD_SUFFIXES = (".tex", ".pdf", ".log", ".failed.tex")  # what a build may write for each output stem

Inputs = Callable[[], dict[Path, str]]  # each input file → what it is ("the profile")


def profile_inputs(source: Path | str, profile: dict | None, template_dirs: Iterable[Path] = ()) -> dict[Path, str]:
    """The files a profile's outputs are made from: the profile (and a letter file naming it), the
    photo and .bib files the validated `profile` names (None: a profile that did not load), every
    file in the template directories given."""
    letter_file = profile.get("letter_file") if profile is not None else None
    files = {letter_file: "the letter file"} if letter_file else {}
    files.setdefault(Path(source), "the profile")
    if profile is not None:
        files.setdefault(Path(profile["source"]), "the profile")
    if profile is not None and profile["photo"] is not None:
        files.setdefault(profile["photo"], "the profile's photo")
    for section in profile["sections"] if profile is not None else []:
        if section["bib"] is not None:
            files.setdefault(section["bib"]["file"], "a BibTeX file of the profile")
    for folder in template_dirs:
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    files.setdefault(file, f"a template in {folder}")
    return files


def document_inputs(doc: Document) -> dict[Path, str]:
    """What a rendered document is made from, the packaged templates included."""
    from .templates import packaged_templates

    return profile_inputs(doc.profile["source"], doc.profile, [*doc.template_dirs, packaged_templates()])


def refuse_inputs(targets: Iterable[Path], inputs: Inputs) -> None:
    """Raise UserError if a target is one of the inputs; `inputs` is called only if a target exists."""
    existing: dict[tuple[int, int], Path] = {}
    for target in targets:
        identity = _identity(target)
        if identity is not None:
            existing.setdefault(identity, target)
    if not existing:
        return
    for file, what in inputs().items():
        identity = _identity(file)
        written = existing.get(identity) if identity is not None else None
        if written is not None:
            same = "" if os.path.abspath(written) == os.path.abspath(file) else f" {file} (the same file)"
            raise UserError(
                f"{written} is {what}{same}: texcv does not write over its inputs; choose another output with -o"
            )


def safe_to_write(docs: list[Document], output_dir: Path, formats: Iterable[str] = ()) -> list[Document]:
    """The documents of one profile, once it is sure that what build() writes for them in
    output_dir (BUILD_SUFFIXES, and the files of the other `formats`) replaces none of their inputs."""
    from .choices import FORMATS
    from .preview import pages

    others = [FORMATS[name] for name in formats if name in ("html", "md", "txt", "json")]
    targets = [output_dir / f"{doc.stem}{suffix}" for doc in docs for suffix in (*BUILD_SUFFIXES, *others)]
    if "png" in formats:  # the page images there now: each is replaced or removed
        targets += [page for doc in docs for page in pages(output_dir / f"{doc.stem}.pdf")]
    refuse_inputs(targets, lambda: document_inputs(docs[0]))  # every language has the same inputs
    return docs


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # missing or unreadable; ValueError: a NUL in the name
        return None
    return info.st_dev, info.st_ino
