"""One language's view of a profile: dates, names, author highlighting, social links."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import cli

from texcv import loader, localize, schema, words
from texcv.build import Settings, documents
from texcv.dates import PartialDate, format_date, parse_date


def view(tmp_path: Path, text: str, lang: str = "en") -> dict:
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return localize.view(schema.validate(loader.load(path)), lang)


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        ("2019", "en", "2019"),
        ("2019-05", "en", "May 2019"),
        ("2019-05-31", "en", "May 31, 2019"),
        ("2019-05", "zh", "2019.05"),
        ("Spring 2016", "en", "Spring 2016"),
        ("present", "zh", "至今"),
    ],
)
def test_dates_per_language(value: str, lang: str, expected: str) -> None:
    assert format_date(parse_date(value), words.locale_words(lang)) == expected


DATED = """\
name: Ada Lovelace
sections:
  - title: Talks
    entries:
      - {text: Talk, date: 2016-05-31}
      - {text: Internship, start: 2016-05-31, end: 2016-08-31}
      - {text: Summer, start: 2016-06, end: 2016-08}
"""


@pytest.mark.parametrize(
    "style, talk, internship, summer",
    [
        (None, "May 31, 2016", "May 2016 – Aug. 2016", "Jun. 2016 – Aug. 2016"),
        ("full", "May 31, 2016", "May 31, 2016 – Aug. 31, 2016", "Jun. 2016 – Aug. 2016"),
        ("year", "2016", "2016", "2016"),
    ],
)
def test_date_style_cuts_dates_to_its_precision(
    tmp_path: Path, style: str | None, talk: str, internship: str, summer: str
) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(DATED, encoding="utf-8")
    for family in ("moderncv", "ats"):
        design = {"template": family} | ({"date_style": style} if style else {})
        tex = documents(path, Settings(design=design))[0].tex
        for date, text in ((talk, "Talk"), (internship, "Internship"), (summer, "Summer")):
            written = (
                rf"\texcvitem{{{date}}}{{{text}}}" if family == "moderncv" else rf"{text}\texcvsep{{}}\mbox{{{date}}}"
            )
            assert written in tex, (family, style, date)


def test_an_unknown_date_style_is_refused_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(DATED + "design: {date_style: daily}\n", encoding="utf-8")
    status, _, err = cli(capsys, "validate", path)
    assert status == 1
    assert f"{path}:8:" in err and "design.date_style: unknown date style 'daily'" in err, err


def test_date_parsing() -> None:
    assert parse_date("2019-5") == PartialDate(2019, 5)
    assert str(parse_date("Fall 2018")) == "Fall 2018"


def test_owner_is_found_in_author_lists_with_aliases_and_marks(tmp_path: Path) -> None:
    cv = view(
        tmp_path,
        """\
        name: {given: Wei, family: Wen, aliases: [W. Wen]}
        sections:
          - title: P
            entries:
              - title: T
                authors: [Tunhou Zhang, "Wei Wen †", "W. Wen", "**Wei Wen**(Corresponding)",
                  "WEI WEN*", Wei Wenn, Wen Wei]
        """,
    )
    flags = [a["is_owner"] for a in cv["sections"][0]["entries"][0]["authors"]]
    assert flags == [False, True, True, True, True, False, True]


def test_chinese_name_family_first_without_space(tmp_path: Path) -> None:
    cv = view(tmp_path, "languages: [zh, en]\nname: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}}\n", "zh")
    assert (cv["name"]["first"], cv["name"]["last"], cv["name"]["full"]) == ("吴侃", "", "吴侃")
    cv = view(tmp_path, "languages: [zh, en]\nname: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}}\n", "en")
    assert (cv["name"]["first"], cv["name"]["last"]) == ("Kan", "Wu")


def test_language_specific_sections_and_translations(tmp_path: Path) -> None:
    text = """\
        languages: [zh, en]
        name: 吴侃
        sections:
          - title: {zh: 教育, en: Education}
            entries: [{title: {zh: 中山大学, en: Sun Yat-sen University}, start: 2018-09, end: present}]
          - {title: 只有中文, lang: zh, entries: [x]}
        """
    zh, en = view(tmp_path, text, "zh"), view(tmp_path, text, "en")
    assert [s["title"] for s in zh["sections"]] == ["教育", "只有中文"]
    assert [s["title"] for s in en["sections"]] == ["Education"]
    assert en["sections"][0]["entries"][0]["dates"] == "Sep. 2018 – present"
    assert zh["sections"][0]["entries"][0]["dates"] == "2018.09 – 至今"


@pytest.mark.parametrize(
    "network, account, username, url",
    [
        ("github", "wkcn", "wkcn", "github.com/wkcn"),
        (
            "linkedin",
            "https://www.linkedin.com/in/weiyan-wang-2227a54b/?originalSubdomain=hk",
            "weiyan-wang-2227a54b",
            "www.linkedin.com/in/weiyan-wang-2227a54b/?originalSubdomain=hk",
        ),
        (
            "googlescholar",
            "https://scholar.google.com/citations?user=sK4JUL4AAAAJ",
            "sK4JUL4AAAAJ",
            "scholar.google.com/citations?user=sK4JUL4AAAAJ",
        ),
    ],
)
def test_social_accounts(tmp_path: Path, network: str, account: str, username: str, url: str) -> None:
    cv = view(tmp_path, f"name: Ada\nsocial: {{{network}: '{account}'}}\n")
    assert (cv["social"][0]["username"], cv["social"][0]["url"]) == (username, url)


def test_sections_left_empty_in_a_language_are_dropped(tmp_path: Path) -> None:
    text = """\
        languages: [zh, en]
        name: 吴侃
        sections:
          - title: {zh: 项目, en: Projects}
            entries:
              - {text: 只有中文, lang: zh}
              - {subsection: {zh: 个人, en: Personal}, entries: [{text: 中文, lang: zh}]}
        """
    assert view(tmp_path, text, "en")["sections"] == []
    assert len(view(tmp_path, text, "zh")["sections"][0]["entries"]) == 2
