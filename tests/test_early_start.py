"""Engines started early: a build of an edited profile starts the engines its last build ran before
reading the profile, and hands each its source through a named pipe once rendered.

The first tests drive compile.WaitingEngine with `sh` standing in for TeX; the `tex` ones build real
profiles and check that the early path is taken, gives the same bytes as the usual one, and leaves
no process or work directory behind whatever happens.
"""

from __future__ import annotations

import os
import signal
import textwrap
import time
from pathlib import Path

import pytest

import texcv.cache
import texcv.compile
from conftest import pdf_text, wait_until
from texcv.build import Settings, build
from texcv.compile import WaitingEngine
from texcv.errors import UserError

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="engines start early on Linux only")


def _waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> WaitingEngine:
    """An "engine" running `script` with the pipe's name as $0."""
    monkeypatch.setattr(texcv.compile, "engine_command", lambda engine, preamble: ["sh", "-c", script])
    engine = WaitingEngine.start("pdflatex", None, tmp_path)
    assert engine is not None
    return engine


def test_the_source_reaches_the_engine_through_the_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "".join(f"line {i} ünïcödé\n" for i in range(40_000)).encode("utf-8")  # far more than a pipe holds
    engine = _waiting(tmp_path, monkeypatch, 'sleep 0.2; cat "$0" > received')
    assert engine.feed(source, timeout=20) is True
    assert (tmp_path / "received").read_bytes() == source


def test_an_engine_that_ends_without_reading_leaves_the_pass_to_be_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _waiting(tmp_path, monkeypatch, "exit 1")  # a format that failed to load, say
    assert engine.feed(b"\\relax\n", timeout=5) is None


def test_an_engine_that_stops_reading_is_stopped_at_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _waiting(tmp_path, monkeypatch, 'head -c 10 "$0" > /dev/null; sleep 300 & echo $! > child; wait')
    started = time.monotonic()
    assert engine.feed(b"x" * 1_000_000, timeout=1.0) is False
    assert time.monotonic() - started < 10
    child = int((tmp_path / "child").read_text())
    assert wait_until(lambda: _gone(child), 3)  # the engine's whole process group


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie nobody reaps (the parent it had was killed)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_stop_ends_an_engine_still_waiting_for_its_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _waiting(tmp_path, monkeypatch, 'cat "$0"')
    engine.stop()
    assert engine.process.returncode == -signal.SIGKILL


PROFILE = textwrap.dedent(
    """\
    name: Ada Lovelace
    headline: Analyst
    sections:
      - title: Experience
        entries:
    """
) + "".join(f"      - {{title: Analyst {i}, organization: Engine, start: 18{i:02d}, description: {'Calculated numbers. ' * 12}}}\n" for i in range(16))


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> list[WaitingEngine]:
    """Every engine started early, and whether its source was given to it (`fed`)."""
    started: list[WaitingEngine] = []
    start, feed = WaitingEngine.start.__func__, WaitingEngine.feed  # type: ignore[attr-defined]

    def spy_start(cls: type, engine_name: str, preamble: Path | None, workdir: Path) -> WaitingEngine | None:
        engine = start(cls, engine_name, preamble, workdir)
        if engine is not None:
            engine.fed = False  # type: ignore[attr-defined]
            started.append(engine)
        return engine

    def spy_feed(self: WaitingEngine, source: bytes, timeout: float) -> bool | None:
        self.fed = True  # type: ignore[attr-defined]
        return feed(self, source, timeout)

    monkeypatch.setattr(WaitingEngine, "start", classmethod(spy_start))
    monkeypatch.setattr(WaitingEngine, "feed", spy_feed)
    return started


def _all_gone(engines: list[WaitingEngine]) -> bool:
    return all(engine.process.returncode is not None and not engine.workdir.exists() for engine in engines)


@pytest.mark.tex
def test_an_edited_profile_is_fed_to_an_engine_started_early(tmp_path: Path, early: list[WaitingEngine]) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    build(profile, tmp_path / "out")
    assert early == []  # nothing known about this profile yet
    profile.write_text(PROFILE.replace("Analyst 3,", "Senior analyst 3,"), encoding="utf-8")
    edited = build(profile, tmp_path / "out")[0]
    assert [engine.fed for engine in early] == [True]  # type: ignore[attr-defined]
    assert _all_gone(early)
    assert (edited.passes, edited.pages, edited.cached) == (1, 2, False)
    assert "Senior analyst 3" in pdf_text(edited.pdf) and "1/2" in pdf_text(edited.pdf)
    # The same bytes as a build that starts its engine the usual way.
    usual = build(profile, tmp_path / "elsewhere", Settings(use_cache=False))[0]
    assert len(early) == 1
    assert usual.pdf.read_bytes() == edited.pdf.read_bytes()


