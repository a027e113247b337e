"""Every script reaches the PDF: a font per script chosen before TeX runs (scripts.py), runs and
right-to-left spans marked in the LaTeX, and the characters no installed font has named with the
Debian package that adds them."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from helpers import LOCATED, cli

from texcv import build, engine, scripts

DATA = Path(__file__).parent / "data" / "scripts"
NOTO = pytest.mark.skipif(scripts.charset("Noto Sans Hebrew") is None, reason="needs fonts-noto-core")
CRAB = "\U0001f980"  # an emoji: in fonts-symbola only

# Every name and institution of twenty-scripts.yaml, as pdftotext must give it back (logical order).
NAMES = [
    "Иван Петров",
    "Εθνικό Μετσόβιο Πολυτεχνείο",
    "Νίκος Παπαδόπουλος",
    "יוסי כהן",
    "محمد عبد الله",
    "دانشگاه تهران",
    "האוניברסיטה העברית בירושלים",
    "جامعة القاهرة",
    "भारतीय प्रौद्योगिकी संस्थान दिल्ली",
    "ঢাকা বিশ্ববিদ্যালয়",
    "சென்னைப் பல்கலைக்கழகம்",
    "จุฬาลงกรณ์มหาวิทยาลัย",
    "თბილისის სახელმწიფო უნივერსიტეტი",
    "Երևանի պետական համալսարան",
    "አዲስ አበባ ዩኒቨርሲቲ",
    "東京大学",
    "서울대학교",
    "Nguyễn Thị Hương",
    "≥ ≤ → ★ ✓ ₹ √ ∞",
]


def marked(tex: str, families: dict[str, str]) -> str:
    """`tex` wrapped with a fallback that sets each character of families' keys in its family."""
    fonts = {char: family for chars, family in families.items() for char in chars}
    return scripts.wrap(tex, scripts.Fallback(fonts, tuple(dict.fromkeys(fonts.values()))))


def test_a_name_in_another_script_is_one_run_and_latin_keeps_its_font() -> None:
    tex = marked(r"\name{Иван}{Петров} with Иван Петров, Ada", {"ИванПетров": "Noto Sans"})
    assert tex == r"\name{\texcvfont{A}{Иван}}{\texcvfont{A}{Петров}} with \texcvfont{A}{Иван Петров}, Ada"


def test_right_to_left_spans_take_their_words_numbers_and_brackets() -> None:
    hebrew = {"יוסיכהןשרהלוי": "Noto Sans Hebrew"}
    assert marked("With יוסי כהן and x", hebrew) == r"With \texcvR{\texcvfont{A}{יוסי כהן}} and x"
    assert marked("שרה לוי 2020.", hebrew) == r"\texcvR{\texcvfont{A}{שרה לוי} 2020}."
    syntax_ends_it = r"\textbf{\texcvR{\texcvfont{A}{שרה}}} (2019)."
    assert marked(r"\textbf{שרה} (2019).", hebrew) == syntax_ends_it
    assert marked("שרה (2019–2023).", hebrew) == r"\texcvR{\texcvfont{A}{שרה} (2019–2023)}."
    assert marked("שָׁרה x", hebrew) == r"\texcvR{\texcvfont{A}{שָׁרה}} x"  # the points go with their letters


def test_a_run_ends_with_its_line() -> None:
    """A paragraph in another script ends a run before the blank line after it: ats's summary, a run of
    Devanagari, took the blank line in (the marks' rule joined line ends to their letters) and TeX stopped."""
    devanagari = {"मैंकपइलरबनतहूँ।ं": "Noto Sans Devanagari"}
    tex = marked("मैं कंपाइलर बनाता हूँ।\n\n% अनुभव\n", devanagari)
    assert tex.startswith("\\texcvfont{A}{मैं कंपाइलर बनाता हूँ।}\n\n% ")


@NOTO
def test_punctuation_the_scripts_font_lacks_is_left_to_the_main_font() -> None:
    """Noto Sans Hebrew has no brackets or guillemets: inside its run they were missing from the PDF."""
    tex = marked("שרה (לוי) «שרה»", {"שרהלוי": "Noto Sans Hebrew"})
    assert tex == r"\texcvR{\texcvfont{A}{שרה} (\texcvfont{A}{לוי}) «\texcvfont{A}{שרה}»}"


@NOTO
def test_a_word_is_set_whole_in_the_font_of_its_foreign_letter() -> None:
    assert marked("Nguyễn Thị", {"ễ": "Noto Sans"}) == r"\texcvfont{A}{Nguyễn} Thị"


def test_fonts_get_letters_in_order_of_first_use() -> None:
    fallback = scripts.Fallback({}, tuple(f"F{i}" for i in range(30)))
    assert [fallback.command(f"F{i}") for i in (0, 25, 26, 29)] == ["A", "Z", "AA", "AD"]


def test_charset_ranges() -> None:
    charset = scripts.Charset([(0x41, 0x5A), (0x3B1, 0x3C9)])
    assert "A" in charset and "α" in charset and "a" not in charset and "ϊ" not in charset


@NOTO
def test_latin_text_stays_on_pdflatex_and_other_scripts_get_a_font_each() -> None:
    assert engine.choose(["Ada Müller — Łódź"]).fallback is None
    choice = engine.choose(["Ada, Νίκος, יוסי, ★"], font="sans")
    assert choice.engine == "xelatex"
    assert choice.fallback is not None
    fonts = choice.fallback.fonts
    assert (fonts["ί"], fonts["י"], fonts["★"]) == ("Noto Sans", "Noto Sans Hebrew", "Noto Sans Symbols2")
    assert "A" not in fonts  # Latin Modern sets Latin
    assert engine.choose(["Νίκος"], font="roman").fallback.fonts["ί"] == "Noto Serif"  # type: ignore[union-attr]


