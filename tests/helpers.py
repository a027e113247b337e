"""What several test modules share: paths, the CLI run in-process and as a program, sample
profiles, reading a PDF's text, and the latex2text oracle for escape(). Fixtures are in conftest.py."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import textwrap
import time
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from texcv.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "profiles"


def pdf_lines(pdf: Path) -> list[str]:
    """pdftotext's lines, in its reading order."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [line.strip() for line in out.splitlines()]


def pdf_text(pdf: Path) -> str:
    """What a hiring system reads: pdftotext's output, whitespace-normalised."""
    return " ".join(" ".join(pdf_lines(pdf)).split())


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` holds within `seconds` (checked every 50 ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def words_on_pages(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float, float, float]]]]:
    """Per page: its width, height and words with their boxes (xMin, yMin, xMax, yMax), from pdftotext."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.DOTALL):
        found = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page.group(3)
        )
        pages.append((float(page.group(1)), float(page.group(2)), [(w[4], *map(float, w[:4])) for w in found]))
    return pages


def pdf_uris(pdf: Path) -> set[str]:
    """Link targets written into the PDF (also inside compressed object streams)."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompressobj().decompress(data[match.end() :]))
    found = (m for chunk in chunks for m in re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", chunk))
    return {re.sub(rb"\\(.)", rb"\1", m).decode("latin-1") for m in found}


# --- the command line ----------------------------------------------------------------------------

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


# --- templates --------------------------------------------------------------------------------------

# A profile with the characters and shapes that stress a style: accents, specials, markup, links.
STYLED_PROFILE = """\
name: {given: Zoë, family: Çelik-Nørgaard}
headline: Engineer — "systems" & tools
contact: {email: zoe_c@example.org, phone: "+1 202-555-0143", homepage: "https://example.org/~zoe"}
social: {github: zoe_c, orcid: 0000-0002-1825-0097}
summary: Builds **things** that last.
sections:
  - title: Experience
    entries:
      - {title: Engineer, organization: ACME & Co., location: Oslo, start: 2020-01, end: present,
        bullets: [Shipped 100% of it]}
      - {label: Skills, text: "C#, C++, snake_case"}
"""


ITEM = "moderncv/entries/item.tex.j2"


def piece(root: Path, name: str, text: str) -> Path:
    file = root / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text), encoding="utf-8")
    return file


def template_profile(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "project" / "cv.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINI + extra, encoding="utf-8")
    return path


# --- the latex2text oracle for escape() ------------------------------------------------------------

FUZZ = settings(max_examples=300, derandomize=True, deadline=None)

# --- the latex2text oracle ---------------------------------------------------------------------


class _KernArgs(macrospec.MacroStandardArgsParser):
    r"""`\kern0pt ` : the dimension and the one optional space TeX reads after it."""

    def __init__(self) -> None:
        super().__init__(argspec="")

    def parse_args(self, w, pos, parsing_state=None):
        assert w.s.startswith("0pt", pos), f"\\kern with an unexpected dimension: {w.s[pos : pos + 10]!r}"
        length = 4 if w.s.startswith("0pt ", pos) else 3
        return macrospec.ParsedMacroArgs(argspec="", argnlist=[]), pos, length


def _last_arg(node, l2tobj) -> str:
    return l2tobj.nodelist_to_text([node.nodeargd.argnlist[-1]])


_WALKER_DB = latexwalker.get_default_latex_context_db()
_WALKER_DB.add_context_category(
    "texcv",
    prepend=True,
    macros=[
        macrospec.MacroSpec("kern", args_parser=_KernArgs()),
        macrospec.MacroSpec("href", "{{"),
        macrospec.MacroSpec("discretionary", "{{{"),
    ],
)
_TEXT_DB = get_default_latex_context_db()
_TEXT_DB.add_context_category(
    "texcv",
    prepend=True,
    macros=[
        *(
            MacroTextSpec(name, text)
            for name, text in {
                "textless": "<",
                "textgreater": ">",
                "textbar": "|",
                "textquotedbl": '"',
                "textquoteright": "\u2019",
                "textasciigrave": "`",
                "textasciicircum": "^",
                "textasciitilde": "~",
                "textbackslash": "\\",
                "kern": "",
                "discretionary": "",
                "texcvpar": "\n\n",
            }.items()
        ),
        *(MacroTextSpec(name, _last_arg) for name in ("textbf", "emph", "texttt", "href")),
    ],
)
_L2T = LatexNodes2Text(latex_context=_TEXT_DB, strict_latex_spaces=True)


def latex_to_text(source: str) -> str:
    """The text a reader sees in `source` (strict parsing: malformed LaTeX raises)."""
    nodes, _, _ = latexwalker.LatexWalker(source, latex_context=_WALKER_DB, tolerant_parsing=False).get_latex_nodes()
    return _L2T.nodelist_to_text(nodes)


_UNSETTABLE = ("Cc", "Cs", "Co", "Cn")


def expected(text: str) -> str:
    """The documented normalisations, written independently of escape.clean()."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if c in "\t\n\v\f\r" or unicodedata.category(c) not in _UNSETTABLE)
    return re.sub(r"[^\S\xa0]+", " ", text).strip().replace("'", "\u2019")  # a no-break space stays one


# Everything escape() may emit that contains a TeX special character.
EMITTED = re.compile(
    r"\\textbackslash\{\}|\\[{}$&#%_]|\\kern0pt(?: |\{\})|\\texcvpar |\\discretionary\{\}\{\}\{\}|(?<!\\)~"
    r"|\\text(?:asciitilde|asciicircum|less|greater|bar|quotedbl|quoteright|asciigrave)\{\}"
)
RAW_SPECIAL = re.compile(r"""[#$%&_^~\\{}<>|"'`]""")


def assert_safe(out: str) -> None:
    """No line break, balanced braces, no special character outside the emitted macros, no
    ligature pair."""
    assert all(c == " " for c in out if c.isspace()), out
    depth = 0
    for c in re.sub(r"\\[{}]", "", out):
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0, out
    assert depth == 0, out
    rest = EMITTED.sub("", out)
    assert not RAW_SPECIAL.search(rest), (out, rest)
    for pair in ("--", ",,", r"\textless{}\textless{}", r"\textgreater{}\textgreater{}"):
        assert pair not in out, (pair, out)
