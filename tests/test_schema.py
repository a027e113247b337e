"""Loading and validating profiles: every problem reported at once, located, never a traceback."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from texcv import loader, schema
from texcv.build import load_profile
from texcv.errors import ProfileError


def problems(tmp_path: Path, text: str | bytes, name: str = "cv.yaml") -> list[str]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        schema.validate(loader.load(path))
    return [str(p) for p in info.value.problems]


def valid(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return schema.validate(loader.load(path))


def test_minimal_profile_fills_defaults(tmp_path: Path) -> None:
    profile = valid(tmp_path, "name: Ada Lovelace\n")
    assert profile["name"]["given"] == "Ada" and profile["name"]["family"] == "Lovelace"
    assert profile["design"]["style"] == "classic" and profile["sections"] == []
    assert profile["contact"]["email"] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: Ada\nnmae: x\n", "cv.yaml:2:1: nmae: unknown key in profile"),
        ("name: Ada\ndesign: {colour: red}\n", "did you mean 'color'?"),
        ("name: Ada\ndesign: {style: clasic}\n", "unknown style 'clasic' (expected one of: classic"),
        ("name: Ada\ndesign: {color: cyan}\n", "unknown colour 'cyan'"),
        ("name: Ada\ndesign: {engine: pdftex}\n", "did you mean 'pdflatex'?"),
        ("name: Ada\ncontact: {email: not-an-email}\n", "contact.email: 'not-an-email' is not an email address"),
        ("name: Ada\ncontact: {homepage: 'javascript:alert(1)'}\n", "the javascript: scheme is not allowed"),
        ("name: Ada\nsocial: {githb: ada}\n", "social.githb: unknown social network"),
        ("name: Ada\ncontact: {phone: '+1 555 0100'}\n", "cv.yaml:2:11: contact.phone: '+1 555 0100' is not a valid"),
        ("name: Ada\ncontact: {phone: '+99 123'}\n", "contact.phone: '+99 123' is not a valid phone number"),
        ("headline: x\n", "missing required key 'name'"),
        ("name: [Ada]\n", "name: expected text or a mapping (name), got a list"),
        ("name: Ada\nheadline: 42\n", "headline: expected text, got a number (42) (put it in quotes to make it text)"),
        ("name: Ada\nsections: {title: x}\n", "sections: expected a list of a mapping (section), got a mapping"),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, start: 2019-13}\n",
            "sections[0].entries[0].start: month 13",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, start: 2020, end: 2019}\n",
            "end date 2019 is before start date 2020",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, date: 05/2019}\n",
            "'05/2019' is not a date texcv understands",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, date: 2019-02-30}\n",
            "'2019-02-30' is not a real day",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, orgnization: Y}\n",
            "did you mean 'organization'?",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {kind: publcation, title: T}\n",
            "did you mean 'publication'?",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {foo: bar}\n",
            "cannot tell what kind of entry this is",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, authors: A}\n",
            "authors: expected a list of text, got text",
        ),
        ("name: Ada\nphoto: https://example.org/me.jpg\n", "photo must be a local image file, not a URL"),
        ("name: Ada\nphoto: nothere.png\n", "photo file not found"),
        ("name: {zh: 吴, en: Wu}\n", "per-language text needs `languages:`"),
        ("languages: [zh, en]\nname: {zh: 吴侃}\n", "no translation for en"),
        ("languages: [zh, en]\nname: {zh: 吴侃, en: Kan Wu, fr: Kan}\n", "language 'fr' is not in `languages`"),
    ],
)
def test_problem_messages(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_at_once_with_locations(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: Ada
        headline: [a]
        design:
          style: fancyy
          colr: red
        """,
    )
    assert len(found) == 3, found
    assert found[0].startswith("cv.yaml:") or "cv.yaml:" in found[0]
    lines = sorted(int(p.split(":")[1]) for p in found)
    assert lines == [2, 4, 5]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "file is empty"),
        (b"name: Caf\xe9\n", "not UTF-8"),
        (b"name: Ada\n\tsections: []\n", "tab"),
        (b"name: [Ada\n", "YAML syntax error"),
        (b"- a\n- b\n", "a profile is a mapping"),
        (b"just text\n", "a profile is a mapping"),
        (b"name: Ada\nname: Bob\n", "name: duplicate key (first given on line 1)"),
        (
            b"name: !!python/object/apply:os.system ['echo pwned']\n",
            "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (b"a: &a [x, x]\nb: *a\nname: Ada\n", "anchors"),
        (b"name: Ada\n<<: {headline: x}\n", "merge keys"),
        (b"name: " + b"[" * 100 + b"]" * 100 + b"\n", "nesting deeper than"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    found = problems(tmp_path, content)
    assert any(expected in p for p in found), found


def test_billion_laughs_is_refused_without_expansion(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    found = problems(tmp_path, "\n".join(lines) + "\nname: Ada\n")
    assert found and "anchors" in found[0]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        loader.load(tmp_path / "missing.yaml")
    with pytest.raises(ProfileError, match="is a directory"):
        loader.load(tmp_path)


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"name: Ada\nsummary: " + b"x" * (loader.MAX_BYTES + 1) + b"\n")
    with pytest.raises(ProfileError, match="MB; profiles are limited"):
        loader.load(path)


def test_a_phone_number_with_its_country_code_prints_in_the_international_format(tmp_path: Path) -> None:
    profile = valid(
        tmp_path,
        "name: Ada\ncontact:\n  phone: ['+1734-272-2163', {number: '+4930 1234 5678', kind: fixed}, 412-944-8906]\n",
    )
    assert [p["number"] for p in profile["contact"]["phone"]] == ["+1 734-272-2163", "+49 30 12345678", "412-944-8906"]


def test_dates_stay_text_and_entry_kinds_are_inferred(tmp_path: Path) -> None:
    profile = valid(
        tmp_path,
        """\
        name: Ada
        sections:
          - title: S
            entries:
              - {title: T, start: 2019-05-31, end: present}
              - {title: P, authors: [A, B]}
              - {label: L, text: x}
              - {date: 2020, text: y}
              - {text: z}
              - a bullet
              - {subsection: Sub, entries: [b]}
        """,
    )
    kinds = [e["kind"] for e in profile["sections"][0]["entries"]]
    assert kinds == ["experience", "publication", "item", "dated", "text", "bullet", "subsection"]
    assert str(profile["sections"][0]["entries"][0]["start"]) == "2019-05-31"


def test_design_override_uses_the_same_messages(tmp_path: Path) -> None:
    from texcv.build import Settings, load_profile

    path = tmp_path / "cv.yaml"
    path.write_text("name: Ada\n", encoding="utf-8")
    assert load_profile(path, Settings(design={"color": "red"}))["design"]["color"] == "red"
    with pytest.raises(ProfileError, match="command line: design.color: .*did you mean 'green'"):
        load_profile(path, Settings(design={"color": "gren"}))


# --- broken input the issue lists, each reported at once and located -------------------------------


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"name: Ada\n")
    os.truncate(path, 50 * 1024 * 1024)  # sparse: reading it would take time and memory
    with pytest.raises(ProfileError, match=r"huge.yaml: file is 52.4 MB; profiles are limited to 2 MB"):
        loader.load(path)


def test_wrong_types_everywhere_are_all_reported(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: 42
        headline: [a, b]
        contact: "me@example.org"
        social: [github]
        summary: {text: x}
        sections:
          - title: 7
            entries: "just text"
          - title: Fine
            entries:
              - {title: [T], start: true, bullets: "one bullet", links: {label: x}}
        design: {style: 3, icons: "yes", font_size: "11", margins: 2}
        """,
    )
    expected = [
        "cv.yaml:1:1: name: expected text or a mapping (name), got a number (42)",
        "cv.yaml:2:1: headline: expected text, got a list",
        "cv.yaml:3:1: contact: expected a mapping (contact), got text",
        "cv.yaml:4:1: social: expected a mapping of social network to a username or a profile URL, got a list",
        "cv.yaml:5:1: summary: expected text, got a mapping",
        "cv.yaml:7:5: sections[0].title: expected text, got a number (7) (put it in quotes to make it text)",
        "cv.yaml:8:5: sections[0].entries: expected a list of an entry (a mapping, or text for a bullet), got text",
        "cv.yaml:11:10: sections[1].entries[0].title: expected text, got a list",
        (
            "cv.yaml:11:22: sections[1].entries[0].start: "
            "expected a date (YYYY, YYYY-MM, YYYY-MM-DD) or text, got true/false"
        ),
        "cv.yaml:11:35: sections[1].entries[0].bullets: expected a list of text or a mapping (bullet), got text",
        "cv.yaml:11:58: sections[1].entries[0].links: expected a list of a mapping (link), got a mapping",
        "cv.yaml:12:10: design.style: unknown style 3",
        "cv.yaml:12:20: design.icons: expected true or false, got text",
        "cv.yaml:12:34: design.font_size: expected a size from 9 to 12 pt, such as 10.5, got text (write the number",
        (
            "cv.yaml:12:51: design.margins: "
            "expected a length such as 1.5cm, 15mm or 0.8in or a mapping (margins), got a number (2)"
        ),
    ]
    assert len(found) == len(expected), found
    for want in expected:
        assert any(want in p for p in found), (want, found)


def test_unknown_keys_at_every_level_are_all_reported_with_suggestions(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: {given: Ada, famly: Lovelace}
        contact: {emial: a@b.org}
        sections:
          - title: S
            entires: [x]
          - title: T
            entries:
              - {title: X, organisation: Y, links: [{label: l, url: "https://example.org", target: x}]}
              - {subsection: Sub, entries: [a], extra: 1}
        design: {margins: {top: 1cm, botom: 1cm}, colour: red}
        extra_top: 1
        """,
    )
    for want in [
        "cv.yaml:1:20: name.famly: unknown key in name",
        "did you mean 'family'?",
        "cv.yaml:2:11: contact.emial: unknown key in contact",
        "did you mean 'email'?",
        "cv.yaml:5:5: sections[0].entires: unknown key in section",
        "did you mean 'entries'?",
        "cv.yaml:8:20: sections[1].entries[0].organisation: unknown key in experience entry",
        "did you mean 'organization'?",
        "sections[1].entries[0].links[0].target: unknown key in link",
        "cv.yaml:9:41: sections[1].entries[1].extra: unknown key in subsection",
        "design.margins.botom: unknown key in margins",
        "did you mean 'bottom'?",
        "design.colour: unknown key in design",
        "did you mean 'color'?",
        "cv.yaml:11:1: extra_top: unknown key in profile",
    ]:
        assert any(want in p for p in found), (want, found)


def test_photo_that_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "me.png").write_text("#!/bin/sh\necho not a picture\n")
    found = problems(tmp_path, "name: Ada\nphoto: me.png\n")
    assert found == [f"{tmp_path / 'cv.yaml'}:2:1: photo: photo is not a PNG, JPEG or PDF image: {tmp_path / 'me.png'}"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "languages: [en, xx]\nname: Ada\n",
            "cv.yaml:1:17: languages[1]: texcv has no words for language 'xx' (available: ar, cs, de, el, en, es, fa,"
            " fr, he, hi, id, it, ja, ko, nl, pl, pt, ru, sv, th, tr, uk, vi, zh, zh-Hans, zh-Hant; add one as "
            "locales/xx.yaml beside the profile)",
        ),
        ("name: Ada\ncontact: {email: 'ada@@example'}\n", "contact.email: 'ada@@example' is not an email address"),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, start: 2019-00}\n",
            "sections[0].entries[0].start: month 0",
        ),
        (
            "name: Ada\nsections:\n  - title: X\n    entries:\n      - {title: T, start: 2019-02-29}\n",
            "'2019-02-29' is not a real day",
        ),
        # The header cannot wrap or break across pages: absurd lengths are refused, not lost off the page.
        (
            "name: Ada\ncontact: {address: [" + "x" * 61 + "]}\n",
            "contact.address[0]: too long for the header (61 characters; at most 60): shorten it, or split an address",
        ),
        (
            "name: Ada\ncontact: {location: " + "中" * 31 + "}\n",
            "contact.location: too long for the header (62 characters; at most 60)",
        ),
        (
            "name: {given: Ada, family: " + "L" * 101 + "}\n",
            "name.family: too long for the header (101 characters; at most 100): a name, not a sentence",
        ),
        (
            "name: Ada\nheadline: " + "word " * 41 + "\n",
            "headline: too long for the header (204 characters; at most 200)",
        ),
    ],
)
def test_more_problem_messages(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert any(expected in p for p in found), found


def test_an_address_of_more_lines_than_the_header_prints_is_an_error(tmp_path: Path) -> None:
    """moderncv's \\address has three lines; a fourth used to vanish from the PDF without a word."""
    source = tmp_path / "cv.yaml"
    source.write_text(
        "name: Ada Lovelace\ncontact:\n  address: [Street 1, 10115 Berlin, Berlin, Germany]\nsections: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"cv.yaml:3:3: contact.address: has 4 items; at most 3 fit"):
        load_profile(source)
