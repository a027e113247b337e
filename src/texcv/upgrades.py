"""An exported family against later texcv versions: `templates export` leaves a record of what it
copied (texcv's version, a sha256 per piece, and the texts), so that `templates status` can say of
each piece whether its owner edited it and whether texcv's own piece changed since, and
`templates diff` can show that change beside the owner's edits (the exported text is the common base).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import UserError
from .templates import Family, Piece, packaged_templates

RECORD = ".texcv-export.json"  # hidden: never taken for a piece of the family
UNTOUCHED, EDITED, UPSTREAM, BOTH = (
    "untouched copy",
    "edited by you",
    "changed upstream since export",
    "edited by you and changed upstream since export",
)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def record_export(family: Family, copies: list[tuple[Path, Piece]], destination: Path) -> None:
    """Write destination/RECORD: per piece, the hash of the copy and of the packaged piece it stands
    for (none for a piece texcv does not ship), each hash's text kept once."""
    texts: dict[str, str] = {}
    pieces = {}
    for file, piece in copies:
        copied = file.read_text(encoding="utf-8")
        upstream = _read(packaged_templates() / family.name / piece.name)
        for text in (copied, upstream):
            if text is not None:
                texts[digest(text)] = text
        pieces[piece.name] = {"copied": digest(copied), "upstream": None if upstream is None else digest(upstream)}
    record = {"texcv": __version__, "family": family.name, "pieces": pieces, "texts": texts}
    (destination / RECORD).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Record:
    folder: Path  # the exported family's folder
    version: str  # texcv's, at export
    family: str  # the packaged family it was copied from
    pieces: dict[str, dict[str, str | None]]
    texts: dict[str, str]

    def upstream_now(self, piece: str) -> str | None:
        return _read(packaged_templates() / self.family / piece)


def read_record(folder: Path) -> Record:
    file = folder / RECORD
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        record = Record(folder, str(data["texcv"]), str(data["family"]), dict(data["pieces"]), dict(data["texts"]))
        kept = all(h in record.texts for hashes in record.pieces.values() for h in hashes.values() if h is not None)
    except FileNotFoundError:
        raise UserError(
            f"{folder}: no {RECORD} here: not a family copied by `texcv templates export` (or copied before "
            "texcv recorded exports; export it again to a new folder)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{file}: cannot read the export record: {exc}") from None
    if not kept:
        raise UserError(f"{file}: the export record is damaged: a piece's exported text is missing")
    return record


def records(directory: Path) -> list[Record]:
    """The exported families in `directory`: itself when it is one, else each folder in it that is."""
    if (directory / RECORD).is_file():
        return [read_record(directory)]
    if not directory.is_dir():
        raise UserError(f"{directory}: no such folder")
    found = [read_record(folder) for folder in sorted(directory.iterdir()) if (folder / RECORD).is_file()]
    if not found:
        raise UserError(f"{directory}: no family exported by `texcv templates export` in it (no {RECORD})")
    return found


def state(record: Record, piece: str) -> str:
    """What happened to one recorded piece since export: on the owner's side, on texcv's, or both."""
    hashes = record.pieces[piece]
    mine = _read(record.folder / piece)
    if mine is None:
        return "deleted by you"
    edited = digest(mine) != hashes["copied"]
    if hashes["upstream"] is None:
        return EDITED if edited else UNTOUCHED
    upstream = record.upstream_now(piece)
    if upstream is None:
        return "removed upstream since export" + (", edited by you" if edited else "")
    changed = digest(upstream) != hashes["upstream"]
    return {(False, False): UNTOUCHED, (True, False): EDITED, (False, True): UPSTREAM, (True, True): BOTH}[
        (edited, changed)
    ]


def status(record: Record) -> list[tuple[str, str]]:
    """(piece, state) for each recorded piece, then pieces added on either side since export."""
    rows = [(piece, state(record, piece)) for piece in record.pieces]
    present = {
        f.relative_to(record.folder).as_posix()
        for f in record.folder.rglob("*")
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(record.folder).parts)
    }
    rows += [(piece, "added by you") for piece in sorted(present - set(record.pieces))]
    packaged = packaged_templates() / record.family
    shipped = {f.relative_to(packaged).as_posix() for f in packaged.rglob("*") if f.is_file()}
    rows += [(piece, "new upstream since export") for piece in sorted(shipped - set(record.pieces) - present)]
    return rows


def locate(file: Path) -> tuple[Record, str]:
    """The export record of the family a piece's file belongs to, and the piece's name in it."""
    resolved = file.resolve()
    for folder in resolved.parents:
        if (folder / RECORD).is_file():
            record = read_record(folder)
            name = resolved.relative_to(folder).as_posix()
            if name not in record.pieces:
                raise UserError(f"{file}: not a piece exported with {folder} (pieces: {', '.join(record.pieces)})")
            return record, name
    raise UserError(f"{file}: not inside a family copied by `texcv templates export` (no {RECORD} above it)")


def diff(record: Record, piece: str) -> str:
    """The 3-way view as two unified diffs from the exported text: texcv's change since export,
    then the owner's edits. Empty when neither side changed."""
    hashes = record.pieces[piece]
    copied = record.texts[str(hashes["copied"])]
    base = record.texts[str(hashes["upstream"])] if hashes["upstream"] else None
    now, mine = record.upstream_now(piece), _read(record.folder / piece)
    name = f"{record.family}/{piece}"
    parts = []
    if base is not None:
        parts.append(
            _unified(base, now or "", f"{name} as exported (texcv {record.version})", f"{name} in texcv {__version__}")
        )
    parts.append(_unified(copied, mine or "", f"{name} as exported", f"{record.folder / piece} (yours)"))
    return "".join(parts)


def _unified(before: str, after: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), old, new))
