"""What texcv says on stderr: --quiet, --verbose, colour on a terminal only; `python -m texcv`."""

from __future__ import annotations

import io
import sys

import pytest
from helpers import cli, run

from texcv.commands import output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """stderr as a terminal; set in the test itself, as pytest's capture replaces it after fixtures."""
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return stream


def test_quiet_and_verbose(capsys, mini, tmp_path):
    target = tmp_path / "cv.tex"
    assert cli(capsys, "render", mini, "-o", target)[2].startswith("texcv: wrote ")
    assert cli(capsys, "-q", "render", mini, "-o", target)[2] == ""
    assert cli(capsys, "render", mini, "-o", target, "--quiet")[2] == ""
    status, out, err = cli(capsys, "export", "-q", mini, "-f", "jsonresume", "-o", "-")
    assert status == 0 and err.startswith("texcv: warning: mini: ")  # warnings stay


def test_verbose_says_more(capsys, mini):
    plain = cli(capsys, "render", mini, "-o", "-")[2]
    verbose = cli(capsys, "--verbose", "render", mini, "-o", "-")[2]
    assert plain == ""
    assert "texcv: " in verbose and "pdflatex" in verbose


def test_quiet_and_verbose_exclude_each_other(capsys, mini):
    status, out, err = cli(capsys, "-q", "-v", "validate", mini)
    assert status == 2 and "not allowed with" in err


def test_errors_red_and_warnings_yellow_on_a_terminal(monkeypatch, tmp_path):
    stream = terminal(monkeypatch)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: A\nheadline: 42\n", encoding="utf-8")
    assert output.coloured(stream)
    from texcv.cli import main

    main(["validate", str(bad)])
    assert "texcv: \x1b[31merror:\x1b[0m " in stream.getvalue()
    good = tmp_path / "good.yaml"
    good.write_text("name: A\ncontact: {email: [a@example.org, b@example.org]}\n", encoding="utf-8")
    main(["export", str(good), "-f", "jsonresume", "-o", str(tmp_path / "good.json")])
    assert "texcv: \x1b[33mwarning:\x1b[0m good: contact.email: JSON Resume holds one" in stream.getvalue()


def test_no_colour_with_no_color_or_without_a_terminal(monkeypatch, tmp_path):
    stream = terminal(monkeypatch)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: A\nheadline: 42\n", encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    from texcv.cli import main

    main(["validate", str(bad)])
    assert "texcv: error: " in stream.getvalue() and "\x1b[" not in stream.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.delenv("NO_COLOR")
    main(["validate", str(bad)])
    assert "\x1b[" not in sys.stderr.getvalue()


def test_python_m_texcv(tmp_path, mini):
    done = run("--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("texcv ")
    done = run("validate", mini, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == f"texcv: {mini}: ok\n"
    assert "\x1b[" not in done.stderr
