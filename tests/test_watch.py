"""`texcv build --watch`: rebuild on every change of a profile, its photo or a template; a broken
save is reported and watching goes on (src/texcv/watch.py). Run as a real process, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ROOT, pdf_text

from texcv.build import Settings
from texcv.watch import inputs

PROFILE = """\
name: Ada Lovelace
photo: face.png
sections:
  - title: Experience
    entries:
      - {title: TITLE, organization: Analytical Engine}
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"
)
TIMEOUT = 30.0


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Watcher:
    """`texcv build --watch` in its own process, its stderr in a file to read while it runs."""

    def __init__(self, folder: Path, *args: str):
        self.log = folder / "stderr.txt"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        with self.log.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "texcv", "build", "--watch", *args],
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    def stderr(self) -> str:
        return self.log.read_text("utf-8")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=TIMEOUT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "cv.yaml").write_text(PROFILE.replace("TITLE", "Analyst"), "utf-8")
    (tmp_path / "face.png").write_bytes(PNG)
    return tmp_path


def save(profile: Path, text: str) -> None:
    """As an editor saves: a new modification time even within the same clock tick."""
    profile.write_text(text, "utf-8")
    stat = profile.stat()
    os.utime(profile, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


@pytest.mark.tex
def test_rebuilds_on_change_and_survives_a_broken_save(folder: Path) -> None:
    watcher = Watcher(folder, "cv.yaml", "-o", "out")
    pdf = folder / "out" / "cv.pdf"
    try:
        wait_for(lambda: "watching" in watcher.stderr(), "the first build")
        assert "Analyst" in pdf_text(pdf)

        save(folder / "cv.yaml", PROFILE.replace("TITLE", "Programmer"))
        wait_for(lambda: watcher.stderr().count("wrote ") >= 2, "a rebuild after the profile changed")
        assert "Programmer" in pdf_text(pdf)

        good = pdf.read_bytes()
        save(
            folder / "cv.yaml", PROFILE.replace("TITLE", "Programmer").replace("title: Experience", "titel: Experience")
        )
        wait_for(lambda: "titel: unknown key" in watcher.stderr(), "the error of the broken save")
        assert watcher.process.poll() is None, "a broken save stopped the watcher"
        assert pdf.read_bytes() == good  # the last good PDF stays

        (folder / "face.png").write_bytes(PNG + b"\0")  # the photo is watched too
        save(folder / "cv.yaml", PROFILE.replace("TITLE", "Engineer"))
        wait_for(lambda: "Engineer" in pdf_text(pdf), "a rebuild after the profile was fixed")
        assert watcher.stop() == 0
        assert "stopped watching" in watcher.stderr()
    finally:
        watcher.kill()


def test_broken_from_the_start_keeps_watching(folder: Path) -> None:
    """Without TeX too: the error is printed, the watcher waits for the next save."""
    (folder / "cv.yaml").write_text("name: [unclosed\n", "utf-8")
    watcher = Watcher(folder, "cv.yaml", "-o", "out")
    try:
        wait_for(lambda: "watching" in watcher.stderr(), "the watcher to start")
        assert "cv.yaml:2:1: YAML syntax error" in watcher.stderr()
        save(folder / "cv.yaml", "name: [still unclosed\n")
        wait_for(lambda: "cv.yaml changed; rebuilding" in watcher.stderr(), "a rebuild after the save")
        wait_for(lambda: watcher.stderr().count("YAML syntax error") == 2, "the second error")
        assert watcher.stop() == 0
    finally:
        watcher.kill()


def test_watched_files(folder: Path) -> None:
    """The profile, its photo, and every file of every template directory on the search path."""
    (folder / "templates" / "moderncv" / "entries").mkdir(parents=True)
    override = folder / "templates" / "moderncv" / "entries" / "experience.tex.j2"
    override.write_text("\\cvitem{}{((( entry.title )))}\n")
    files = inputs(folder / "cv.yaml", Settings())
    assert files[:2] == [folder / "cv.yaml", (folder / "face.png").resolve()]
    assert override.resolve() in files
    assert any(f.name == "publication.tex.j2" and "templates" in f.parts for f in files)  # the packaged ones
    (folder / "cv.yaml").write_text("name: [broken\n")
    assert inputs(folder / "cv.yaml", Settings(), files) == files  # a broken profile: the last known files
