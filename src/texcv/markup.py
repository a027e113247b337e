"""Inline markdown in profile text: **bold**, *italic* / _italic_, `code`, [text](url).

Everything else is literal text. markdown-it-py is imported only when a string contains a marker
character, so plain profiles never pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .escape import PARAGRAPH, Latex, clean, escape, guard_edges, paragraphs, url

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
        return Latex(PARAGRAPH.join(guard_edges(_inline(p)) for p in paragraphs(text)))
    return Latex(guard_edges(_inline(text)))


# A bare address in text becomes a \url: clickable, and breakable at / and . where a long line needs
# it. Only characters \url shows as typed belong to it; trailing punctuation is the sentence's.
_BARE_URL = re.compile(r"\bhttps?://[\w:/?#@!&'()*+,;=%\-.~]*[\w/#=~-]", re.ASCII)
# CommonMark only closes **84.8%** before a space or punctuation, so it would print the stars in
# "**84.8%**的" (and only opens before “ after a space). Where a delimiter run has punctuation on its
# inner side and CJK on its outer side, a space character (U+205F, removed again from the output)
# goes between the run and the CJK. Inner and outer are told by counting: odd runs open, even close.
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")
_RUN = re.compile(r"[*_]+")
_SEPARATOR = "\u205f"


def _separate_cjk_runs(text: str) -> str:
    if not _CJK.search(text):
        return text
    seen: dict[str, int] = {}

    def punct(c: str) -> bool:
        return bool(c) and not c.isspace() and not (c.isalnum() or c == "_")

    def fix(match: re.Match) -> str:
        run, before, after = match.group(), text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        seen[run] = seen.get(run, 0) + 1
        opening = seen[run] % 2 == 1
        if opening and _CJK.match(before or " ") and punct(after):
            return _SEPARATOR + run
        if not opening and _CJK.match(after or " ") and punct(before):
            return run + _SEPARATOR
        return run

    return _RUN.sub(fix, text)


def _inline(text: str) -> str:
    """One paragraph as LaTeX, from the same span stream the Markdown and text writers read."""
    out = []
    for kind, value in spans(text):
        if kind == "text":
            out.append(escape(value, strip=False))
        elif kind == "url":  # a bare address: clickable, and breakable where a long line needs it
            out.append(r"\url{" + str(url(value, shown=True)) + "}")
        elif kind == "code":
            out.append(r"\texttt{" + escape(value, strip=False) + "}")
        elif kind == "link":
            out.append(r"\href{" + str(url(value)) + "}{")
        elif kind == "end":
            out.append("}")
        else:
            out.append(_OPENS[kind])
    return "".join(out)


_OPENS = {"strong": r"\textbf{", "em": r"\emph{"}


def _parse(text: str) -> list[Any]:
    # Clean first, as escape() does for marker-free text: markdown-it would turn NUL into U+FFFD
    # (printed as �) and newlines into softbreak tokens that plain() dropped ("a\nb" → "ab").
    text = _INTRAWORD_STAR.sub(r"\\*", clean(text))
    text = _separate_cjk_runs(text)
    return _trim_edges(_parser().parseInline(text)[0].children or [])


_CONTENT = ("text", "code_inline")


def _trim_edges(tokens: list[Any]) -> list[Any]:
    """A field shows no space at its start or end in any output, as marker-free text does: CommonMark
    keeps "1` `" as 1 and a code span of one space, and that space would print in LaTeX and Markdown
    but not in plain text. Spaces at the edges go, even inside a code span; emptied spans go too."""
    content = [token for token in tokens if token.type in _CONTENT]
    for token in content:
        token.content = token.content.lstrip()
        if token.content:
            break
    for token in reversed(content):
        token.content = token.content.rstrip()
        if token.content:
            break
    return [token for token in tokens if token.content or token.type not in _CONTENT]


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "escape"])
    md.validateLink = lambda url: url.lower().startswith(LINK_SCHEMES)  # type: ignore[method-assign]
    return md


def plain(text: str) -> str:
    """The text a reader sees, markers removed (for matching names and PDF metadata)."""
    if not _MARKERS.search(text):
        return clean(text)  # what escape() prints: controls dropped, whitespace collapsed
    visible = "".join(t.content for t in _parse(text) if t.type in _CONTENT)
    return visible.replace(_SEPARATOR, "")


def spans(text: str) -> list[tuple[str, str]]:
    """One paragraph for outputs other than LaTeX (Markdown, plain text), read as to_latex reads it:
    (kind, value) pairs where kind is text, url (a bare address), code, strong, em or link (value:
    its address) opening a span, or end closing the innermost open span."""
    if not _MARKERS.search(text):
        return _with_urls(clean(text))
    out: list[tuple[str, str]] = []
    in_link = False
    for token in _parse(text):
        kind, content = token.type, token.content.replace(_SEPARATOR, "")
        in_link = (in_link or kind == "link_open") and kind != "link_close"
        if kind == "text":
            out += [("text", content)] if in_link else _with_urls(content)
        elif kind == "code_inline":
            out.append(("code", content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(("text", " "))
        elif kind.endswith("_close"):
            out.append(("end", ""))
        else:  # strong_open, em_open, link_open: the parser is configured to produce nothing else
            out.append((kind.removesuffix("_open"), token.attrs.get("href", "")))
    return [(kind, value) for kind, value in out if value or kind not in ("text", "url")]


def _with_urls(text: str) -> list[tuple[str, str]]:
    out, last = [], 0
    for match in _BARE_URL.finditer(text):
        out += [("text", text[last : match.start()]), ("url", match.group())]
        last = match.end()
    return out + [("text", text[last:])]