@pytest.mark.tex
def test_no_engine_starts_early_for_an_unchanged_profile(tmp_path: Path, early: list[WaitingEngine]) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    build(profile, tmp_path / "out")
    assert build(profile, tmp_path / "out")[0].cached
    assert early == []
    build(profile, tmp_path / "out", Settings(use_cache=False))  # --no-cache: TeX runs, so it starts early
    assert [engine.fed for engine in early] == [True]  # type: ignore[attr-defined]


@pytest.mark.tex
def test_an_engine_started_for_nothing_is_stopped(tmp_path: Path, early: list[WaitingEngine]) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    build(profile, tmp_path / "out")
    profile.write_text(PROFILE + "# a comment changes the file, not the PDF\n", encoding="utf-8")
    assert build(profile, tmp_path / "out")[0].cached
    profile.write_text(PROFILE.replace("name: Ada", "name: [Ada"), encoding="utf-8")
    with pytest.raises(UserError):
        build(profile, tmp_path / "out")
    assert len(early) == 2 and not any(engine.fed for engine in early)  # type: ignore[attr-defined]
    assert _all_gone(early)


@pytest.mark.tex
def test_a_changed_design_runs_its_own_engine(tmp_path: Path, early: list[WaitingEngine], monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    build(profile, tmp_path / "out")
    profile.write_text(PROFILE + "design: {style: casual}\n", encoding="utf-8")  # another format file
    runs: list[list[str]] = []
    run_engine = texcv.compile.run_engine
    monkeypatch.setattr(texcv.compile, "run_engine", lambda command, *args: runs.append(command) or run_engine(command, *args))
    casual = build(profile, tmp_path / "out")[0]
    assert len(early) == 1 and not early[0].fed  # type: ignore[attr-defined]
    assert _all_gone(early)
    assert len(runs) == casual.passes and runs[0] != early[0].command
    assert "Analyst 3" in pdf_text(casual.pdf)


@pytest.mark.tex("xelatex")
def test_xelatex_is_not_started_early(tmp_path: Path, early: list[WaitingEngine]) -> None:
    """xelatex rewinds its source after guessing its encoding: it cannot read a pipe."""
    profile = tmp_path / "wang.yaml"
    profile.write_text("name: 王伟\nsections: [{title: 经历, entries: [工程师]}]\n", encoding="utf-8")
    build(profile, tmp_path / "out")
    profile.write_text("name: 王伟\nsections: [{title: 经历, entries: [高级工程师]}]\n", encoding="utf-8")
    edited = build(profile, tmp_path / "out")[0]
    assert early == [] and edited.engine == "xelatex"
    assert "高级工程师" in pdf_text(edited.pdf)


@pytest.mark.tex("lualatex")
def test_lualatex_reads_its_source_from_the_pipe(tmp_path: Path, early: list[WaitingEngine]) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE + "design: {engine: lualatex}\n", encoding="utf-8")
    build(profile, tmp_path / "out")
    profile.write_text(PROFILE.replace("Analyst 3,", "Senior analyst 3,") + "design: {engine: lualatex}\n", encoding="utf-8")
    edited = build(profile, tmp_path / "out")[0]
    assert [engine.fed for engine in early] == [True]  # type: ignore[attr-defined]
    assert edited.engine == "lualatex" and "Senior analyst 3" in pdf_text(edited.pdf)


@pytest.mark.tex
@pytest.mark.parametrize("junk", ["{not json", '{"profile": "x", "engines": {"a.pdf": "pdflatex"}}', '{"profile": "x", "engines": {"a.pdf": [1, 2]}}', "[]"])
def test_a_damaged_build_record_is_ignored(tmp_path: Path, early: list[WaitingEngine], junk: str) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    build(profile, tmp_path / "out")
    (record,) = (texcv.cache.directory() / "builds").glob("*.json")
    record.write_text(junk, encoding="utf-8")
    profile.write_text(PROFILE.replace("Analyst 3,", "Senior analyst 3,"), encoding="utf-8")
    assert "Senior analyst 3" in pdf_text(build(profile, tmp_path / "out")[0].pdf)
    assert early == []
