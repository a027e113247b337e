"""Reading TeX's log (texlog.py): lines set badly and font shapes replaced are reported as a reader
sees them, at the profile field that holds their text."""

from __future__ import annotations

from pathlib import Path

from texcv import texlog
from texcv.build import _layout_warnings, documents

LOG = r"""
Overfull \hbox (12.34pt too wide) in paragraph at lines 120--121
[]\T1/lmss/m/n/10.95 Designed the Pneumonoultramicroscopicsilicovolcanoconiosis detector for
Overfull \hbox (0.5pt too wide) in paragraph at lines 130--130
[]\T1/lmss/m/n/10.95 a hair too wide, invisible in print
Underfull \hbox (badness 10000) in paragraph at lines 140--140
[]|[]\T1/lmss/b/n/10.95 Led the migration of every service to the new cluster
Underfull \hbox (badness 1107) in paragraph at lines 150--150
[]\T1/lmss/m/n/10.95 slightly loose, as ragged text often is
Underfull \hbox (badness 10000) in paragraph at lines 160--160

LaTeX Font Warning: Font shape `TU/NotoSansCJKSC(0)/m/sl' undefined
(Font)              using `TU/NotoSansCJKSC(0)/m/n' instead on input line 44.
LaTeX Font Info:    Font shape `T1/lmss/b/n' in size <9.5> not available
(Font)              Font shape `T1/lmss/bx/n' tried instead on input line 134.
"""


def test_visible_defects_are_found_with_their_text_and_invisible_ones_are_not() -> None:
    assert texlog.layout_defects(LOG) == [
        texlog.LayoutDefect(
            "runs 12.3 pt into the margin", "Designed the Pneumonoultramicroscopicsilicovolcanoconiosis detector for"
        ),
        texlog.LayoutDefect(
            "is set with wide gaps between its words", "Led the migration of every service to the new cluster"
        ),
    ]
    # a replaced shape a reader would see (slanted CJK set upright), not LaTeX's bold-extended info
    assert texlog.substituted_shapes(LOG) == [
        "font shape TU/NotoSansCJKSC(0)/m/sl does not exist: TU/NotoSansCJKSC(0)/m/n was used"
    ]


def test_a_badly_set_line_is_reported_at_the_field_that_holds_it(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        "name: Ada\nsections:\n  - title: Work\n    entries:\n"
        "      - title: Engineer\n        bullets:\n"
        "          - Led the migration of every service to the new cluster in a week\n",
        encoding="utf-8",
    )
    (doc,) = documents(profile)
    (overfull, underfull) = _layout_warnings(doc, LOG)
    assert overfull.startswith("a line runs 12.3 pt into the margin: “Designed the")  # in no field: no place
    assert underfull.startswith(f"{profile}:7:13: sections[0].entries[0].bullets[0]: a line is set with wide gaps")