@pytest.fixture
def without_symbola(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine as if fonts-symbola (the one font with the crab) were not installed."""
    charset = scripts.charset
    monkeypatch.setattr(scripts, "charset", lambda family: None if family == "Symbola" else charset(family))


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_character_no_font_has_is_a_located_error_before_tex(
    capsys, tmp_path: Path, command: str, without_symbola: None
) -> None:
    profile = tmp_path / "crab.yaml"
    profile.write_text(f"name: Ada Lovelace\nheadline: Rustacean {CRAB}\n", encoding="utf-8")
    output: list[str | Path] = ["-o", tmp_path / "out"] if command == "build" else []
    status, _, err = cli(capsys, command, profile, *output)
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == "texcv: error: no installed font has 1 character(s) of the profile"
    match = LOCATED.match(lines[1])
    assert match and (match["line"], match["path"]) == ("2", "headline"), lines[1]
    assert "U+1F980" in lines[1] and "sudo apt-get install fonts-symbola" in lines[1]
    assert not (tmp_path / "out").exists()  # no TeX ran, nothing written


@NOTO
def test_doctor_names_the_scripts_this_machine_sets(capsys) -> None:
    _, out, _ = cli(capsys, "doctor")
    settable = re.search(r"^Scripts this machine can set: (.*)$", out, re.MULTILINE)
    assert settable and {"Latin", "Greek", "Hebrew", "Arabic", "Devanagari", "Thai", "Ethiopic"} <= set(
        settable.group(1).split(", ")
    )


def _left_edges(pdf: Path) -> dict[str, float]:
    """Each word of the PDF (as written: pdftotext -bbox gives right-to-left words reversed) → its left edge."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    return {(word[::-1] if _right_to_left(word) else word).strip(","): float(x) for x, word in found}


def _right_to_left(word: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in word)


@NOTO
@pytest.mark.tex("xelatex")
def test_twenty_scripts_build_with_every_name_in_the_text(tmp_path: Path) -> None:
    (built,) = build.build(DATA / "twenty-scripts.yaml", tmp_path, build.Settings(use_cache=False))
    assert built.engine == "xelatex"
    assert not [w for w in built.warnings if "missing" in w], built.warnings
    assert built.words_checked > 150 and built.fields_with_lost_text == 0
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
    from texcv.textlayer import normalise

    readable = " ".join(normalise(text).split())
    for name in NAMES:
        assert " ".join(normalise(name).split()) in readable, name
    fonts = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    for family in ("LMSans", "NotoSans-", "NotoSansHebrew", "NotoSansArabic", "NotoSansDevanagari", "NotoSansThai"):
        assert family in fonts, family
    # Right to left: the first word of a Hebrew name is set to the right of the second.
    x = _left_edges(built.pdf)
    assert x["יוסי"] > x["כהן"] and x["האוניברסיטה"] > x["העברית"]


def test_lualatex_is_kept_from_text_it_would_not_order_or_shape() -> None:
    with pytest.raises(engine.EngineCannotSet, match="under xelatex, not lualatex") as info:
        engine.choose(["Ada, יוסי, हिन्दी"], "lualatex")
    assert "י" in info.value.chars and "ि" in info.value.chars and "ह" not in info.value.chars


@NOTO
@pytest.mark.tex("xelatex")
def test_a_right_to_left_name_heads_the_cv_in_its_order(tmp_path: Path) -> None:
    profile = tmp_path / "yossi.yaml"
    # An English CV (most of its letters Latin; a Hebrew one would be mirrored: test_rtl.py).
    headline = "Senior software engineer at אוניברסיטת תל אביב"
    profile.write_text(f"name: {{given: יוסי, family: כהן}}\nheadline: {headline}\n", "utf-8")
    (doc,) = build.documents(profile)
    assert r"\name{\texcvnohyph{\texcvR{\texcvfont{A}{יוסי כהן}}}}{}" in doc.tex  # one span, read right to left
    (built,) = build.build(profile, tmp_path / "out", build.Settings(use_cache=False))
    x = _left_edges(built.pdf)
    assert x["יוסי"] > x["כהן"] and x["תל"] > x["אביב"] and x["engineer"] < x["אביב"]


def test_characters_texcv_drops_need_no_font(tmp_path: Path) -> None:
    """Found by test_hostile_profiles: an escape character in a field is dropped before TeX, so
    no font needs to have it."""
    profile = tmp_path / "cv.yaml"
    profile.write_text('name: Ada Lovelace\nsummary: "a\\e\\x80b"\n', "utf-8")
    (doc,) = build.documents(profile)  # before: "'\x1b' is in no installed font"
    assert "\x1b" not in doc.tex and "\x80" not in doc.tex


@NOTO
@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("family", ["ats", "sidebar"])
@pytest.mark.parametrize("lang", ["hi", "th"])
def test_a_summary_in_another_script_builds_in_the_article_families(tmp_path: Path, family: str, lang: str) -> None:
    sample = DATA.parent / "locales" / f"{lang}.yaml"
    (built,) = build.build(sample, tmp_path, build.Settings(design={"template": family}))
    assert built.fields_with_lost_text == 0
