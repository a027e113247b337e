"""One language's view of a profile as one self-contained HTML page: the walk of prose.py over the
same view, with HTML block structure (h1 name, h2 sections, lists and definition lists for entries)
and one escaping function for every string, as the LaTeX writer has one for TeX.

The page needs no script and loads nothing: its CSS is inline, with a print stylesheet for A4.
The design's colour and type family carry over. A link is only ever an http(s) or mailto address.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

from ..engine import direction
from ..escape import clean
from ..images import kind_of
from ..markup import LINK_SCHEMES, spans
from .prose import Markdown, _Writer


def escape(text: str) -> str:
    """The one function every string of the profile passes through on its way into the page."""
    return html.escape(text, quote=True)


def href(url: str) -> str | None:
    """The address as an attribute value, or None when its scheme is not one a link may have."""
    return escape(url) if url.strip().lower().startswith(LINK_SCHEMES) else None


# moderncv's colour schemes (moderncvcolor*.sty, color1), so the page has the PDF's accent.
COLORS = {
    "blue": "#3873B3",
    "black": "#000000",
    "burgundy": "#980000",
    "green": "#59B34D",
    "grey": "#8C8C8C",
    "orange": "#F28C26",
    "purple": "#8054CC",
    "red": "#F23333",
}
FONTS = {
    "sans": '"Latin Modern Sans", "Noto Sans", "DejaVu Sans", sans-serif',
    "roman": '"Latin Modern Roman", "Noto Serif", "DejaVu Serif", serif',
}
_TAG = re.compile(r"<[^>]*>")
_HEX_COLOR = re.compile(r"#[0-9A-F]{6}")  # as the schema gives a colour that is not a name


class Html(Markdown):
    """The inline pieces as HTML; every text value escaped once, here."""

    page_direction = "ltr"  # the <html> element's dir: text blocks that differ say so

    def block(self, tag: str, content: str, attributes: str = "") -> str:
        """An element holding text (no block inside), with dir where its text runs the other way
        from the page (a Hebrew name in a Latin CV, or a Latin line in a Hebrew one)."""
        if not content:
            return ""
        own = direction(visible(content))
        mark = f' dir="{own}"' if own and own != self.page_direction else ""
        return f"<{tag}{attributes}{mark}>{content}</{tag}>"

    def inline(self, text: str) -> str:
        out: list[str] = []
        closers: list[str] = []
        for kind, value in spans(text):
            if kind == "text":
                out.append(escape(value))
            elif kind == "url":
                out.append(self.link(escape(value), value))
            elif kind == "code":
                out.append(f"<code>{escape(value)}</code>")
            elif kind == "end":
                out.append(closers.pop())
            elif kind == "link":
                target = href(value)
                out.append(f'<a href="{target}">' if target else "")
                closers.append("</a>" if target else "")
            else:
                opener, closer = self._TAGS[kind]
                out.append(opener)
                closers.append(closer)
        return "".join(out).strip()

    def literal(self, text: str) -> str:
        return escape(clean(text))

    def strong(self, text: str) -> str:
        return f"<strong>{text}</strong>" if text else ""

    def emph(self, text: str) -> str:
        return f"<em>{text}</em>" if text else ""

    def link(self, shown: str, url: str) -> str:
        target = href(url)
        return f'<a href="{target}">{shown}</a>' if target else shown

    def heading(self, level: int, text: str) -> str:
        return self.block(f"h{min(level, 6)}", text)

    def lines(self, lines: list[str]) -> str:
        return "<br>\n".join(line for line in lines if line)


# The list element that holds consecutive entries of a kind; the other kinds stand alone.
LIST_OF = {"bullet": "ul", "publication": "ul", "item": "dl", "dated": "dl"}


class _HtmlWriter(_Writer):
    """prose.py's walk; what differs is how blocks nest: sections, lists, definition lists."""

    def __init__(self) -> None:
        self.html = Html()
        super().__init__(self.html)

    def document(self, cv: dict) -> str:
        name = self.text(cv["name"]["full"])
        # The page runs the way its owner's name does: a Hebrew name, a right-to-left page.
        self.html.page_direction = direction(visible(name)) or "ltr"
        contact = self.html.lines([self.contact(cv["contact"]), self.social(cv["social"])])
        header = [
            photo(cv["photo"], visible(name)),
            self.html.heading(1, name),
            self.html.block("p", self.text(cv["headline"]), ' class="headline"'),
            self.html.block("p", contact, ' class="contact"'),
        ]
        body = ["<header>", *filter(None, header), "</header>"]
        if cv["summary"]:
            body += self.section_element(self.text(cv["words"]["summary"]), self.paragraph_blocks(cv["summary"]), 2)
        for section in cv["sections"]:
            body += self.section(section["title"], section["entries"], 2)
        head = [
            '<meta charset="utf-8">',
            f"<title>{escape(visible(name))}</title>",
            f"<style>{stylesheet(cv['design'])}</style>",
        ]
        page = [f'<html lang="{escape(cv["lang"])}" dir="{self.html.page_direction}">', "<head>", *head, "</head>"]
        return "\n".join(["<!DOCTYPE html>", *page, "<body>", "<main>", *body, "</main>", "</body>", "</html>", ""])

    def paragraph_blocks(self, value: str | None) -> list[str]:
        return [self.html.block("p", p) for p in self.paragraphs(value)]

    def section_element(self, title: str, content: list[str], level: int) -> list[str]:
        return ["<section>", self.html.heading(level, title), *content, "</section>"]

    def section(self, title: str, entries: list[dict], level: int) -> list[str]:
        content: list[str] = []
        open_list = ""  # the list element the previous entry went into
        for entry in entries:
            if entry["kind"] == "subsection":
                text = "\n".join(self.section(entry["subsection"], entry["entries"], level + 1))
            else:
                text = self.kinds[entry["kind"]](entry, level + 1)[0]
            kind = LIST_OF.get(entry["kind"], "")
            if open_list and kind != open_list:
                content.append(f"</{open_list}>")
            if kind and kind != open_list:
                content.append(f"<{kind}>")
            content.append(text)
            open_list = kind
        if open_list:
            content.append(f"</{open_list}>")
        return self.section_element(self.text(title), content, level)

    # Containers (li with paragraphs, dd) take no dir: the text blocks in them have their own.

    def list_item(self, lines: list[str], more: Sequence[str] = (), sublist: Sequence[str] = ()) -> tuple[str, bool]:
        first = self.html.lines(lines)
        if not more and not sublist:
            return self.html.block("li", first), True
        inside = [self.html.block("div", first), *(self.html.block("p", p) for p in more)]
        if sublist:
            inside.append("<ul>\n" + "\n".join(sublist) + "\n</ul>")
        return "<li>" + "\n".join(inside) + "</li>", True

    def labelled(self, label: str, text: str, number: int | None = None) -> tuple[str, bool]:
        term = self.html.block("dt", self.numbered(number) + label) or "<dt></dt>"
        return f"{term}\n<dd>" + "\n".join(self.paragraph_blocks(text)) + "</dd>", True

    def free_text(self, entry: dict, level: int) -> tuple[str, bool]:
        first, *rest = self.paragraphs(entry["text"])
        blocks = [self.numbered(entry["number"]) + first, *rest]
        return "\n".join(self.html.block("p", block) for block in blocks), False

    def entry_body(
        self, level: int, title: str, facts: str, description: list[str], bullets: list[str], links: str
    ) -> tuple[str, bool]:
        parts = [
            self.html.heading(level, title),
            self.html.block("p", facts, ' class="facts"'),
            *(self.html.block("p", p) for p in description),
            "<ul>\n" + "\n".join(bullets) + "\n</ul>" if bullets else "",
            self.html.block("p", links, ' class="links"'),
        ]
        return '<article class="entry">\n' + "\n".join(p for p in parts if p) + "\n</article>", False


