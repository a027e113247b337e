"""One language's view of a profile as Markdown (for web pages) or plain text (for hiring-system
forms): the same walk over the same view the LaTeX templates print, with a different writer.

Markdown keeps the inline markup and escapes everything else, so a profile's literal `*`, `<` or
`#` stays literal; plain text drops the markup and keeps a link's address in parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..escape import clean, display_width, paragraphs
from ..markup import Block, Inline, spans

SEPARATOR = " · "


class Markdown:
    # Characters that are markup somewhere in CommonMark or GFM; backslash-escaping them is always allowed.
    _SPECIAL = re.compile(r"([\\`*\[\]<~])")
    _UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # inside a word (snake_case) it is never markup
    _ENTITY = re.compile(r"&(?=#?\w+;)")
    # What would make a line a heading, quote, list item or rule; "1." is stopped by escaping its dot.
    _BLOCK_START = re.compile(r"^(?:(#{1,6}(?=[ \t]|$)|>|[-+](?=[ \t]|$)|[=-]+[ \t]*$)|(\d{1,9})([.)])(?=[ \t]|$))")
    _DELIMITERS = {"strong": ("**", "**"), "em": ("*", "*")}
    _TAGS = {"strong": ("<strong>", "</strong>"), "em": ("<em>", "</em>")}

    def inline(self, text: str) -> str:
        parts = spans(text)
        markdown = self._markdown(parts, self._DELIMITERS)
        # CommonMark reads some runs of * differently (it prints the stars of **84.8%**的, and
        # *(*a*)* is not nested emphasis to it); HTML tags mean the same to every reader.
        if any(kind in self._DELIMITERS for kind, _ in parts) and _commonmark_reading(markdown) != _reading(parts):
            markdown = self._markdown(parts, self._TAGS)
        return markdown

    def literal(self, text: str) -> str:
        """Text without markup (a date, an e-mail address), shown exactly."""
        return self._line_start(self._escape(clean(text)))

    def _escape(self, text: str) -> str:
        return self._ENTITY.sub(r"\\&", self._UNDERSCORE.sub(r"\\_", self._SPECIAL.sub(r"\\\1", text)))

    def _line_start(self, markdown: str) -> str:
        return self._BLOCK_START.sub(lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", markdown)

    def _markdown(self, parts: list[tuple[str, str]], emphasis: dict[str, tuple[str, str]]) -> str:
        out: list[str] = []
        closers: list[str] = []
        for kind, value in parts:
            if kind == "text":
                out.append(self._escape(value))
            elif kind == "url":
                out.append(f"<{value}>")
            elif kind == "code":
                fence = "`" * (max(map(len, re.findall("`+", value)), default=0) + 1)
                pad = " " if value.startswith("`") or value.endswith("`") else ""
                out.append(f"{fence}{pad}{value}{pad}{fence}")
            elif kind == "end":
                out.append(closers.pop())
            else:
                opener, closer = ("[", f"]({value})") if kind == "link" else emphasis[kind]
                out.append(opener)
                closers.append(closer)
        return self._line_start("".join(out).strip())

    def strong(self, text: str) -> str:
        return f"**{text}**" if text else ""

    def emph(self, text: str) -> str:
        return f"*{text}*" if text else ""

    def link(self, shown: str, url: str) -> str:
        # <…> keeps parentheses in an address from ending the link
        return (
            f"[{shown}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"
            if re.search(r"[()<>]", url)
            else f"[{shown}]({url})"
        )

    def heading(self, level: int, text: str) -> str:
        return "#" * level + " " + text

    def lines(self, lines: list[str]) -> str:
        """Lines kept apart in one paragraph (a hard line break)."""
        return "\\\n".join(line for line in lines if line)


class PlainText(Markdown):
    _UNDERLINES = {1: "=", 2: "=", 3: "-"}

    def inline(self, text: str) -> str:
        out: list[str] = []
        closers: list[str] = []
        for kind, value in spans(text):
            if kind in ("text", "url", "code"):
                out.append(value)
            elif kind == "end":
                out.append(closers.pop())
            else:  # strong, em: nothing; a link: its address after its text
                closers.append(f" ({value})" if kind == "link" else "")
        return "".join(out).strip()

    def strong(self, text: str) -> str:
        return text

    def literal(self, text: str) -> str:
        return clean(text)

    emph = strong

    def link(self, shown: str, url: str) -> str:
        return shown if shown in (url, re.sub(r"^(https?://|mailto:)", "", url)) else f"{shown} ({url})"

    def heading(self, level: int, text: str) -> str:
        rule = self._UNDERLINES.get(level)
        return f"{text}\n{rule * display_width(text)}" if rule else text

    def lines(self, lines: list[str]) -> str:
        return "\n".join(line for line in lines if line)


def _reading(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a reader of the markup sees: the text, adjacent pieces merged, and where spans open and close."""
    out: list[tuple[str, str]] = []
    for kind, value in parts:
        for item in (
            [("link", ""), ("text", value), ("end", "")]
            if kind == "url"
            else [("text", value)]
            if kind == "code"
            else [(kind, value)]
        ):
            if item[0] == "text" and out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + item[1])
            else:
                out.append(item if item[0] == "text" else (item[0], ""))
    return out


