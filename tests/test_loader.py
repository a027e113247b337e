"""The loader's fast path (libyaml scans and parses) reads every profile exactly as PyYAML's Python
parser does, and anything either rejects gets the Python parser's messages."""

from __future__ import annotations

import pytest
from helpers import PROFILES

from texcv import loader
from texcv.errors import ProfileError

TRICKY = [
    "name: Ada\nheadline: 'quoted: yes'\nsections: []\n",
    'name: "Zoë \\u00e9"\nbio: |\n  two\n  lines\n\nextra: >\n  folded\n  text\n',
    "a: [1, 2.5, true, null, 2019-05, ~]\nb: {c: {d: [x, {e: f}]}}\n",
    "# comment only before\nname: 吴侃  # trailing comment\n",
    'name: "\\u2028A"\nb: a\u2028c\nd: e\x85f\ng: |\n  h\u2029i\n',  # Unicode line breaks
]
BROKEN = [
    "name: Ada\n\tsections: []\n",  # tab indentation
    "name: 'unclosed\n",
    "a: &x 1\nb: *x\n",  # anchors and aliases are refused
    "a: [1, 2\n",
    "a: 1\na: 2\n",  # duplicate key
    "a: !!python/object:os.system x\n",
    "a: \x07bell\n",  # a control character
]


def _python_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_FastComposeLoader", loader._ComposeLoader)


def _read(text: str) -> tuple:
    try:
        doc = loader.parse(text, "p.yaml")
    except ProfileError as exc:
        return ("error", str(exc))
    return (doc.data, doc.marks)


@pytest.mark.parametrize(
    "text", [*(p.read_text(encoding="utf-8") for p in sorted(PROFILES.glob("*.yaml"))), *TRICKY, *BROKEN]
)
def test_fast_path_reads_like_the_python_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _read(text)
    _python_only(monkeypatch)
    assert fast == _read(text)


def test_fast_path_is_libyaml() -> None:
    assert loader._FastComposeLoader is not loader._ComposeLoader  # PyYAML wheels ship libyaml
