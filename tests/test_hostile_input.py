"""Whatever the input or the machine, texcv answers with one located line and the right exit status,
never a traceback: odd bytes and encodings, YAML's surprising numbers, broken URLs, pipes, devices,
a full disk, termination signals. Each case is the input, the exit status and a fragment of the message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from helpers import pdf_text, wait_until

import texcv.build
import texcv.fileio
from texcv.cli import main
from texcv.escape import url
from texcv.render import packaged_templates

CV = """\
name: Ada Lovelace
contact: {email: ada@example.org}
sections:
  - title: Experience
    entries:
      - {title: Analyst, organization: Analytical Engine, start: 1842, end: 1843}
"""
ENTRY = "      - {title: Analyst, organization: Analytical Engine, start: 1842, end: 1843}\n"


def _with(old: str, new: str) -> bytes:
    assert old in CV
    return CV.replace(old, new, 1).encode("utf-8")


def _case(name: str, profile: bytes, status: int, message: str, *argv: str) -> object:
    """A profile, the exit status and a fragment of the message; the command is `validate` unless
    `argv` names another."""
    return pytest.param(profile, list(argv), status, message, id=name)


EXTRA = CV.encode() + b"%s: 1\n"  # the profile with one more top-level key
HOMEPAGE = "{homepage: %s}"
CORPUS = [
    _case(
        "lone surrogate in an email",
        _with("ada@example.org", '"ada\\uDC80@example.org"'),
        1,
        "cv.yaml:2:11: contact.email: 'ada\\udc80@example.org' has a lone surrogate U+DC80 at character 4",
    ),
    _case(
        "lone surrogate in a URL",
        _with("{email: ada@example.org}", HOMEPAGE % '"https://example.org/\\uDC80"'),
        1,
        "cv.yaml:2:11: contact.homepage: 'https://example.org/\\udc80' has a lone surrogate U+DC80",
    ),
    _case(
        "lone surrogate in a key", EXTRA % b'"x_\\uDC80"', 1, "cv.yaml:7:1: x_\\udc80: 'x_\\udc80' has a lone surrogate"
    ),
    _case(
        "terminal escape in a key", EXTRA % b'"x\\e[31mred"', 1, "cv.yaml:7:1: x\\x1b[31mred: unknown key in profile"
    ),
    _case("bidi override in a key", EXTRA % b'"x\\u202E"', 1, "cv.yaml:7:1: x\\u202e: unknown key"),
    _case(
        "custom key with a hyphen",
        EXTRA % b"x_my-field",
        1,
        "x_my-field: not a custom field name: only letters, digits and _ may follow x_, not '-' ('x_my_field'?)",
    ),
    _case("custom key without a name", EXTRA % b"x_", 1, "x_: a custom field needs a name after x_"),
    _case(
        "URL with a space",
        _with("{email: ada@example.org}", HOMEPAGE % '"https://exa mple.org/"'),
        1,
        "contact.homepage: 'https://exa mple.org/' has a space (character 12); a URL has none: write it as %20",
    ),
    _case(
        "required field empty",
        _with("title: Experience", 'title: ""'),
        1,
        "cv.yaml:4:5: sections[0].title: required in section, and empty: give it a value",
    ),
    _case(
        "empty list item",
        _with(ENTRY, ENTRY[:-2] + ', bullets: ["", x]}\n'),
        1,
        "bullets[0]: expected text, got an empty string (leave the item out instead)",
    ),
    _case(
        "empty translation",
        b"languages: [en, de]\n" + _with("contact:", 'headline: {en: "", de: x}\ncontact:'),
        1,
        "headline.en: expected text, got an empty string\n",
    ),
    _case(
        "UTF-16 without a byte order mark",
        CV.encode("utf-16-le"),
        1,
        "cv.yaml:1:2: NUL characters: the file looks like UTF-16; save it as UTF-8",
    ),
    _case(
        "UTF-16 with a byte order mark",
        CV.encode("utf-16"),
        1,
        "cv.yaml:1:1: not UTF-8 text (byte 0xff) (it looks like UTF-16); save the file as UTF-8",
    ),
    _case(
        "raw control byte",
        _with("Analyst,", "Ana\x01lyst,"),
        1,
        "cv.yaml:6:20: character U+0001 is not allowed in a profile",
    ),
    _case(
        "invalid UTF-8 byte",
        _with("Analyst,", "Anä").replace("ä".encode(), b"\xff"),
        1,
        "cv.yaml:6:19: not UTF-8 text (byte 0xff)",
    ),
    _case(
        "month read as a number",
        _with("start: 1842", "start: 07"),
        1,
        'cv.yaml:6:59: sections[0].entries[0].start: YAML reads 07 as the number 7: write "07" in quotes',
    ),
    _case(
        "octal year",
        _with("start: 1842", "start: 0777"),
        1,
        'start: YAML reads 0777 as the number 511: write "0777" in quotes',
    ),
    _case(
        "year and month with an underscore",
        _with("end: 1843", "end: 2019_09"),
        1,
        'end: YAML reads 2019_09 as the number 201909: write "2019-09" in quotes',
    ),
    _case(
        "number text read otherwise",
        _with("{email: ada@example.org}", "{phone: {number: 0123}}"),
        1,
        "contact.phone.number: expected text, got a number (0123, which YAML reads as 83)",
    ),
    _case(
        "U+FFFD under lualatex",
        _with("Analyst,", "Ana\ufffdlyst,"),
        1,
        "lualatex stops at U+FFFD, the replacement character",
        "render",
        "--engine",
        "lualatex",
        "-o",
        "-",
    ),
    _case(
        "--timeout too large",
        CV.encode(),
        2,
        "--timeout: expected a number of seconds above 0, at most 86400 (got '1e10')",
        "build",
        "--timeout",
        "1e10",
    ),
    _case(
        "-o onto a file",
        CV.encode(),
        2,
        "--output-dir: expected a directory for the PDFs; cv.yaml is a file",
        "build",
        "-o",
        "cv.yaml",
    ),
]


def _cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse
        status = exc.code if isinstance(exc.code, int) else 1
    return status, capsys.readouterr().err


def _one_line_error(err: str, fragment: str) -> None:
    assert fragment in err, err
    assert "Traceback" not in err and "\x1b" not in err


@pytest.mark.parametrize("profile, argv, expected_status, fragment", CORPUS)
def test_hostile_input_gets_one_located_message(
    capsys: pytest.CaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    profile: bytes,
    argv: list[str],
    expected_status: int,
    fragment: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cv.yaml").write_bytes(profile)
    command, *options = argv or ["validate"]
    status, err = _cli(capsys, command, "cv.yaml", *options)
    assert status == expected_status, err
    _one_line_error(err, fragment)
    if status != 2:  # argparse shows its usage first
        first, *more = err.splitlines()
        assert first.startswith("texcv: error: ") and all(re.match(r"cv\.yaml:\d+:\d+: \S", line) for line in more), err


def test_an_endless_device_is_read_only_up_to_the_limit(capsys: pytest.CaptureFixture) -> None:
    status, err = _cli(capsys, "validate", "/dev/zero")
    assert status == 1
    _one_line_error(err, "/dev/zero: more than 2 MB (reading stopped there); profiles are limited to 2 MB")


def _through_a_pipe(data: bytes, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """`texcv ARGV… /dev/fd/N` with `data` written into the pipe, as the shell's <(…) does."""
    read, write = os.pipe()

    def feed() -> None:
        with open(write, "wb") as pipe, contextlib.suppress(BrokenPipeError):  # texcv stopped reading at its limit
            pipe.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        return subprocess.run(
            [sys.executable, "-m", "texcv", *argv, f"/dev/fd/{read}"],
            cwd=cwd,
            pass_fds=(read,),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(read)
        writer.join()


@pytest.mark.tex
def test_a_profile_from_a_pipe_is_built(tmp_path: Path) -> None:
    result = _through_a_pipe(CV.encode(), "build", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    assert "Ada Lovelace" in pdf_text(pdf)


def test_a_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    result = _through_a_pipe(b"#" * (3 * 1024 * 1024), "validate", cwd=tmp_path)
    assert result.returncode == 1
    _one_line_error(result.stderr, "more than 2 MB (reading stopped there)")


def _disk_full_for(output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the output file named `output` fails as write(2) does on a full disk: no file named.
    (write_atomic writes each output as .NAME.RANDOM.part first.)"""
    write_unnamed = texcv.fileio._write_unnamed

    def full(folder: Path, data: bytes, name: Path) -> bool:
        if name.name.startswith(f".{output}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_unnamed(folder, data, name)

    monkeypatch.setattr(texcv.fileio, "_write_unnamed", full)


def test_a_full_disk_is_one_line_naming_the_output(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cv.yaml").write_text(CV, encoding="utf-8")
    Path("out").mkdir()
    _disk_full_for("cv.tex", monkeypatch)
    status, err = _cli(capsys, "render", "cv.yaml", "-o", "out/cv.tex")
    assert status == 1
    _one_line_error(err, "texcv: error: out/cv.tex: No space left on device\n")
    assert os.listdir("out") == [], "no temporary file is left"


@pytest.mark.tex
def test_a_full_disk_fails_that_profile_only(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cv.yaml").write_text(CV, encoding="utf-8")
    Path("other.yaml").write_text(CV, encoding="utf-8")
    _disk_full_for("cv.pdf", monkeypatch)
    status, err = _cli(capsys, "build", "cv.yaml", "other.yaml", "-o", "out", "-j", "1")
    assert status == 1
    _one_line_error(err, "texcv: error: out/cv.pdf: No space left on device\n")
    assert Path("out/other.pdf").exists() and not Path("out/cv.pdf").exists()


def _looping_templates(folder: Path) -> Path:
    family = folder / "moderncv"
    shutil.copytree(packaged_templates() / "moderncv", family)
    main_template = family / "cv.tex.j2"
    source = main_template.read_text("utf-8")
    begin = "\\begin{document}\n"
    main_template.write_text(source.replace(begin, begin + "\\loop\\iftrue\\repeat\n", 1), "utf-8")
    return folder


@pytest.mark.tex
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_cleans_up_like_ctrl_c(tmp_path: Path, signum: int) -> None:
    (tmp_path / "cv.yaml").write_text(CV, encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    argv = ["build", "cv.yaml", "-o", "out", "--no-cache", "--template-dir", str(_looping_templates(tmp_path / "tpl"))]
    texcv = subprocess.Popen(
        [sys.executable, "-m", "texcv", *argv],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(temp)},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert wait_until(lambda: any(temp.glob("texcv-*/cv.log")), 30), "the engine never started"
    texcv.send_signal(signum)
    err = texcv.communicate(timeout=30)[1]
    assert texcv.returncode == 128 + signum
    _one_line_error(err, f"texcv: error: stopped by {signal.Signals(signum).name}\n")
    assert err.count("\n") == 1
    assert list(temp.iterdir()) == [], "temporary directories are removed"


@pytest.mark.parametrize(
    "address, latex",
    [
        ("https://example.org/#a#b", r"https://example.org/\#a\%23b"),  # hyperref would end the link at the second #
        ("https://exämple.de/päth", r"https://xn--exmple-cua.de/p\%C3\%A4th"),
        ("https://exämple.de:8080", "https://xn--exmple-cua.de:8080"),
        ("https://user@exämple.de/", r"https://user@ex\%C3\%A4mple.de/"),  # not a host: left percent-encoded
    ],
)
def test_link_targets_are_ascii_and_whole(address: str, latex: str) -> None:
    assert url(address) == latex


def _link_targets(pdf: Path) -> list[bytes]:
    data = pdf.read_bytes()
    compressed = (m.group(1) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL))
    streams = (zlib.decompress(stream) for stream in compressed if stream.startswith(b"x"))  # zlib's header
    return [uri for chunk in (data, *streams) for uri in re.findall(rb"/URI\s*\((.*?)\)", chunk)]


@pytest.mark.tex
def test_links_are_faithful_in_the_pdf(tmp_path: Path) -> None:
    contact = '{email: jürgen@exämple.de, homepage: "https://exämple.de/päth#a#b"}'
    profile = CV.replace("{email: ada@example.org}", contact).replace(
        ENTRY, ENTRY + '      - {label: L, text: "[a](https://example.org/#a#b), [b](https://exämple.de/x)"}\n'
    )
    (tmp_path / "cv.yaml").write_text(profile, encoding="utf-8")
    (built,) = texcv.build.build(tmp_path / "cv.yaml", tmp_path / "out")
    targets = _link_targets(built.pdf)
    assert b"https://example.org/#a%23b" in targets
    assert b"https://xn--exmple-cua.de/x" in targets
    assert b"mailto:j%C3%BCrgen@ex%C3%A4mple.de" in targets
    assert b"https://xn--exmple-cua.de/p%C3%A4th#a%23b" in targets
    shown = pdf_text(built.pdf)
    assert "jürgen@exämple.de" in shown and "exämple.de/päth#a#b" in shown and "%C3" not in shown