def _commonmark_reading(markdown: str) -> list[tuple[str, str]]:
    kinds = {
        "text": "text",
        "code_inline": "text",
        "softbreak": "text",
        "strong_open": "strong",
        "em_open": "em",
        "link_open": "link",
    }
    tokens = _commonmark().parseInline(markdown)[0].children or []
    return _reading([(kinds.get(t.type, "end"), " " if t.type == "softbreak" else t.content) for t in tokens])


@lru_cache(maxsize=1)
def _commonmark() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


class _Writer:
    def __init__(self, style: Markdown):
        self.style = style
        self.kinds = {
            "experience": self.experience,
            "education": self.experience,  # localize.py gave it an experience entry's title and note
            "publication": self.publication,
            "item": self.item,
            "dated": self.dated,
            "bullet": self.bullet,
            "text": self.free_text,
        }

    def text(self, value: str | None) -> str:
        """Profile text with its markup; any other value (a date, an address) as it is, as in the PDF."""
        if not value:
            return ""
        return self.style.inline(value) if isinstance(value, Inline) else self.style.literal(value)

    def paragraphs(self, value: str | None) -> list[str]:
        if not value:
            return []
        parts = paragraphs(value) if isinstance(value, Block) else [value]
        return [self.style.inline(p) for p in parts]

    def document(self, cv: dict) -> str:
        style = self.style
        blocks = [style.heading(1, self.text(cv["name"]["full"])), self.text(cv["headline"])]
        blocks.append(style.lines([self.contact(cv["contact"]), self.social(cv["social"])]))
        if cv["summary"]:
            blocks += [style.heading(2, self.text(cv["words"]["summary"])), *self.paragraphs(cv["summary"])]
        for section in cv["sections"]:
            blocks += self.section(section["title"], section["entries"], 2)
        if cv["last_updated"]:
            blocks.append(self.style.emph(self.text(cv["last_updated"])))
        return "\n\n".join(b for b in blocks if b) + "\n"

    def contact(self, contact: dict) -> str:
        style = self.style
        parts = [style.link(self.text(address), f"mailto:{address}") for address in contact["email"]]
        parts += [self.text(phone["number"]) for phone in contact["phone"]]
        if contact["homepage"]:
            parts.append(style.link(self.text(contact["homepage"].split("://", 1)[1]), contact["homepage"]))
        for link in contact["links"]:
            parts.append(f"{self.text(link['label'])}: {style.link(self.text(link['url']), link['url'])}")
        parts += [self.text(line) for line in contact["address"]] or [self.text(contact["location"])]
        return SEPARATOR.join(p for p in parts if p)

    def social(self, accounts: list[dict]) -> str:
        def one(account: dict) -> str:
            label, shown = self.style.literal(account["label"]), self.text(account["shown"])
            link = self.style.link(shown, "https://" + account["url"]) if account["url"] else shown
            return link if account["shown"] == account["label"] else f"{label}: {link}"  # Google Scholar

        return SEPARATOR.join(one(a) for a in accounts)

    def section(self, title: str, entries: list[dict], level: int) -> list[str]:
        blocks = [self.style.heading(level, self.text(title))]
        previous_tight = False
        for entry in entries:
            if entry["kind"] == "subsection":
                blocks += self.section(entry["subsection"], entry["entries"], level + 1)
                previous_tight = False
                continue
            text, tight = self.kinds[entry["kind"]](entry, level + 1)
            if tight and previous_tight:
                blocks[-1] += "\n" + text  # one tight list
            else:
                blocks.append(text)
            previous_tight = tight
        return blocks

    def list_item(self, lines: list[str], more: Sequence[str] = (), sublist: Sequence[str] = ()) -> tuple[str, bool]:
        """A list item: its lines, then further paragraphs and a list (items from list_item) indented
        under it; tight when each is one line."""
        head = "- " + self.style.lines(lines).replace("\n", "\n  ")
        text = "\n\n".join([head, *("  " + p for p in more)])
        subs = ["  " + sub.replace("\n", "\n  ") for sub in sublist]
        tight = not more and "\n" not in head and all("\n" not in sub for sub in sublist)
        return "\n".join([text, *subs]), tight

    def labelled(self, label: str, text: str, number: int | None = None) -> tuple[str, bool]:
        first, *rest = self.paragraphs(text)
        first = f"{self.style.strong(label)}: {first}" if label else first
        return self.list_item([f"{self.numbered(number)}{first}"], rest)

    def numbered(self, number: int | None) -> str:
        """An entry's number in a section with `numbering`, before its text: "[12] "."""
        return self.style.literal(f"[{number}]") + " " if number else ""

    def bullets(self, bullet: dict, number: int | None = None) -> tuple[str, bool]:
        """A bullet and its sub-bullets, a list under it."""
        first, *rest = self.paragraphs(bullet["text"])
        subs = [self.bullet_item(sub)[0] for sub in bullet["bullets"]]
        return self.list_item([self.numbered(number) + first], rest, subs)

    def bullet_item(self, text: str) -> tuple[str, bool]:
        first, *rest = self.paragraphs(text)
        return self.list_item([first], rest)

    def bullet(self, entry: dict, level: int) -> tuple[str, bool]:
        return self.bullets(entry, entry["number"])

    def item(self, entry: dict, level: int) -> tuple[str, bool]:
        return self.labelled(self.text(entry["label"]), entry["text"], entry["number"])

    def dated(self, entry: dict, level: int) -> tuple[str, bool]:
        return self.labelled(self.text(entry["dates"]), entry["text"], entry["number"])

    def free_text(self, entry: dict, level: int) -> tuple[str, bool]:
        first, *rest = self.paragraphs(entry["text"])
        return "\n\n".join([self.numbered(entry["number"]) + first, *rest]), False

    def links(self, entry: dict) -> str:
        return " ".join(self.style.link(self.text(link["label"]), link["url"]) for link in entry["links"])

    def experience(self, entry: dict, level: int) -> tuple[str, bool]:
        title = self.numbered(entry["number"]) + ", ".join(
            self.text(entry[k]) for k in ("title", "organization") if entry[k]
        )
        facts = SEPARATOR.join(self.text(entry[k]) for k in ("dates", "location", "note") if entry.get(k))
        bullets = [self.bullets(bullet)[0] for bullet in entry["bullets"]]
        return self.entry_body(level, title, facts, self.paragraphs(entry["description"]), bullets, self.links(entry))

    def entry_body(
        self, level: int, title: str, facts: str, description: list[str], bullets: list[str], links: str
    ) -> tuple[str, bool]:
        """An experience entry's parts put together: a heading, then paragraphs and one list."""
        blocks = [self.style.heading(level, title), facts, *description, "\n".join(bullets), links]
        return "\n\n".join(b for b in blocks if b), False

    def publication(self, entry: dict, level: int) -> tuple[str, bool]:
        style = self.style
        title = (
            self.numbered(entry["number"])
            + style.strong(self.text(entry["title"]))
            + (f" ({self.text(entry['dates'])})" if entry.get("dates") else "")
        )
        authors = ", ".join(
            style.strong(self.text(a["name"])) if a["is_owner"] else self.text(a["name"]) for a in entry["authors"]
        )
        venue = ", ".join(
            p for p in (style.emph(self.text(entry["venue"])), style.strong(self.text(entry["note"]))) if p
        )
        return self.list_item([title, authors, venue, self.links(entry)], self.paragraphs(entry["description"]))[
            0
        ], False


def write(view: dict, style: Markdown) -> str:
    """A localized view (localize.view) in the given style."""
    return _Writer(style).document(view)
