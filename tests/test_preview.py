"""`texcv build --png`: one PNG per page next to the PDF, via pdftoppm (src/texcv/preview.py)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from helpers import ROOT

from texcv.cli import main


def png_size(png: Path) -> tuple[int, int]:
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.tex
def test_one_png_per_page(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = ROOT / "profiles" / "example.yaml"
    assert main(["build", str(profile), "--lang", "en", "--png", "-o", str(tmp_path)]) == 0
    pngs = sorted(tmp_path.glob("example.en-*.png"))
    assert [p.name for p in pngs] == ["example.en-1.png", "example.en-2.png"]
    assert png_size(pngs[0]) == (827, 1170)  # A4 at the default 100 dpi
    assert f"), {pngs[0]}, {pngs[1]}\n" in capsys.readouterr().err  # on the PDF's build line

    (tmp_path / "example.en-7.png").write_bytes(b"a page the PDF no longer has")
    assert main(["build", str(profile), "--lang", "en", "--png", "--png-dpi", "30", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["example.en-1.png", "example.en-2.png"]
    assert png_size(tmp_path / "example.en-1.png") == (249, 351)


def test_missing_pdftoppm_names_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find
    assert main(["build", str(ROOT / "profiles" / "example.yaml"), "--png", "-o", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert "pdftoppm is not installed" in err and "sudo apt-get install poppler-utils" in err
    assert not (tmp_path / "out").exists()  # checked before anything is built


def test_resolution_is_checked(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_status:
        main(["build", "cv.yaml", "--png", "--png-dpi", "0"])
    assert exit_status.value.code == 2 and "between 10 and 1200" in capsys.readouterr().err
