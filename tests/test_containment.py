"""TeX failures are explained and contained: timeouts kill the whole process tree, a killed build
loses nothing, builds do not interfere, kpathsea keeps even a malicious template inside its work
directory, a missing icon package or CJK font is handled, and large CVs build in proportion.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import yaml
from helpers import pdf_text, wait_until
from helpers import run as run_texcv

import texcv.build
import texcv.fileio
from texcv.build import Settings, build
from texcv.errors import TexError, UserError
from texcv.fileio import write_atomic
from texcv.process import run
from texcv.templates import packaged_templates

PROFILE = """\
name: {name}
headline: Analyst
contact: {{email: ada@example.org}}
sections:
  - title: Experience
    entries:
      - {{title: Analyst, organization: Analytical Engine, start: 1842, end: 1843, bullets: [Wrote the first program.]}}
"""


def _profile(folder: Path, name: str = "Ada Lovelace", stem: str = "cv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    path.write_text(PROFILE.format(name=name), encoding="utf-8")
    return path


def _template_with(folder: Path, latex: str) -> Path:
    """A template directory whose moderncv family runs `latex` at the start of the document: templates
    are code, and this is what a malicious or broken one can do."""
    family = folder / "moderncv"
    shutil.copytree(packaged_templates() / "moderncv", family)
    main = family / "cv.tex.j2"
    source = main.read_text(encoding="utf-8")
    assert "\\begin{document}\n" in source
    main.write_text(source.replace("\\begin{document}\n", "\\begin{document}\n" + latex + "\n", 1), encoding="utf-8")
    return folder


def _texcv(*args: object, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "texcv", *map(str, args)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _processes_with(marker: str) -> list[int]:
    """Live processes whose environment holds `marker` (TeX inherits texcv's environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:  # gone, or a zombie
            pass
    return found


# --- outputs survive anything ------------------------------------------------------------------


def test_data_is_complete_before_it_gets_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_atomic fills an unnamed file (O_TMPFILE): when it is linked into the directory the data
    is all there, and until then the directory shows nothing new."""
    target = tmp_path / "cv.pdf"
    target.write_bytes(b"old")
    seen = []
    real_link = os.link

    def link(source: str, name: Path, **kwargs: object) -> None:
        seen.append((sorted(os.listdir(tmp_path)), Path(source).read_bytes()))
        real_link(source, name, **kwargs)

    monkeypatch.setattr(texcv.fileio.os, "link", link)
    write_atomic(target, b"new data")
    assert target.read_bytes() == b"new data"
    assert seen == [(["cv.pdf"], b"new data")]
    assert os.listdir(tmp_path) == ["cv.pdf"]


def test_without_o_tmpfile_a_hidden_file_is_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "O_TMPFILE")
    old_mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "cv.tex", b"x")
    finally:
        os.umask(old_mask)
    assert (tmp_path / "cv.tex").read_bytes() == b"x"
    assert (tmp_path / "cv.tex").stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["cv.tex"]


@pytest.mark.tex
def test_sigkill_at_any_moment_keeps_the_previous_outputs_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    marker = f"TEXCV_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, marker: "1"}
    out = tmp_path / "out"
    source = _profile(tmp_path, "Ada Lovelace")
    modes = (["--no-cache"], [])  # builds that compile, and builds that take the PDF from the cache
    duration = {}
    for mode in (*modes, *modes):  # the second round is warm: that is the time a build takes
        started = time.monotonic()
        assert _texcv("build", source, "-o", out, *mode, env=env).wait(timeout=120) == 0
        duration[tuple(mode)] = time.monotonic() - started
    old_tex = (out / "cv.tex").read_bytes()
    _profile(tmp_path, "Grace Hopper")
    kills = 20
    killed_while_running = 0
    for i in range(kills):
        mode = modes[i % 2]  # moments spread over a whole build of each kind
        process = _texcv("build", source, "-o", out, *mode, env=env)
        time.sleep(duration[tuple(mode)] * (i // 2 + 0.5) / (kills // 2))
        process.send_signal(signal.SIGKILL)
        killed_while_running += process.wait(timeout=60) == -signal.SIGKILL
        assert sorted(os.listdir(out)) == ["cv.log", "cv.pdf", "cv.tex"], f"kill {i}: {os.listdir(out)}"
        tex = (out / "cv.tex").read_bytes()
        assert tex == old_tex or b"\\name{\\texcvnohyph{Grace}}{\\texcvnohyph{Hopper}}" in tex, (
            f"kill {i}: a .tex that is neither the old nor the new one"
        )
        pdf = (out / "cv.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF"), f"kill {i}: a broken PDF"
        text = pdf_text(out / "cv.pdf")
        assert "Ada Lovelace" in text or "Grace Hopper" in text, f"kill {i}: {text[:80]}"
    assert killed_while_running >= kills // 2, f"only {killed_while_running} of {kills} kills hit a running build"
    # The engine dies with texcv (PR_SET_PDEATHSIG): no TeX run outlives a killed build.
    assert wait_until(lambda: not _processes_with(marker), 5), _processes_with(marker)


@pytest.mark.tex
def test_two_builds_into_one_directory_at_once_do_not_interfere(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, second = _profile(tmp_path, "Ada Lovelace", "ada"), _profile(tmp_path, "Grace Hopper", "grace")
    for _ in range(2):
        builds = [_texcv("build", source, "-o", out, "--no-cache") for source in (first, second)]
        assert [b.wait(timeout=120) for b in builds] == [0, 0], [b.stderr.read() for b in builds]
    assert sorted(os.listdir(out)) == ["ada.log", "ada.pdf", "ada.tex", "grace.log", "grace.pdf", "grace.tex"]
    assert "Ada Lovelace" in pdf_text(out / "ada.pdf") and "Grace Hopper" not in pdf_text(out / "ada.pdf")
    assert "Grace Hopper" in pdf_text(out / "grace.pdf") and "Ada Lovelace" not in pdf_text(out / "grace.pdf")


# --- runaway templates -----------------------------------------------------------------------------


def test_a_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    assert run(["sh", "-c", "sleep 300 & echo $! > child; wait"], tmp_path, dict(os.environ), 1.0).status is None
    child = int((tmp_path / "child").read_text())
    assert wait_until(
        lambda: not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2], 3
    )


@pytest.mark.tex
@pytest.mark.parametrize("loop", [r"\def\x{\x}\x", r"\loop\iftrue\repeat"])
def test_a_template_that_loops_forever_is_stopped(tmp_path: Path, loop: str) -> None:
    source = _profile(tmp_path)
    build(source, tmp_path / "out")
    previous = (tmp_path / "out" / "cv.pdf").read_bytes()
    templates = _template_with(tmp_path / "tpl", loop)
    started = time.monotonic()
    with pytest.raises(
        TexError,
        match=(
            r"pdflatex did not finish within 1.5 s and was stopped, "
            r"with every process it started \(a template that loops forever\?"
        ),
    ):
        build(source, tmp_path / "out", Settings(template_dirs=(templates,), timeout=1.5, use_cache=False))
    assert time.monotonic() - started < 10
    assert (tmp_path / "out" / "cv.pdf").read_bytes() == previous


@pytest.mark.tex
def test_killing_texcv_kills_its_tex_run(tmp_path: Path) -> None:
    marker = f"TEXCV_TEST_{uuid.uuid4().hex}"
    templates = _template_with(tmp_path / "tpl", r"\loop\iftrue\repeat")
    texcv = _texcv(
        "build",
        _profile(tmp_path),
        "-o",
        tmp_path / "out",
        "--template-dir",
        templates,
        env={**os.environ, marker: "1"},
    )

    def engines() -> list[int]:  # the document's run (a preamble format may be made first, with -ini)
        return [
            pid
            for pid in _processes_with(marker)
            if b"cv.tex" in Path(f"/proc/{pid}/cmdline").read_bytes() and pid != texcv.pid
        ]

    assert wait_until(engines, 20), "the engine never started"
    engine = engines()
    time.sleep(0.5)  # well into its loop
    texcv.send_signal(signal.SIGKILL)
    texcv.wait(timeout=10)
    survivors = [] if wait_until(lambda: not set(engine) & set(_processes_with(marker)), 5) else engine
    for pid in survivors:  # not left looping after a failure
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "the looping engine outlived texcv"


def test_the_timeout_is_a_command_line_option(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "texcv", "build", "x.yaml", "--timeout", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "--timeout: expected a number of seconds above 0" in result.stderr


@pytest.mark.tex
def test_cli_says_the_engine_was_stopped(tmp_path: Path) -> None:
    templates = _template_with(tmp_path / "tpl", r"\loop\iftrue\repeat")
    out = tmp_path / "out"
    result = run_texcv(
        "build", _profile(tmp_path), "-o", out, "--template-dir", templates, "--timeout", "1", cwd=tmp_path
    )
    assert result.returncode == 3, result.stderr
    assert "pdflatex did not finish within 1 s and was stopped, with every process it started" in result.stderr
    assert "--timeout SECONDS" in result.stderr and "Traceback" not in result.stderr


# --- kpathsea paranoia: even a template cannot reach outside its work directory ---------------------------


@pytest.mark.tex
def test_a_template_cannot_read_files_outside_the_tex_tree(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET\n")
    reads = "".join(
        (
            rf"\openin\texcvin={name} \ifeof\texcvin NOT-READ-{i}"
            rf"\else\read\texcvin to\texcvline READ-{i}:\texcvline\fi\closein\texcvin{{}} "
        )
        for i, name in enumerate(
            [
                "/etc/passwd",
                "../" * 12 + "etc/passwd",
                str(secret),
                "../" + os.path.relpath(secret, tempfile.gettempdir()),
            ]
        )
    )
    templates = _template_with(tmp_path / "tpl", r"\newread\texcvin " + reads)
    (built,) = build(_profile(tmp_path), tmp_path / "out", Settings(template_dirs=(templates,)))
    text = pdf_text(built.pdf)
    assert all(f"NOT-READ-{i}" in text for i in range(4)), text
    assert "READ-" not in text.replace("NOT-READ-", "") and "TOP-SECRET" not in text and "root" not in text


@pytest.mark.tex
def test_a_template_cannot_input_etc_passwd(tmp_path: Path) -> None:
    templates = _template_with(tmp_path / "tpl", r"\input{/etc/passwd}")
    with pytest.raises(TexError) as info:
        build(_profile(tmp_path), tmp_path / "out", Settings(template_dirs=(templates,)))
    assert "/etc/passwd" in str(info.value) and "root:" not in info.value.log


@pytest.mark.tex
@pytest.mark.parametrize("where", ["parent", "absolute"])
def test_a_template_cannot_write_outside_its_work_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    work_parent = tmp_path / "tmp"
    work_parent.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(work_parent))  # texcv's work directory goes in here
    target = work_parent / "escaped.txt"
    name = "../escaped.txt" if where == "parent" else str(target)
    templates = _template_with(
        tmp_path / "tpl",
        rf"\newwrite\texcvout\immediate\openout\texcvout={name}\immediate\write\texcvout{{pwned}}\immediate\closeout\texcvout",
    )
    with pytest.raises(TexError, match="I can't write on file"):
        build(_profile(tmp_path), tmp_path / "out", Settings(template_dirs=(templates,)))
    assert not target.exists()
    assert list(work_parent.iterdir()) == []  # and the work directory itself is gone


# --- missing TeX pieces ------------------------------------------------------------------------------


def _tex_tree_without(package: str, folder: Path) -> str:
    """A TEXINPUTS search path that sees every LaTeX package but `package` (a directory of links)."""
    trees = (
        subprocess.run(["kpsewhich", "-expand-path", "$TEXMF"], capture_output=True, text=True, check=True)
        .stdout.strip()
        .split(":")
    )
    folder.mkdir()
    for i, tree in enumerate(map(Path, trees)):
        for directory in (tree / "tex" / "latex").glob("*"):
            if directory.name != package:
                (folder / f"{i}-{directory.name}").symlink_to(directory)
    return ":".join([".", f"{folder}//", *(f"{tree}/tex/generic//" for tree in trees)])


@pytest.mark.tex
def test_without_fontawesome5_the_cv_is_built_without_icons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXINPUTS", _tex_tree_without("fontawesome5", tmp_path / "texmf"))
    (built,) = build(_profile(tmp_path), tmp_path / "out")
    assert built.warnings[0] == (
        "fontawesome5.sty is not installed: built without icons (for icons: sudo apt-get install texlive-fonts-extra)"
    )
    assert "\\moderncvstyle[nosymbols]" in built.tex.read_text(encoding="utf-8")
    assert "Ada Lovelace" in pdf_text(built.pdf)
    assert not (tmp_path / "out" / "cv.failed.tex").exists()


@pytest.mark.tex("xelatex")
def test_a_missing_cjk_font_names_the_package_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    latin_modern = Path(
        subprocess.run(
            ["kpsewhich", "lmroman10-regular.otf"], capture_output=True, text=True, check=True
        ).stdout.strip()
    ).parent
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><dir>{latin_modern}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))  # fontconfig sees Latin Modern only: no Noto CJK
    source = tmp_path / "zh.yaml"
    source.write_text(
        "name: 吴侃\nsections:\n  - title: 教育\n    entries: [{title: 中山大学, start: 2018}]\n", encoding="utf-8"
    )
    with pytest.raises(
        TexError, match=r"the font 'Noto Sans CJK SC' is not installed \(sudo apt-get install fonts-noto-cjk\)"
    ):
        build(source, tmp_path / "out")


# --- characters no font has ------------------------------------------------------------------------


@pytest.mark.tex("xelatex")
def test_characters_no_font_has_are_reported_with_their_fields(tmp_path: Path, monkeypatch) -> None:
    import texcv.scripts

    charset = texcv.scripts.charset  # as if fonts-symbola (emoji) were not installed
    monkeypatch.setattr(texcv.scripts, "charset", lambda family: None if family == "Symbola" else charset(family))
    source = tmp_path / "cv.yaml"
    profile = textwrap.dedent(
        """\
        languages: [en, de]
        name: Ada Lovelace
        headline: {en: "Analyst 😀", de: "Analystin"}
        sections:
          - title: Languages
            entries:
              - {label: Hebrew, text: "שלום"}
              - {label: Tricks, text: "a\\u202eevil\\u202c b"}
              - {text: "only in German", lang: de}
        """
    )
    source.write_text(profile, encoding="utf-8")
    lines = source.read_text(encoding="utf-8").splitlines()

    def at(line: int, key: str) -> str:  # FILE:LINE:COL of a key
        return f"{source}:{line}:{lines[line - 1].index(key) + 1}"

    # Before TeX runs: no installed font has the emoji.
    with pytest.raises(UserError) as no_font:
        build(source, tmp_path / "out")
    assert str(no_font.value).splitlines()[1] == (
        f"{at(3, 'en:')}: headline.en: '😀' (U+1F600 Grinning Face) is in no installed font "
        "(Emoji: sudo apt-get install fonts-symbola)"
    )
    assert not (tmp_path / "out").exists()
    # After TeX: the Hebrew is set (fonts-noto-core); the format characters no font draws are noted.
    source.write_text(profile.replace(" 😀", ""), encoding="utf-8")
    built = {b.pdf.stem: b for b in build(source, tmp_path / "out")}
    for lang in ("en", "de"):
        notes = [w for w in built[f"cv.{lang}"].warnings if "missing from the PDF:" in w]
        assert len(notes) == 1 and notes[0].startswith(
            f"{at(8, 'text')}: sections[0].entries[1].text: '\\u202e' (U+202E), '\\u202c' (U+202C) are missing"
        ), notes


# --- large but legitimate input ----------------------------------------------------------------------


@pytest.mark.tex
def test_300_publications_build_paginated_within_a_few_times_a_normal_cv(tmp_path: Path) -> None:
    def profile(count: int) -> Path:
        publications = [
            {
                "title": f"On the analysis of engine number {i}: methods, measurements and a title long enough to wrap",
                "authors": ["Ada Lovelace", "Charles Babbage", f"Author {i}"],
                "venue": f"Journal of Engines {i % 17}",
                "date": 1990 + i % 30,
            }
            for i in range(count)
        ]
        data = yaml.safe_load(PROFILE.format(name="Ada Lovelace"))
        data["sections"].append({"title": "Publications", "entries": publications})
        path = tmp_path / f"pubs{count}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    def timed(path: Path) -> tuple[float, texcv.build.Built]:
        started = time.perf_counter()
        (built,) = build(path, tmp_path / "out", Settings(use_cache=False))
        return time.perf_counter() - started, built

    normal_seconds, normal = timed(profile(3))
    large_seconds, large = timed(profile(300))
    assert normal.pages == 1 and large.pages >= 15
    assert "engine number 299" in pdf_text(large.pdf)
    figures = (
        f"300 publications: {large.pages} pages in {large_seconds:.2f} s; "
        f"a 1-page CV: {normal_seconds:.2f} s ({large_seconds / normal_seconds:.1f}×)"
    )
    assert large_seconds < 10 * normal_seconds, figures
    print(figures)
