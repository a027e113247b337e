"""Inline markdown in profile text: **bold**, *italic* / _italic_, `code`, [text](url).

Everything else is literal text. markdown-it-py is imported only when a string contains a marker
character, so plain profiles never pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .escape import PARAGRAPH, Latex, clean, escape, paragraphs, url

_MARKERS = re.compile(r"[*_`\[\\]")
# CommonMark reads 2*3*4 as 2<em>3</em>4; a star between two letters or digits is literal here.
_INTRAWORD_STAR = re.compile(r"(?<=[^\W_])\*(?=[^\W_])")
LINK_SCHEMES = ("http://", "https://", "mailto:")


class Inline(str):
    """Profile text whose inline markdown is rendered (one paragraph)."""

    __slots__ = ()


class Block(Inline):
    """Profile text that may hold several paragraphs separated by blank lines."""

    __slots__ = ()


def to_latex(text: str) -> Latex:
    if isinstance(text, Block):
        return Latex(PARAGRAPH.join(_inline(p) for p in paragraphs(text)))
    return Latex(_inline(text))


def _inline(text: str) -> str:
    if not _MARKERS.search(text):
        return escape(text)
    return _tokens_to_latex(_parse(text))


def _parse(text: str) -> list[Any]:
    # Clean first, as escape() does for marker-free text: markdown-it would turn NUL into U+FFFD
    # (printed as �) and newlines into softbreak tokens that plain() dropped ("a\nb" → "ab").
    text = clean(text)
    return _parser().parseInline(_INTRAWORD_STAR.sub(r"\\*", text))[0].children or []


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "escape"])
    md.validateLink = lambda link: link.lower().startswith(LINK_SCHEMES)
    return md


def _tokens_to_latex(tokens: list[Any]) -> str:
    out: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "text":
            out.append(escape(token.content, strip=False))
        elif kind == "code_inline":
            out.append(r"\texttt{" + escape(token.content, strip=False) + "}")
        elif kind in ("strong_open", "em_open"):
            out.append(r"\textbf{" if kind == "strong_open" else r"\emph{")
        elif kind in ("strong_close", "em_close", "link_close"):
            out.append("}")
        elif kind == "link_open":
            out.append(r"\href{" + str(url(token.attrs["href"])) + "}{")
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        else:  # the parser is configured to produce nothing else
            raise AssertionError(f"unexpected markdown token {kind!r}")
    return "".join(out).strip()


def plain(text: str) -> str:
    """The text a reader sees, markers removed (for matching names and PDF metadata)."""
    if not _MARKERS.search(text):
        return clean(text)  # what escape() prints: controls dropped, whitespace collapsed
    return "".join(t.content for t in _parse(text) if t.type in ("text", "code_inline")).strip()
