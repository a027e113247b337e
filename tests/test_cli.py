"""The command line: every command, every exit status, in-process (main(argv)) and as a subprocess.

Exit status (src/texcv/cli.py): 0 ok · 1 user error / invalid profile · 2 usage error · 3 TeX failed ·
4 TeX missing · 5 template error · 70 internal error (with traceback).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, pdf_text

import texcv
import texcv.build
from texcv.cli import main

MINI = textwrap.dedent(
    """\
    name: {given: José, family: Müller-Ørsted}
    headline: Research engineer — "compilers" & <systems>
    contact:
      email: [jose_m@example.org, j.m+cv@uni.edu]
      phone: {number: "+49 30 1234-567", kind: mobile}
      homepage: https://example.org/~jose/cv_2024
      location: Berlin, Germany
    social:
      github: jose_m
      linkedin: https://www.linkedin.com/in/jose-muller/
      googlescholar: AYrZ5OcAAAAJ
    summary: |
      I build **fast** compilers -- and *careful* ones. 100% of `snake_case` & C# #1.

      Second paragraph with [a link](https://example.org/a_b?x=1&y=2#frag).
    sections:
      - title: Experience
        entries:
          - title: Senior Engineer
            organization: ACME $Corp$
            location: Berlin
            start: 2020-05
            end: present
            note: \\input{/etc/passwd}
            description: Led the {team}.
            bullets:
              - Cut build time by 40% ~ 2*3*4
              - "Wrote ``quotes'' and -- dashes --- and !` ?` ,, << >>"
      - title: Publications
        entries:
          - subsection: Systems
            entries:
              - title: A paper about things
                authors: [A. Smith, José Müller-Ørsted, B. Jones †]
                venue: ICML 2024
                date: 2024
                note: Best Paper
                links: [{label: paper, url: "https://arxiv.org/abs/1234"}, {label: code, url: "https://github.com/x/y"}]
      - title: Skills
        entries:
          - {label: Languages, text: "Python, C++, Rust"}
          - {date: 2019, text: Award of something}
          - A plain bullet
          - text: Free text paragraph.
    """
)

ML = textwrap.dedent(
    """\
    languages: [zh, en]
    name: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}, aliases: [吴侃, K. Wu]}
    headline: {zh: 博士生, en: "Ph.D. candidate"}
    contact: {email: wkcn@live.cn}
    social: {github: wkcn}
    sections:
      - title: {zh: 教育经历, en: Education}
        entries:
          - title: {zh: 中山大学, en: Sun Yat-sen University}
            start: 2018-09
            end: present
            note: {zh: "直博生 “联合培养” — 2×", en: "Ph.D. “joint” — 2× † "}
      - title: 研究成果
        lang: zh
        entries:
          - title: "TinyCLIP: CLIP Distillation"
            authors: [Kan Wu, 吴侃, Houwen Peng]
            date: 2023
    """
)

# Two problems, on lines 2 and 7: both must be reported, each located.
BAD = textwrap.dedent(
    """\
    name: {given: A, family: B}
    contact: {email: 5}
    sections:
      - title: X
        entries:
          - title: T
            start: 2020-13
    """
)

LOCATED = re.compile(
    r"^(?:texcv: error: )?(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<path>[\w.\[\]]+): (?P<message>.+)$"
)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return path


@pytest.fixture
def ml(tmp_path: Path) -> Path:
    path = tmp_path / "ml.yaml"
    path.write_text(ML, encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture, *argv: str | Path) -> tuple[int, str, str]:
    """Run main() in-process; argparse's SystemExit becomes a status like the real program's."""
    capsys.readouterr()
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return status, out, err


def run(*argv: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run texcv as a real program (python -m texcv)."""
    return subprocess.run(
        [sys.executable, "-m", "texcv", *map(str, argv)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def template_family(tmp_path: Path, name: str = "tpl") -> Path:
    """A --template-dir holding a full copy of the moderncv family, ready to be broken."""
    root = tmp_path / name
    shutil.copytree(ROOT / "templates" / "moderncv", root / "moderncv")
    return root


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# --- 0: --version, --help, render ------------------------------------------------------------------


def test_version(capsys):
    status, out, err = cli(capsys, "--version")
    assert status == 0
    assert out.strip() == f"texcv {texcv.__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["render", "--help"], ["build", "--help"]])
def test_help(capsys, argv):
    status, out, err = cli(capsys, *argv)
    assert status == 0
    assert out.startswith("usage: texcv")
    assert "exit status: 0 ok, 1 invalid profile" in out and "70 internal error" in out
    if argv == ["--help"]:
        assert "render" in out and "build" in out
    else:
        assert "--style" in out and "--template-dir" in out


def test_render_stdout(capsys, mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", mini, "-o", "-")
    assert status == 0, err
    assert out.startswith("% Generated by texcv from ")
    assert "\\documentclass" in out and out.rstrip().endswith("\\end{document}")
    assert 'M\\"{u}ller' in out or "Müller" in out
    assert not (tmp_path / "build").exists(), "-o - must write nothing to disk"


def test_render_to_file(capsys, mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, stdout_tex, _ = cli(capsys, "render", mini, "-o", "-")
    target = tmp_path / "deep" / "er" / "cv.tex"
    status, out, err = cli(capsys, "render", mini, "-o", target)
    assert status == 0, err
    assert out == ""
    assert target.read_text(encoding="utf-8") == stdout_tex
    assert f"wrote {target}" in err
    assert not (tmp_path / "build").exists()
    assert [p.name for p in target.parent.iterdir()] == ["cv.tex"], "no temporary files left behind"


def test_render_default_path(capsys, mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "mini.yaml")
    assert status == 0, err
    assert out == ""
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["mini.tex"]
    assert (
        (tmp_path / "build" / "mini.tex").read_text(encoding="utf-8").startswith("% Generated by texcv from mini.yaml.")
    )
    assert "wrote build/mini.tex" in err


def test_render_multilingual_every_language(capsys, ml, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "ml.yaml")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["ml.en.tex", "ml.zh.tex"]
    zh = (tmp_path / "build" / "ml.zh.tex").read_text(encoding="utf-8")
    en = (tmp_path / "build" / "ml.en.tex").read_text(encoding="utf-8")
    assert "博士生" in zh and "Ph.D. candidate" not in zh
    assert "Ph.D. candidate" in en and "博士生" not in en
    assert "研究成果" in zh and "研究成果" not in en, "a lang: zh section appears only in Chinese"
    assert "xeCJK" in zh  # Chinese needs xelatex
    assert "wrote build/ml.zh.tex" in err and "wrote build/ml.en.tex" in err


def test_render_multilingual_one_language(capsys, ml, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "ml.yaml", "--lang", "en")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["ml.en.tex"]
    status, out, err = cli(capsys, "render", "ml.yaml", "--lang", "en", "-o", "-")
    assert status == 0, err
    assert out == (tmp_path / "build" / "ml.en.tex").read_text(encoding="utf-8")
    status, out, err = cli(capsys, "render", "ml.yaml", "--lang", "zh", "-o", "one.tex")
    assert status == 0, err
    assert "博士生" in (tmp_path / "one.tex").read_text(encoding="utf-8")


@pytest.mark.parametrize("output", ["one.tex", "-"])
def test_render_one_file_with_several_languages_is_an_error(capsys, ml, tmp_path, monkeypatch, output):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "ml.yaml", "-o", output)
    assert status == 1
    assert out == "", "must not silently print only the first language"
    assert "several languages" in err and "--lang" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ml.yaml"]


def test_overrides_visible_in_tex(capsys, mini):
    _, default, _ = cli(capsys, "render", mini, "-o", "-")
    assert "\\moderncvstyle{classic}" in default and "\\moderncvcolor{blue}" in default
    assert "\\usepackage[T1]{fontenc}" in default and "fontspec" not in default
    status, out, err = cli(
        capsys, "render", mini, "-o", "-", "--style", "banking", "--color", "burgundy", "--engine", "xelatex"
    )
    assert status == 0, err
    assert "\\moderncvstyle{banking}" in out and "\\moderncvcolor{burgundy}" in out
    assert "\\usepackage{fontspec}" in out and "fontenc" not in out


def test_outputs_honour_umask(capsys, mini, tmp_path):
    old = os.umask(0o022)
    try:
        assert cli(capsys, "render", mini, "-o", tmp_path / "cv.tex")[0] == 0
    finally:
        os.umask(old)
    assert (tmp_path / "cv.tex").stat().st_mode & 0o777 == 0o644


# --- build ------------------------------------------------------------------------------------------


@pytest.mark.tex
def test_build_to_output_dir(capsys, mini, tmp_path):
    out_dir = tmp_path / "out"
    status, out, err = cli(capsys, "build", mini, "-o", out_dir)
    assert status == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["mini.log", "mini.pdf", "mini.tex"]
    assert (out_dir / "mini.pdf").read_bytes().startswith(b"%PDF-")
    assert "Müller-Ørsted" in pdf_text(out_dir / "mini.pdf")
    assert "This is pdfTeX" in (out_dir / "mini.log").read_text(errors="replace")
    assert (out_dir / "mini.tex").read_text(encoding="utf-8") == texcv.build.documents(mini)[0].tex
    assert re.search(rf"wrote {re.escape(str(out_dir / 'mini.pdf'))} \(pdflatex, 1 page\(s\), 1 pass, ", err)


@pytest.mark.tex
def test_build_default_dir(capsys, mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "build", "mini.yaml")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["mini.log", "mini.pdf", "mini.tex"]
    assert "wrote build/mini.pdf" in err


@pytest.mark.tex("xelatex")
def test_build_multilingual(capsys, ml, tmp_path):
    status, out, err = cli(capsys, "build", ml, "-o", tmp_path / "out")
    assert status == 0, err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["ml.en.log", "ml.en.pdf", "ml.en.tex", "ml.zh.log", "ml.zh.pdf", "ml.zh.tex"]
    assert "博士生" in pdf_text(tmp_path / "out" / "ml.zh.pdf")
    assert "Ph.D. candidate" in pdf_text(tmp_path / "out" / "ml.en.pdf")
    assert "XeTeX" in (tmp_path / "out" / "ml.zh.log").read_text(errors="replace")
    status, out, err = cli(capsys, "build", ml, "-o", tmp_path / "en", "--lang", "en")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == ["ml.en.log", "ml.en.pdf", "ml.en.tex"]


@pytest.mark.tex("xelatex")
def test_build_overrides(capsys, mini, tmp_path):
    status, out, err = cli(
        capsys, "build", mini, "-o", tmp_path, "--style", "casual", "--color", "green", "--engine", "xelatex"
    )
    assert status == 0, err
    tex = (tmp_path / "mini.tex").read_text(encoding="utf-8")
    assert "\\moderncvstyle{casual}" in tex and "\\moderncvcolor{green}" in tex and "\\usepackage{fontspec}" in tex
    assert "XeTeX" in (tmp_path / "mini.log").read_text(errors="replace")
    assert "(xelatex," in err


# --- 1: invalid profile -------------------------------------------------------------------------------


def test_invalid_profile_render(capsys, bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "bad.tex"
    target.write_bytes(b"previous output")
    status, out, err = cli(capsys, "render", "bad.yaml", "-o", target)
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    first, second = (LOCATED.match(line) for line in lines)
    assert first and second, err
    assert lines[0].startswith("texcv: error: ")
    assert (first["file"], first["line"], first["col"], first["path"]) == ("bad.yaml", "2", "11", "contact.email")
    assert (second["file"], second["line"], second["path"]) == ("bad.yaml", "7", "sections[0].entries[0].start")
    assert "13" in second["message"]
    assert target.read_bytes() == b"previous output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tex", "bad.yaml"]


def test_invalid_profile_stdout_and_default(capsys, bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "bad.yaml", "-o", "-")
    assert (status, out) == (1, "")
    status, out, err = cli(capsys, "render", "bad.yaml")
    assert status == 1
    assert not (tmp_path / "build" / "bad.tex").exists()


@pytest.mark.parametrize(
    "content, where",
    [
        ("name: [\n", r"bad\.yaml:2:1: "),  # YAML syntax
        ("name: {given: A, family: B}\nsections: 3\n", r"bad\.yaml:2:\d+: sections: "),
        ("name: {given: A, family: B}\nsectoins: []\n", r"bad\.yaml:2:\d+: sectoins: "),
    ],
)
def test_invalid_profile_variants(capsys, tmp_path, monkeypatch, content, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    status, out, err = cli(capsys, "render", "bad.yaml", "-o", "-")
    assert status == 1, err
    assert re.search(rf"^texcv: error: {where}\S", err, re.MULTILINE), err
    assert "Traceback" not in err


def test_missing_profile_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "nope.yaml")
    assert status == 1
    assert "nope.yaml" in err and "Traceback" not in err


@pytest.mark.tex
def test_invalid_profile_build_keeps_previous_output(capsys, mini, bad, tmp_path):
    out_dir = tmp_path / "out"
    assert cli(capsys, "build", mini, "-o", out_dir)[0] == 0
    # The profile becomes invalid: the last good PDF, .tex and .log stay exactly as they were.
    shutil.copyfile(bad, mini)
    before = snapshot(out_dir)
    status, out, err = cli(capsys, "build", mini, "-o", out_dir)
    assert status == 1
    assert "mini.yaml:2:11: contact.email: " in err and "Traceback" not in err
    assert snapshot(out_dir) == before


def test_build_several_profiles_one_invalid_no_tex(capsys, bad, mini, tmp_path, monkeypatch):
    """Without TeX: an invalid profile first, then a valid one that fails for lack of TeX."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    status, out, err = cli(capsys, "build", bad, mini, "-o", tmp_path / "out")
    assert status == 1, "the first failure's status is reported"
    assert "bad.yaml:2:11" in err and "pdflatex is not installed" in err, "the second profile was still tried"


@pytest.mark.tex
def test_build_several_profiles_one_invalid(capsys, bad, mini, tmp_path):
    missing = tmp_path / "missing.yaml"
    status, out, err = cli(capsys, "build", bad, missing, mini, "-o", tmp_path / "out")
    assert status == 1
    assert (tmp_path / "out" / "mini.pdf").read_bytes().startswith(b"%PDF-"), "a bad profile does not stop the others"
    assert not (tmp_path / "out" / "bad.pdf").exists()
    assert "bad.yaml:2:11" in err and "missing.yaml" in err
    assert err.index("bad.yaml") < err.index("missing.yaml") < err.index("wrote")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv, expected_status, culprit",
    [
        (["render", "mini.yaml", "-o", "adir"], 1, "adir: Is a directory"),
        (["render", "mini.yaml", "-o", "afile/x.tex"], 1, "afile"),
        (["build", "mini.yaml", "-o", "afile"], 2, "--output-dir: expected a directory for the PDFs; afile is a file"),
    ],
)
def test_unwritable_output_is_a_user_error(capsys, mini, tmp_path, monkeypatch, argv, expected_status, culprit):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_bytes(b"keep")
    status, out, err = cli(capsys, *argv)
    assert status == expected_status, err
    assert culprit in err and err.count("error: ") == 1
    assert "Traceback" not in err
    assert list((tmp_path / "adir").iterdir()) == [] and (tmp_path / "afile").read_bytes() == b"keep"


# --- 2: usage errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "required"),
        (["frob"], "invalid choice: 'frob'"),
        (["render"], "required: PROFILE"),
        (["build"], "required: PROFILE"),
        (["build", "x.yaml", "--engine", "tex"], "argument --engine: invalid choice: 'tex'"),
        (["render", "x.yaml", "--bogus-flag"], "unrecognized arguments: --bogus-flag"),
    ],
)
def test_usage_errors(capsys, argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, *argv)
    assert status == 2
    assert "usage: texcv" in err and message in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_language_is_a_usage_error(capsys, ml, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", "ml.yaml", "--lang", "fr")
    assert status == 2
    assert "--lang fr" in err and "zh, en" in err and "Traceback" not in err
    assert not (tmp_path / "build").exists()


# --- 3: TeX failed ----------------------------------------------------------------------------------


@pytest.mark.tex
def test_tex_failure_keeps_previous_pdf(capsys, mini, tmp_path):
    out_dir = tmp_path / "out"
    assert cli(capsys, "build", mini, "-o", out_dir)[0] == 0
    good = snapshot(out_dir)
    templates = template_family(tmp_path)
    main_template = templates / "moderncv" / "cv.tex.j2"
    source = main_template.read_text(encoding="utf-8")
    assert "\\begin{document}\n" in source
    main_template.write_text(
        source.replace("\\begin{document}\n", "\\begin{document}\n\\undefinedmacro\n", 1), encoding="utf-8"
    )

    status, out, err = cli(capsys, "build", mini, "-o", out_dir, "--template-dir", templates)
    assert status == 3, err
    assert "Traceback" not in err
    failed = out_dir / "mini.failed.tex"
    line = failed.read_text(encoding="utf-8").splitlines().index("\\undefinedmacro") + 1
    assert "pdflatex failed: Undefined control sequence" in err
    assert f"at cv.tex line {line}:" in err
    assert re.search(rf"^\s*>\s+{line} \| \\undefinedmacro$", err, re.MULTILINE), err
    assert f"full log: {out_dir / 'mini.log'}" in err
    assert "Undefined control sequence" in (out_dir / "mini.log").read_text(errors="replace")
    # The last good PDF and .tex are untouched; only the log is the failed run's.
    assert (out_dir / "mini.pdf").read_bytes() == good["mini.pdf"]
    assert (out_dir / "mini.tex").read_bytes() == good["mini.tex"]
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")], "no temporary files left behind"


# --- 4: TeX missing ---------------------------------------------------------------------------------


def test_tex_missing(capsys, mini, tmp_path, monkeypatch):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("pdflatex") is None
    status, out, err = cli(capsys, "build", mini, "-o", tmp_path / "out")
    assert status == 4
    assert "pdflatex is not installed" in err
    assert "apt-get install texlive-latex-extra" in err
    assert "texlive-xetex" in err and "texlive-lang-chinese" in err and "fonts-noto-cjk" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "mini.pdf").exists()
    # render needs no TeX
    assert cli(capsys, "render", mini, "-o", "-")[0] == 0


def test_tex_missing_xelatex(capsys, mini, tmp_path, monkeypatch):
    import texcv.process

    real_which = shutil.which
    monkeypatch.setattr(
        texcv.process.shutil, "which", lambda name, *a, **k: None if name == "xelatex" else real_which(name, *a, **k)
    )
    status, out, err = cli(capsys, "build", mini, "-o", tmp_path / "out", "--engine", "xelatex")
    assert status == 4
    assert "xelatex is not installed" in err and "apt-get install texlive-xetex" in err


# --- 5: template error ------------------------------------------------------------------------------


def test_template_syntax_error(capsys, mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    templates = template_family(tmp_path)
    header = templates / "moderncv" / "header.tex.j2"
    lines = header.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "((* for x in *))")  # line 3
    header.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "cv.tex"
    target.write_bytes(b"previous output")
    for argv in (["render", mini, "-o", target], ["build", mini, "-o", tmp_path / "out"]):
        status, out, err = cli(capsys, *argv, "--template-dir", templates)
        assert status == 5, err
        assert f"{header}:3: template syntax error" in err
        assert "Traceback" not in err
    assert target.read_bytes() == b"previous output"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def _section_starting_with(line, capsys, mini, tmp_path):
    """Render with a copy of the family whose section template starts with `line`: a template error."""
    templates = template_family(tmp_path)
    section = templates / "moderncv" / "section.tex.j2"
    section.write_text(line + "\n" + section.read_text(encoding="utf-8"), encoding="utf-8")
    status, out, err = cli(capsys, "render", mini, "-o", "-", "--template-dir", templates)
    assert status == 5, err
    assert out == "" and "Traceback" not in err
    return err


def test_template_undefined_value(capsys, mini, tmp_path):
    _section_starting_with("((( cv.no_such_field )))", capsys, mini, tmp_path)


def test_template_undefined_value_is_located(capsys, mini, tmp_path):
    err = _section_starting_with("((( cv.no_such_field )))", capsys, mini, tmp_path)
    assert "section.tex.j2:1: template used an undefined value" in err and "no_such_field" in err


def test_template_cannot_reach_python_internals(capsys, mini, tmp_path):
    """Templates run in Jinja's sandbox: the classic escape through __class__ is a template error."""
    err = _section_starting_with("((( cv.__class__.__mro__[1].__subclasses__()|length )))", capsys, mini, tmp_path)
    assert "section.tex.j2:1: template tried something the sandbox forbids" in err


# --- 70: internal error -----------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("boom: a texcv bug")


@pytest.mark.parametrize("command", ["render", "build"])
def test_internal_error_shows_traceback(capsys, mini, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(texcv.build, "documents", _boom)
    monkeypatch.setattr(texcv.build, "build", _boom)
    status, out, err = cli(capsys, command, mini)
    assert status == 70
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom: a texcv bug" in err
    assert "_boom" in err


def test_internal_texcv_error_is_not_a_user_error(capsys, mini, monkeypatch):
    from texcv.errors import TexcvError

    def raise_internal(*args, **kwargs):
        raise TexcvError("an internal inconsistency")

    monkeypatch.setattr(texcv.build, "documents", raise_internal)
    status, out, err = cli(capsys, "render", mini, "-o", "-")
    assert status == 70
    assert "Traceback" in err and "TexcvError: an internal inconsistency" in err


# --- as a real program -------------------------------------------------------------------------------


def test_subprocess_statuses(mini, bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"texcv {texcv.__version__}")
    result = run("render", "mini.yaml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == texcv.build.documents("mini.yaml")[0].tex
    result = run("render", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("texcv: error: bad.yaml:2:11: contact.email: ") and "Traceback" not in result.stderr
    result = run("frob", cwd=tmp_path)
    assert result.returncode == 2 and "invalid choice" in result.stderr
    env = dict(os.environ, PATH=str(tmp_path / "no-such-dir"))
    result = run("build", "mini.yaml", cwd=tmp_path, env=env)
    assert result.returncode == 4 and "apt-get install" in result.stderr


def test_subprocess_internal_error(mini, tmp_path):
    script = (
        "import sys, texcv.build\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "texcv.build.documents = boom\n"
        "from texcv.cli import main\n"
        "sys.exit(main(['render', 'mini.yaml']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 70, result.stderr
    assert "Traceback (most recent call last)" in result.stderr and "RuntimeError: boom" in result.stderr


@pytest.mark.tex
def test_subprocess_build(mini, tmp_path):
    result = run("build", "mini.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "mini.pdf").read_bytes().startswith(b"%PDF-")
    assert result.stdout == ""
