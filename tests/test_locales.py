"""Locales: texcv's words per language from small YAML files, month names and date patterns from CLDR,
the user's own locale files, French spacing, the PDF's metadata and hyphenation language."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, cli

from texcv import cldr, loader, localize, packages, schema, words
from texcv.dates import format_date, parse_date
from texcv.errors import ProfileError, UserError
from texcv.escape import escape

# The languages issue #12 asks for, each with its own locale file.
REQUIRED_LANGUAGES = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "pl",
    "cs",
    "tr",
    "ru",
    "uk",
    "el",
    "he",
    "ar",
    "fa",
    "hi",
    "th",
    "vi",
    "id",
    "ja",
    "ko",
    "zh-Hans",
    "zh-Hant",
]


def view(tmp_path: Path, text: str, lang: str) -> dict:
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return localize.view(schema.validate(loader.load(path)), lang)


def date(value: str, lang: str, folder: Path | None = None) -> str:
    return format_date(parse_date(value), words.locale_words(lang, folder))


@pytest.mark.parametrize(
    "lang, month, day",
    [
        ("ru", "май 2019", "31 мая 2019"),  # nominative alone, genitive with a day
        ("uk", "трав. 2019", "31 трав. 2019"),
        ("pl", "maj 2019", "31 maj 2019"),
        ("cs", "květen 2019", "31. 5. 2019"),
        ("el", "Μάι 2019", "31 Μαΐ 2019"),  # the locale file asks for CLDR's stand-alone names
        ("de", "Mai 2019", "31. Mai 2019"),
        ("pt", "mai. de 2019", "31 de mai. de 2019"),
        ("ja", "2019.05", "2019.05.31"),
        ("ko", "2019.05", "2019.05.31"),
        ("zh", "2019.05", "2019.05.31"),
        ("vi", "tháng 5 2019", "31 tháng 5, 2019"),
        ("th", "พฤษภาคม 2019", "31 พฤษภาคม 2019"),  # full names, as Thai CVs write them
    ],
)
def test_month_names_and_date_patterns_come_from_cldr(lang: str, month: str, day: str) -> None:
    assert (date("2019-05", lang), date("2019-05-31", lang)) == (month, day)


def test_every_required_language_has_its_words_and_a_known_hyphenation_package() -> None:
    assert set(REQUIRED_LANGUAGES) <= set(words.available_languages())
    for lang in REQUIRED_LANGUAGES:
        locale = words.locale_words(lang)
        assert all(locale[key] for key in words.REQUIRED), lang
        assert len(locale["months"]) == 12 and set(locale["date_formats"]) == {"year", "month", "day"}, lang
        assert locale.get("hyphenation") is None or locale["hyphenation"] in packages.HYPHENATION, lang
    assert words.locale_words("fr")["hyphenation"] == "french" and words.locale_words("he").get("hyphenation") is None


def test_chinese_codes_choose_simplified_or_traditional() -> None:
    assert words.locale_words("zh")["summary"] == words.locale_words("zh-CN")["summary"] == "个人简介"
    assert words.locale_words("zh-TW")["summary"] == words.locale_words("zh-Hant")["summary"] == "個人簡介"
    assert words.locale_words("de-AT")["present"] == "heute"  # a region falls back to its language


def test_month_names_do_not_leak_between_languages() -> None:
    """Babel's Locale objects memoise aliases into shared data (after Hebrew, Arabic's stand-alone
    months came out Hebrew); cldr.py reads the plain data instead."""
    hebrew = cldr.calendar_words("he", "LLL")["months"][4]
    arabic = cldr.calendar_words("ar", "LLL")["months"][4]
    assert (hebrew, arabic) == ("מאי", "مايو")


def test_an_english_build_never_imports_babel(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\nsections:\n  - title: X\n    entries: [{title: Y, start: 2019-05}]\n")
    code = f"import sys; from texcv.build import documents; documents({str(profile)!r}); print('babel' in sys.modules)"
    env = {"PYTHONPATH": str(ROOT / "src"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "False"


def test_a_locale_file_beside_the_profile_overrides_words(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.yaml").write_text(
        "present: bis heute\nmonths: [J, F, M, A, Mai, J, J, A, S, O, N, D]\n"
    )
    cv = view(
        tmp_path,
        "languages: [de]\nname: Ada\nsections: [{title: X, entries: [{title: Y, start: 2019-05, end: present}]}]\n",
        "de",
    )
    assert cv["sections"][0]["entries"][0]["dates"] == "Mai 2019 – bis heute"
    assert cv["words"]["summary"] == "Profil"  # what the file leaves out stays packaged


def test_a_new_language_from_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "config" / "texcv" / "locales"
    folder.mkdir(parents=True)
    (folder / "eo.yaml").write_text(
        "present: nun\nsummary: Resumo\ncv: Vivprotokolo\nsubject: 'Vivprotokolo de {name}'\n"
    )
    profile = tmp_path / "cv" / "cv.yaml"
    profile.parent.mkdir()
    profile.write_text(
        "languages: [eo]\nname: Zamenhof\nsections: [{title: X, entries: [{title: Y, start: 2019-05, end: present}]}]\n"
    )
    cv = localize.view(schema.validate(loader.load(profile)), "eo")
    assert cv["sections"][0]["entries"][0]["dates"] == "Maj 2019 – nun"  # Esperanto's months from CLDR
    assert cv["metadata"]["subject"] == "Vivprotokolo de Zamenhof"


def test_a_language_without_words_names_where_to_add_them(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"cv.yaml:1:13: languages\[0\]: texcv has no words for language 'xx'.*"
                       r"locales/xx.yaml beside the profile"):  # fmt: skip
        view(tmp_path, "languages: [xx]\nname: Ada\n", "xx")
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "yy.yaml").write_text("present: now\nsummary: S\ncv: CV\nsubject: 'CV {name}'\n")
    with pytest.raises(UserError, match=r"yy.yaml: CLDR has no dates for language 'yy': give months and date_formats"):
        view(tmp_path, "languages: [yy]\nname: Ada\n", "yy")


@pytest.mark.parametrize(
    "text, message",
    [
        ("presnt: bis heute\n", r"de.yaml:1:1: presnt: unknown key in locale .*did you mean 'present'\?"),
        ("subject: 'CV {nmae}'\n", r"de.yaml:1:1: subject: unknown placeholder \{nmae\}"),
        ("months: [a, b]\n", r"de.yaml:1:1: months: needs at least 12 item"),
        ("date_formats: {month: '{month} {year}'}\n", r"de.yaml:1:1: date_formats: missing required key 'year'"),
        ("month_names: MMMMM\n", r"de.yaml:1:1: month_names: unknown CLDR month field 'MMMMM'"),
    ],
)
def test_a_bad_locale_file_is_located(tmp_path: Path, capsys: pytest.CaptureFixture, text: str, message: str) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.yaml").write_text(text)
    (tmp_path / "cv.yaml").write_text("languages: [de]\nname: Ada\n")
    status, _, err = cli(capsys, "render", tmp_path / "cv.yaml", "-o", tmp_path / "cv.tex")
    assert status == 1 and "Traceback" not in err
    assert all("locales/de.yaml:1:1: " in line for line in err.strip().splitlines())  # each problem, located
    assert re.search(message, err), err


def test_french_spacing_before_high_punctuation(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    summary = "Domaines: compilateurs ; langages! Pourquoi ?? Voir https://ex.org/a:b à 12:30 (oui)!"
    profile = tmp_path / "cv.yaml"
    profile.write_text(f"languages: [fr, en]\nname: Hélène Lefèvre\nsummary: '{summary}'\n", encoding="utf-8")
    for lang in ("fr", "en"):
        assert cli(capsys, "render", profile, "--lang", lang, "-o", tmp_path / f"{lang}.tex")[0] == 0
    french, english = (
        " ".join((tmp_path / f"{lang}.tex").read_text(encoding="utf-8").split()) for lang in ("fr", "en")
    )
    assert (
        r"Domaines~: compilateurs\,; langages\,! Pourquoi\,?? Voir \url{https://ex.org/a:b} à 12:30 (oui)\,!" in french
    )
    assert "Domaines: compilateurs ; langages! Pourquoi ??" in english
    assert escape("Note : x") == "Note : x"  # outside a French document's render


def test_pdf_metadata_and_hyphenation_follow_the_language(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("languages: [zh, ru]\nname: {zh: 吴侃, ru: Иван Петров}\n", encoding="utf-8")
    zh = localize.view(schema.validate(loader.load(profile)), "zh")
    assert zh["metadata"] == {"title": "吴侃 – 简历", "subject": "吴侃的简历", "lang": "zh"}  # no stray space
    status, _, err = cli(capsys, "render", profile, "--lang", "ru", "-o", tmp_path / "ru.tex")
    tex = (tmp_path / "ru.tex").read_text(encoding="utf-8")
    assert status == 0, err
    assert r"pdfsubject={\texcvfont{A}{Резюме – Иван Петров}}, pdflang={ru}" in tex
    assert r"\ifcsname l@russian\endcsname\language=\csname l@russian\endcsname" in tex
