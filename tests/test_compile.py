"""compile.py: an engine run is believed only when its exit status, its terminal output, its log
and the PDF itself all say it worked. Stand-in engines (scripts named pdflatex on PATH) produce
each way a real one was seen to fail."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import pdf_text

from texcv.build import build
from texcv.compile import compile_pdf
from texcv.errors import TexError

SOURCE = "\\documentclass{article}\\begin{document}Ada Lovelace\\end{document}\n"
PROFILE = (
    "name: Ada Lovelace\nheadline: Analyst\nsections:\n  - title: Notes\n    entries:\n"
    "      - {label: Note, text: First program}\n"
)


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A one-page PDF from the real pdflatex (the tests using it are marked tex)."""
    return compile_pdf(SOURCE, "pdflatex", tmp_path_factory.mktemp("real")).pdf


def _fake_engine(
    folder: Path, monkeypatch: pytest.MonkeyPatch, *, status: int, pdf: bytes | None, log: str, terminal: str = ""
) -> None:
    """A `pdflatex` on PATH that writes `pdf` (None: no file) and `log`, prints `terminal` and exits
    with `status`."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    (folder / "pdf").write_bytes(pdf or b"")
    script = bin_dir / "pdflatex"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!{sys.executable}
            import shutil, sys
            if "cv.tex" not in sys.argv:  # --version, or a format dump: not the run under test
                sys.exit(0)
            print({terminal!r})
            open("cv.log", "w").write({log!r})
            if {pdf is not None!r}:
                shutil.copyfile({str(folder / "pdf")!r}, "cv.pdf")
            sys.exit({status})
            """
        )
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


WRITTEN_ONE_PAGE = "This is pdfTeX\nOutput written on cv.pdf (1 page, 12345 bytes).\n"


@pytest.mark.tex
@pytest.mark.parametrize(
    "status, pdf, log, terminal, message",
    [
        # exit status 1 with a PDF and a clean log: the status wins
        (1, "real", WRITTEN_ONE_PAGE, "", r"pdflatex stopped without reporting an error"),
        # a fatal error printed only on the terminal, after other output on the same line
        (
            1,
            None,
            "",
            "(mt-cmr.cfg)! Unable to read an entire line---bufsize=200000.",
            r"pdflatex failed: Unable to read an entire line",
        ),
        # exit 0 and an empty PDF (seen: a 205 KB paragraph)
        (0, b"", WRITTEN_ONE_PAGE, "", r"reported success but wrote no PDF"),
        # exit 0 and 15 bytes (seen: xdvipdfmx unable to embed a font)
        (0, b"%PDF-1.5\n%%EOF\n", WRITTEN_ONE_PAGE, "", r"wrote an incomplete PDF \(15 bytes"),
        # a whole-looking PDF cut short inside
        (0, "half", WRITTEN_ONE_PAGE, "", r"incomplete PDF|cannot be read"),
        # the log says two pages, the PDF has one
        (0, "real", WRITTEN_ONE_PAGE.replace("1 page", "2 pages"), "", r"reported 2 page\(s\) but the PDF holds 1"),
        # the PDF driver's failure, printed on the terminal only
        (
            0,
            "real",
            WRITTEN_ONE_PAGE,
            "xdvipdfmx:fatal: Cannot proceed without the font.",
            r"PDF driver failed: xdvipdfmx:fatal: Cannot proceed",
        ),
        # no log, no PDF, nothing said
        (1, None, "", "", r"pdflatex stopped without reporting an error"),
    ],
)
def test_a_run_that_did_not_work_is_an_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    real_pdf: bytes,
    status: int,
    pdf: bytes | str | None,
    log: str,
    terminal: str,
    message: str,
) -> None:
    data = (
        {"real": real_pdf, "half": real_pdf[: len(real_pdf) // 2] + real_pdf[-200:]}.get(pdf, pdf)
        if isinstance(pdf, str)
        else pdf
    )
    _fake_engine(tmp_path, monkeypatch, status=status, pdf=data, log=log, terminal=terminal)
    (tmp_path / "work").mkdir()
    with pytest.raises(TexError, match=message):
        compile_pdf(SOURCE, "pdflatex", tmp_path / "work")


@pytest.mark.tex
def test_a_failed_check_keeps_the_previous_pdf_and_caches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    good = build(profile, tmp_path / "out")[0]
    previous = good.pdf.read_bytes()
    profile.write_text(PROFILE.replace("Analyst", "Engineer"), encoding="utf-8")
    _fake_engine(tmp_path, monkeypatch, status=0, pdf=b"", log=WRITTEN_ONE_PAGE)
    with pytest.raises(TexError, match="wrote no PDF"):
        build(profile, tmp_path / "out")
    assert good.pdf.read_bytes() == previous
    assert (tmp_path / "out" / "cv.failed.tex").exists()
    monkeypatch.undo()  # the real engine again: the broken result was not cached
    again = build(profile, tmp_path / "out")[0]
    assert not again.cached and "Engineer" in pdf_text(again.pdf)


@pytest.mark.tex
def test_a_very_long_word_is_an_error_not_an_empty_pdf(tmp_path: Path) -> None:
    """Seen: one 10,000-character word gave a 0-byte PDF and exit status 0."""
    profile = tmp_path / "cv.yaml"
    profile.write_text(PROFILE.replace("First program", "x" * 10_000), encoding="utf-8")
    try:
        built = build(profile, tmp_path / "out")[0]
    except TexError as exc:
        assert "longer than TeX can read" in str(exc) or "missing from the PDF" in str(exc), exc
        assert not (tmp_path / "out" / "cv.pdf").exists()
    else:  # typeset: then every character is in the PDF
        assert "x" * 10_000 in pdf_text(built.pdf).replace(" ", "").replace("-", "")