def photo(file: Path | None, name: str) -> str:
    """The profile's photo inside the page (a data: address), so the page stays one file. A PDF
    photo is left out: browsers show none in an <img>."""
    if file is None:
        return ""
    data = file.read_bytes()
    mime = {"png": "image/png", "jpg": "image/jpeg"}.get(kind_of(data[:8]) or "")
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<img class="photo" alt="{escape(name)}" src="{source}">' if mime else ""


def visible(fragment: str) -> str:
    """The text an HTML fragment shows."""
    return html.unescape(_TAG.sub("", fragment))


def stylesheet(design: dict) -> str:
    # A family of one's own may declare other colour names or fonts: those get black and sans.
    color = str(design.get("color", "black"))
    accent = color if _HEX_COLOR.fullmatch(color) else COLORS.get(color, COLORS["black"])
    font = FONTS.get(str(design.get("font")), FONTS["sans"])
    return (
        f":root{{--accent:{accent};font-family:{font};line-height:1.4;color:#222}}"
        "main{max-width:48rem;margin:2rem auto;padding:0 1rem}header{display:flow-root}"
        ".photo{float:inline-end;width:6rem;margin-inline-start:1rem;border:1px solid var(--accent)}"
        "h1{color:var(--accent);font-size:2.2rem;font-weight:normal;margin:0}"
        ".headline{font-style:italic;color:#555;margin:.2rem 0 .6rem}"
        ".contact{font-size:.9rem;margin:0 0 1rem}"
        "h2{color:var(--accent);font-weight:normal;border-bottom:1px solid var(--accent);margin:1.4rem 0 .6rem}"
        "h3{font-size:1.05rem;margin:.8rem 0 .2rem}"
        "h4{font-size:1rem;margin:.6rem 0 .2rem}"
        ".facts{color:#555;font-size:.9rem;margin:0 0 .3rem}"
        "p{margin:.3rem 0}ul{margin:.3rem 0;padding-inline-start:1.2rem}li{margin:.2rem 0}"
        "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.3rem 0}"
        "dt{color:var(--accent)}dd{margin:0}dd p{margin:0}"
        "a{color:var(--accent)}code{font-size:.9em}"
        "@media print{@page{size:A4;margin:18mm}"
        "main{max-width:none;margin:0;padding:0}a{color:inherit;text-decoration:none}"
        "article,li,dt,dd{break-inside:avoid}h2,h3{break-after:avoid}}"
    )


def write(view: dict) -> str:
    """A localized view (localize.view) as a complete HTML page."""
    return _HtmlWriter().document(view)
