"""PNG previews of a built PDF, one per page, next to it: NAME-1.png, NAME-2.png, … (pdftoppm)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import packages
from .errors import ToolMissingError, UserError


def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise ToolMissingError(
            f"pdftoppm is not installed (needed for --png). On Debian/Ubuntu: {packages.install(packages.POPPLER)}"
        )
    return found


def pngs(pdf: Path, dpi: int = 100, timeout: float = 60.0) -> list[Path]:
    """Write one PNG per page of `pdf` beside it; PNGs of pages it no longer has are removed."""
    with tempfile.TemporaryDirectory(prefix="texcv-png-", dir=pdf.parent) as work:
        result = subprocess.run(
            [pdftoppm(), "-png", "-r", str(dpi), str(pdf), str(Path(work) / "page")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise UserError(
                f"pdftoppm could not render {pdf}: {result.stderr.strip() or f'exit status {result.returncode}'}"
            )
        # pdftoppm numbers pages page-01.png when there are ten or more; the names here never pad.
        rendered = sorted(Path(work).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        written = []
        for number, page in enumerate(rendered, 1):
            target = pdf.with_name(f"{pdf.stem}-{number}.png")
            os.replace(page, target)
            written.append(target)
    for old, number in pages(pdf).items():
        if number > len(written):
            old.unlink()
    return written


def pages(pdf: Path) -> dict[Path, int]:
    """The page PNGs beside `pdf` now (NAME-1.png, …: what pngs() replaces or removes), with their numbers."""
    page = re.compile(re.escape(pdf.stem) + r"-(\d+)\.png")
    found = ((file, page.fullmatch(file.name)) for file in pdf.parent.glob(f"{glob.escape(pdf.stem)}-*.png"))
    return {file: int(match[1]) for file, match in found if match}
