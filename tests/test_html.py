"""`texcv export --format html`: one self-contained page from the same view as the PDF
(src/texcv/export/html.py), escaped for HTML, right to left where the text is, and shown by a real
browser (headless Chromium)."""

from __future__ import annotations

import base64
import struct
import subprocess
import textwrap
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import MINI, PROFILES
from hypothesis import given
from hypothesis import strategies as st

from texcv import fields, textlayer
from texcv.build import Settings, documents
from texcv.cli import main
from texcv.export.html import FONTS, Html, href, stylesheet
from texcv.markup import plain

EXAMPLE = PROFILES / "example.yaml"


class Page(HTMLParser):
    """What a browser would build from the page: elements with their attributes, and the text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attributes for tag, attributes in self.elements if tag == name]


def export_html(capsys: pytest.CaptureFixture, profile: Path | str, *args: str) -> str:
    assert main(["export", str(profile), "--format", "html", "-o", "-", *args]) == 0
    return capsys.readouterr().out


def write(tmp_path: Path, text: str) -> Path:
    profile = tmp_path / "cv.yaml"
    profile.write_text(textwrap.dedent(text), encoding="utf-8")
    return profile


HOSTILE = """\
    name: {given: "<script>alert(1)</script>", family: "\\"><img src=x onerror=alert(2)>"}
    headline: "</title><style>body{display:none}</style> & &amp; <!--"
    contact: {email: "a\\"onmouseover=\\"alert(3)@example.org", homepage: "https://example.org/?q=\\"><b>"}
    summary: "[click](javascript:alert(4)) [ok](https://example.org/a?b=1&c=2) <b onclick=x>"
    sections:
      - title: "<h1>Fake</h1>"
        entries:
          - {label: "<i>", text: "[x](JaVaScRiPt:alert(5)) `<code>` **<u>**"}
"""


def test_hostile_strings_stay_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    page_source = export_html(capsys, write(tmp_path, HOSTILE))
    page = Page(page_source)
    # Only the page's own elements: none of the profile's markup became an element or an attribute.
    assert {tag for tag, _ in page.elements} <= {
        *("html", "head", "meta", "title", "style", "body", "main", "header", "section"),
        *("h1", "h2", "p", "a", "br", "dl", "dt", "dd", "code", "strong"),
    }
    assert len(page.tags("style")) == 1 and len(page.tags("h1")) == 1
    assert not [a for _, attrs in page.elements for a in attrs if a.startswith("on") or a == "src"]
    assert {attrs["href"] for attrs in page.tags("a")} == {
        'mailto:a"onmouseover="alert(3)@example.org',
        'https://example.org/?q="><b>',
        "https://example.org/a?b=1&c=2",
    }
    text = "".join(page.text)
    for shown in (
        "<script>alert(1)</script>",
        "</title><style>body{display:none}</style> & &amp; <!--",
        "<h1>Fake</h1>",
    ):
        assert shown in text
    assert "javascript:alert(4)" in text and "JaVaScRiPt:alert(5)" in text  # shown as text, never a link
    assert "<b onclick=x>" in text and "<code>" in text and "<u>" in text


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x", "//evil"])
def test_no_address_but_http_and_mailto_becomes_a_link(url: str) -> None:
    assert href(url) is None
    assert Html().link("shown", url) == "shown"


def test_allowed_addresses_are_escaped_for_an_attribute() -> None:
    assert href('https://example.org/?a=1&b="2"') == "https://example.org/?a=1&amp;b=&quot;2&quot;"
    assert href("mailto:a'b@example.org") == "mailto:a&#x27;b@example.org"


@given(st.text(alphabet="ab 1.*_`[]()<>#&;!\"'\\-=/é吴\n", min_size=1, max_size=24).filter(lambda t: plain(t)))
def test_inline_html_shows_the_same_text_as_the_pdf(text: str) -> None:
    assert "".join(Page(Html().inline(text)).text) == plain(text)


def test_links_and_own_name_highlighting_as_in_the_pdf(capsys: pytest.CaptureFixture) -> None:
    page_source = export_html(capsys, EXAMPLE, "--lang", "en")
    assert page_source.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    for expected in (
        "<h1>Ada María Ferreira-Łukasik</h1>",
        '<a href="mailto:ada@example.org">ada@example.org</a>',
        'GitHub: <a href="https://github.com/ada_ferreira">ada_ferreira</a>',
        '<a href="https://example.org/labs">Example Labs</a>',  # an inline link
        '<p class="links"><a href="https://github.com/example/tilefuse">project</a></p>',
        "<strong>Ada María Ferreira-Łukasik</strong>, Jun Park, Marta Słowik †",  # the owner in bold
        "Jun Park, <strong>A. Ferreira</strong>, Li Wei",  # found by alias
        "<dt>Languages</dt>\n<dd><p>C++, Python, Rust, OCaml</p></dd>",  # items: a definition list
        "<h2>Experience</h2>\n<article",
        "<h3>Conference papers</h3>\n<ul>\n<li>",
    ):
        assert expected in page_source, expected
    assert "<script" not in page_source and "http" not in page_source.split("<style>")[1].split("</style>")[0]


def test_photo_is_inside_the_page(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (img,) = Page(export_html(capsys, EXAMPLE, "--lang", "en")).tags("img")
    assert img["alt"] == "Ada María Ferreira-Łukasik"
    prefix = "data:image/png;base64,"
    assert img["src"] and img["src"].startswith(prefix)
    assert base64.b64decode(img["src"][len(prefix) :]) == (PROFILES / "example-photo.png").read_bytes()
    assert Page(export_html(capsys, write(tmp_path, MINI))).tags("img") == []  # no photo, no image


def test_german_page_has_its_language(capsys: pytest.CaptureFixture) -> None:
    page_source = export_html(capsys, EXAMPLE, "--lang", "de")
    assert (
        page_source.startswith('<!DOCTYPE html>\n<html lang="de" dir="ltr">')
        and "<h2>Berufserfahrung</h2>" in page_source
    )


def test_right_to_left_text_is_marked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    hebrew = write(
        tmp_path,
        """\
        name: {given: יוסי, family: כהן}
        headline: מהנדס תוכנה
        sections:
          - title: ניסיון
            entries:
              - "Compilers at ACME"
              - {label: "2020", text: "פיתוח מהדרים ב-ACME"}
        """,
    )
    page = Page(export_html(capsys, hebrew))
    assert page.tags("html") == [{"lang": "en", "dir": "rtl"}]  # the page runs as the owner's name does
    assert page.tags("h1") == page.tags("h2") == [{}]  # and its Hebrew text with it
    assert page.tags("li") == [{"dir": "ltr"}]  # a Latin line in a Hebrew CV reads left to right
    assert page.tags("dt") == [{}] and page.tags("p")[-1] == {}  # digits have no direction of their own
    latin = write(tmp_path, MINI.replace("title: Experience", "title: ניסיון"))
    page = Page(export_html(capsys, latin))
    assert page.tags("html")[0]["dir"] == "ltr"
    assert [attrs for attrs in page.tags("h2")] == [{}, {"dir": "rtl"}, {}, {}]  # the Hebrew heading only


def test_design_colour_and_font_carry_over(capsys: pytest.CaptureFixture) -> None:
    blue = export_html(capsys, EXAMPLE, "--lang", "en")
    assert "--accent:#3873B3" in blue and '"Latin Modern Sans"' in blue  # moderncv's blue; sans
    assert "@media print{@page{size:A4;" in blue and "a{color:inherit;text-decoration:none}" in blue
    custom = export_html(
        capsys, EXAMPLE, "--lang", "en", "--set", "design.color=rgb(17,34,51)", "--set", "design.font=roman"
    )
    assert "--accent:#112233" in custom and '"Latin Modern Roman"' in custom
    burgundy = export_html(capsys, EXAMPLE, "--lang", "en", "--set", "design.color=burgundy")
    assert "--accent:#980000" in burgundy
    ats = export_html(capsys, EXAMPLE, "--lang", "en", "--set", "design.template=ats")
    assert "--accent:#000000" in ats  # a family without a colour


def test_unknown_colour_or_font_never_reaches_the_stylesheet() -> None:
    # A family of one's own may declare a colour or font as any enum: only known values are used.
    css = stylesheet({"color": "red;}</style><script>alert(1)</script>", "font": "mono"})
    assert "--accent:#000000;" in css and FONTS["sans"] in css and "<" not in css
    assert "--accent:#F23333;" in stylesheet({"color": "red"})


# --- In a browser -------------------------------------------------------------------------------


def chromium(page: Path, *args: str) -> str:
    """Headless Chromium on a local page; --no-sandbox: containers and root, where tests run, have none."""
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args, page.as_uri()]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


def png_rows(png: Path) -> list[bytes]:
    """The pixel rows of an 8-bit RGB or RGBA PNG (what Chromium writes), unfiltered."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    idat = b""
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        idat += body if kind == b"IDAT" else b""
        chunks.setdefault(kind, body)
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * step, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            estimate = (left + up - corner, left, up, corner)
            paeth = min((abs(estimate[0] - value), value) for value in estimate[1:])[1] if kind == 4 else 0
            line[x] = (line[x] + (0, left, up, (left + up) // 2, paeth)[kind]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


@pytest.mark.tex("chromium")
@pytest.mark.parametrize(("profile", "lang"), [(EXAMPLE, "en"), (PROFILES / "kan-wu.yaml", "zh")])  # and a seed
def test_browser_shows_every_word_the_pdf_shows(tmp_path: Path, profile: Path, lang: str) -> None:
    page, shot = tmp_path / "cv.html", tmp_path / "cv.png"
    assert main(["export", str(profile), "--format", "html", "--lang", lang, "-o", str(page)]) == 0
    chromium(page, f"--screenshot={shot}", "--window-size=900,1200")
    rows = png_rows(shot)
    assert len(rows) == 1200 and len(set(rows)) > 100  # many different rows: text, not a blank page
    colours = {row[i : i + 3] for row in rows[:400] for i in range(0, len(row), 3)}
    assert b"\x38\x73\xb3" in colours  # the name and headings in the design's colour (moderncv blue)
    shown = "".join(Page(chromium(page, "--dump-dom")).text)
    # The words of profile fields the PDF's text layer must hold (build's check), in what the browser shows.
    (doc,) = documents(profile, Settings(lang=lang))
    missing = textlayer.check(doc.printed, [shown]).missing
    lost, _ = fields.holders(
        missing, doc.source, lang, lambda t: "".join(textlayer.normalise(t).split()), fields.NOT_TEXT
    )
    assert lost == {}
    assert len(doc.printed) > 50
