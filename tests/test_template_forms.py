"""Jinja's macro, call/caller and block set in custom templates: what they make is LaTeX already,
printed as it is (the values inside escaped once), with no trace of texcv's line-origin tags; and a
line that starts with text keeps its line break when it ends with a tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ITEM, pdf_text, piece, template_profile

from texcv.build import build

# MINI's skill entry: label "Languages", text "Python, C++, Rust".
FORMS = {
    "macro": (
        """\
        ((* macro row(label, text) *))
        \\cvitem{((( label )))}{\\textbf{((( text )))} \\& more}
        ((* endmacro *))
        ((( row(entry.label, entry.text ~ " & co") )))
        """,
        "\\cvitem{Languages}{\\textbf{Python, C++, Rust \\& co} \\& more}",
        "Python, C++, Rust & co & more",
    ),
    "call": (
        """\
        ((* macro framed(label) *))\\cvitem{((( label )))}{\\emph{((( caller() )))}}((* endmacro *))
        ((* call framed(entry.label) *))((( entry.text ))) \\& 100\\%((* endcall *))

        """,
        "\\cvitem{Languages}{\\emph{Python, C++, Rust \\& 100\\%}}",
        "Python, C++, Rust & 100%",
    ),
    "set": (
        """\
        ((* set cell *))
        \\textit{((( entry.label )))} \\& ((( entry.text )))
        ((* endset *))
        \\cvitem{}{((( cell )))}
        """,
        "\\cvitem{}{\\textit{Languages} \\& Python, C++, Rust\n}",
        "Languages & Python, C++, Rust",
    ),
    "par": (
        """\
        \\cvitem{((( entry.label )))}{((( entry.text )))}
        ((* if entry.text *))
        \\vspace{2pt}\\par((* endif *))
        \\cvitem{}{after}
        """,
        "\\vspace{2pt}\\par\n\\cvitem{}{after}",
        "after",
    ),
}


@pytest.mark.tex
@pytest.mark.parametrize("form", FORMS)
def test_template_form_prints_latex_once_and_builds(form: str, tmp_path: Path):
    text, expected_tex, expected_pdf = FORMS[form]
    cv = template_profile(tmp_path)
    piece(cv.parent / "templates", ITEM, text)
    (built,) = build(cv, tmp_path / "out")
    tex = built.tex.read_text(encoding="utf-8")
    assert expected_tex in tex
    assert "tex.j2" not in tex and "\x01" not in tex
    pdf = " ".join(pdf_text(built.pdf).split())
    assert expected_pdf in pdf and "tex.j2" not in pdf
