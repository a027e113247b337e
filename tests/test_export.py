"""`texcv export --format markdown|text`: the same profile for web pages and hiring-system forms,
from the same localized view as the PDF (src/texcv/export/prose.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import ROOT
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from texcv.cli import main
from texcv.export.prose import Markdown, PlainText
from texcv.markup import plain

EXAMPLE = ROOT / "profiles" / "example.yaml"


def export(capsys: pytest.CaptureFixture, *args: str) -> str:
    assert main(["export", *args, "-o", "-"]) == 0
    return capsys.readouterr().out


def test_markdown_has_every_entry_kind(capsys: pytest.CaptureFixture) -> None:
    md = export(capsys, str(EXAMPLE), "--lang", "en")
    assert md.startswith("# Ada María Ferreira-Łukasik\n\nResearch Software Engineer — compilers & numerical methods\n")
    for expected in (
        "[ada@example.org](mailto:ada@example.org)",
        "GitHub: [ada_ferreira](https://github.com/ada_ferreira)",
        "## Summary\n\nI design **compilers** for scientific code and make them *fast* and *correct*",  # markup kept
        (
            "### Senior Research Engineer, Example Labs\n\nMar. 2021 – present · Berlin · Team lead (6 people)\n\n"
            "Compiler team for the `tilefuse` project"
        ),
        (
            "- Cut build time of the simulation suite by 40% with a new tiling pass.\n- Mentored 4 interns"
        ),  # bullets, one tight list
        "[project](https://github.com/example/tilefuse)",  # links
        "### Conference papers\n\n- **Tiling Irregular Loops Without Tears** (Jun. 2023)\\\n"
        "  **Ada María Ferreira-Łukasik**, Jun Park, Marta Słowik †\\\n"
        "  *PLDI 2023*, **Distinguished Paper Award**\\\n"
        "  [paper](https://example.org/papers/tiling.pdf) [code](https://github.com/example/tilefuse)",
        "Jun Park, **A. Ferreira**, Li Wei",  # the owner found by alias
        "  Short note: a *negative* result on `--fast-math` semantics.",  # a publication's description
        "- **Languages**: C++, Python, Rust, OCaml\n- **Tools**",  # items
        "- **2023**: PLDI Distinguished Paper Award\n- **2017 – 2020**: Doctoral fellowship",  # dated
        "## About this CV\n\nTypeset with texcv from one YAML file",  # text, in one language only
    ):
        assert expected in md, expected
    assert "Berufserfahrung" not in md


def test_plain_text_drops_markup_and_keeps_addresses(capsys: pytest.CaptureFixture) -> None:
    text = export(capsys, str(EXAMPLE), "--lang", "de", "--format", "text")
    assert text.startswith("Ada María Ferreira-Łukasik\n==========================\n")
    assert "Berufserfahrung\n===============\n\nLeitende Forschungsingenieurin, Example Labs\n----" in text
    assert "März 2021 – heute · Berlin" in text  # German dates
    assert "Ich entwickle Compiler für wissenschaftlichen Code und mache sie schnell und korrekt." in text
    assert "paper (https://example.org/papers/tiling.pdf) code (https://github.com/example/tilefuse)" in text
    assert "ada@example.org ·" in text and "mailto" not in text
    assert "About this CV" not in text
    assert not any(marker in text for marker in ("**", "`", "](")), "markup left in plain text"


def test_one_file_per_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(EXAMPLE)]) == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["example.de.md", "example.en.md"]
    assert (tmp_path / "build" / "example.de.md").read_text("utf-8").startswith("# Ada")
    assert main(["export", str(EXAMPLE), "-f", "text", "-o", "cv.txt"]) == 1
    assert "choose one with --lang" in capsys.readouterr().err
    assert main(["export", str(EXAMPLE), "-f", "text", "--lang", "de", "-o", "out/cv.txt"]) == 0
    assert (tmp_path / "out" / "cv.txt").read_text("utf-8").startswith("Ada María")


def test_tailoring_options_apply(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        textwrap.dedent(
            """\
        name: 吴侃
        sections:
          - title: 研究成果
            entries:
              - 我们的模型达到了**84.8%**的准确率
              - {text: 只在学术版本, tags: [academic]}
        """
        ),
        "utf-8",
    )
    md = export(capsys, str(profile), "--skip", "academic")
    assert md.startswith("# 吴侃\n\n## 研究成果\n\n")
    # CommonMark would print the stars of **84.8%**的; HTML tags say the same and always work.
    assert "- 我们的模型达到了<strong>84.8%</strong>的准确率\n" in md and "只在学术版本" not in md


def test_invalid_profile_is_reported_like_build(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\nheadlin: typo\n")
    assert main(["export", str(profile)]) == 1
    assert "cv.yaml:2:1: headlin: unknown key" in capsys.readouterr().err


# --- Markdown shows what the PDF shows ----------------------------------------------------------

_COMMONMARK = MarkdownIt("commonmark")


def _visible(markdown: str) -> str:
    """The text a CommonMark renderer shows for one line of Markdown."""
    tokens = _COMMONMARK.parse(markdown)
    inline = [t for t in tokens if t.type == "inline"]
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], (
        markdown
    )  # no heading, list, quote …
    return "".join(c.content for c in inline[0].children if c.type in ("text", "code_inline"))


@given(st.text(alphabet="ab 1.*_`[]()<>#&;!\\-+=|~:/é吴\n", min_size=1, max_size=24).filter(lambda t: plain(t)))
@example("1` `")  # found by Hypothesis: a code span of one space ends the field
def test_markdown_shows_the_same_text_as_the_pdf(text: str) -> None:
    assert _visible(Markdown().inline(text)) == plain(text)


@pytest.mark.parametrize(
    "text",
    [
        "2*3*4 snake_case",
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "<b>not html</b>",
        "&amp; stays",
        "**84.8%**的",
        "see https://example.org/a_b.",
        "`a``b`",
        "[link **bold**](https://x.org) after",
        "\\*literal\\*",
    ],
)
def test_markdown_examples(text: str) -> None:
    assert _visible(Markdown().inline(text)) == plain(text)


@pytest.mark.parametrize(
    ("text", "shown"), [("1` `", "1"), ("` `1", "1"), ("1 ` ` ` `", "1"), ("` a`", "a"), ("a` `b", "a b")]
)
def test_spaces_at_a_fields_edges_show_nowhere_even_in_code(text: str, shown: str) -> None:
    assert _visible(Markdown().inline(text)) == PlainText().inline(text) == plain(text) == shown


def test_plain_text_inline() -> None:
    assert (
        PlainText().inline("**bold** [site](https://x.org) and `code` https://y.org")
        == "bold site (https://x.org) and code https://y.org"
    )
