"""A profile's photo, judged by its bytes before any TeX engine sees it.

The type comes from the magic number, not the name; the file must be complete (a PNG up to its IEND
chunk, a JPEG up to its end-of-image marker, a PDF with its %%EOF) and within the caps below, so a
bad photo is one located error on every engine instead of a TeX failure (or a TeX run decoding a
gigapixel image).
"""

from __future__ import annotations

from pathlib import Path

from .errors import UserError

MAX_BYTES = 20 * 1024 * 1024  # a CV photo is well under 1 MB; 20 MB leaves room for a print-quality one
MAX_PIXELS = 50_000_000  # a 50-megapixel camera's full frame; decoding more is not worth it
# Magic numbers → the extension TeX's graphics drivers know the type by.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"%PDF-", "pdf"))


class ImageError(Exception):
    """What is wrong with the photo, to follow "photo " in a located message."""


def kind_of(head: bytes) -> str | None:
    """ "png", "jpg" or "pdf" from a file's first bytes; None for anything else."""
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def extension(file: Path) -> str:
    """The extension the photo's copy for TeX gets, from its bytes (checked earlier by check())."""
    with file.open("rb") as f:
        kind = kind_of(f.read(8))
    if kind is None:
        raise UserError(f"{file}: the photo changed while texcv ran and is no longer a PNG, JPEG or PDF image")
    return kind


def check(file: Path) -> str:
    """The photo's kind, or ImageError: unknown type, over the caps, or truncated."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise ImageError(f"is too large: {size / 2**20:.1f} MB (at most {MAX_BYTES // 2**20} MB)")
    with file.open("rb") as f:
        data = f.read(MAX_BYTES + 1)  # a file growing since stat() is still capped
    kind = kind_of(data)
    if kind is None:
        raise ImageError("is not a PNG, JPEG or PDF image")
    if len(data) > MAX_BYTES:
        raise ImageError(f"is too large: over {MAX_BYTES // 2**20} MB")
    if kind == "pdf":
        if b"%%EOF" not in data[-1024:]:
            raise ImageError("is truncated (a PDF ends with %%EOF; this one does not)")
        return kind
    width, height = _png_size(data) if kind == "png" else _jpeg_size(data)
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"is too large: {width}×{height} pixels (at most {MAX_PIXELS // 10**6} megapixels; scale it down)"
        )
    return kind


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after walking the chunks up to IEND."""
    size, at = None, 8
    while at + 8 <= len(data):
        length, name = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        if name == b"IHDR" and length >= 8:
            size = int.from_bytes(data[at + 8 : at + 12], "big"), int.from_bytes(data[at + 12 : at + 16], "big")
        if name == b"IEND":
            if size is None:
                break
            return size
        at += 12 + length  # length, name, data, CRC
    raise ImageError("is truncated (a PNG ends with an IEND chunk; this one stops before it)")


_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame markers: they hold the size
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}  # markers without a length


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the start-of-frame segment, after walking the segments and the
    compressed data up to the end-of-image marker."""
    size, at = None, 2
    while at + 1 < len(data) and data[at] == 0xFF:
        while at + 1 < len(data) and data[at + 1] == 0xFF:  # fill bytes
            at += 1
        marker = data[at + 1]
        if marker == 0xD9:  # end of image
            if size is None:
                break
            return size
        if marker in _STANDALONE:
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in _SOF and length >= 7:
            size = int.from_bytes(data[at + 7 : at + 9], "big"), int.from_bytes(data[at + 5 : at + 7], "big")
        at += 2 + length
        if marker == 0xDA:  # start of scan: compressed data runs to the next marker but a restart
            at = _after_scan(data, at)
    raise ImageError("is truncated (a JPEG ends with an end-of-image marker; this one stops before it)")


def _after_scan(data: bytes, at: int) -> int:
    """Where the marker after compressed data starts; in the data 0xFF is followed by 0 (a literal
    0xFF) or a restart marker."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return len(data)
        if data[at + 1] != 0 and data[at + 1] not in _STANDALONE and data[at + 1] != 0xFF:
            return at
        at += 1
