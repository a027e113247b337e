"""Whole CVs in right-to-left languages, mirrored (engine.py picks lualatex, rtl.tex.j2 loads babel),
and CJK documents set as a native typesetter would (cjk.tex.j2)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import PROFILES, pdf_text, words_on_pages

from texcv import build, engine, scripts
from texcv.textlayer import normalise

DATA = Path(__file__).parent / "data" / "rtl"
NOTO = pytest.mark.skipif(scripts.charset("Noto Sans Hebrew") is None, reason="needs fonts-noto-core")


def test_a_document_in_a_right_to_left_language_is_mirrored_under_lualatex() -> None:
    hebrew = engine.choose(["יוסי כהן", "מהנדס ב-Google מאז 2019"])
    assert (hebrew.engine, hebrew.rtl_language) == ("lualatex", "hebrew")  # most letters are Hebrew
    assert engine.choose(["محمد عبد الله", "Python"]).rtl_language == "arabic"
    assert engine.choose(["محمد", "Python developer at Google"], lang="fa").rtl_language == "persian"  # the code says


def test_only_the_authors_text_tells_the_direction(tmp_path: Path) -> None:
    """Design values (moderncv, classic, blue), language codes and English month names are not the
    profile's text: a short Hebrew profile is still a Hebrew CV."""
    (tmp_path / "cv.yaml").write_text("name: יוסי כהן\nheadline: מהנדס Python\n", "utf-8")
    (document,) = build.documents(tmp_path / "cv.yaml")
    assert document.choice.rtl_language == "hebrew"


def test_a_left_to_right_cv_with_a_right_to_left_name_is_not_mirrored() -> None:
    choice = engine.choose(["Ada Lovelace", "Co-authors: יוסי כהן and Charles Babbage"])
    assert (choice.engine, choice.rtl_language) == ("xelatex", "")
    assert engine.choose(["יוסי כהן"], "xelatex").rtl_language == ""  # xelatex asked for: spans in a left-to-right CV


def test_entry_parts_are_separated_by_the_languages_comma() -> None:
    separators = [engine.choose(["山田太郎"], lang=lang).separator for lang in ("zh", "ja", "ko", "en")]
    assert separators == ["，", "、", "", ""]  # Korean writes ", "
    assert engine.choose(["محمد عبد الله"], lang="fa").separator == "\u060c"  # the Arabic comma
    assert engine.choose(["יוסי כהן"], lang="he").separator == ""  # Hebrew writes ", "


def test_the_document_language_chooses_the_cjk_face_else_its_letters() -> None:
    assert [engine.choose(["山田太郎"], lang=lang).cjk_face for lang in ("ja", "ko", "zh", "zh-TW")] == [
        "JP",
        "KR",
        "SC",
        "TC",
    ]
    assert engine.choose(["山田 たろう"]).cjk_face == "JP"
    assert engine.choose(["김민준"]).cjk_face == "KR"
    assert not engine.choose(["山田太郎"], lang="en").native_cjk


def _side(pdf: Path, side: str) -> str:
    """The normalised text of the first page's right or left third (pdftotext -x/-W, in points). Word
    boxes would not do: pdftotext gives lualatex's right-to-left text a box per letter."""
    ((width, height, _), *_) = words_on_pages(pdf)
    left = 0 if side == "left" else width * 2 / 3
    crop = ["-f", "1", "-l", "1", "-x", str(int(left)), "-y", "0", "-W", str(int(width / 3)), "-H", str(int(height))]
    out = subprocess.run(["pdftotext", *crop, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(normalise(out).split())


def _built(profile: Path, out: Path) -> build.Built:
    (built,) = build.build(profile, out, build.Settings(use_cache=False))
    assert built.fields_with_lost_text == 0
    return built


@NOTO
@pytest.mark.tex("lualatex")
def test_a_hebrew_cv_reads_right_to_left_with_its_dates_on_the_right(tmp_path: Path) -> None:
    built = _built(DATA / "hebrew.yaml", tmp_path)
    assert built.engine == "lualatex"
    readable = normalise(pdf_text(built.pdf))
    for phrase in ("מהנדס תוכנה בכיר", "האוניברסיטה העברית בירושלים", "הובלת צוות של 6 מהנדסים בפרויקט Kubernetes"):
        assert " ".join(normalise(phrase).split()) in " ".join(readable.split()), phrase  # logical order
    right, left = _side(built.pdf, "right"), _side(built.pdf, "left")
    assert "mar 2019 aug 2023" in right and "2019" not in left  # the date column on the right
    assert "יוסי כהן" in right and "yossi" in left  # the name on the right, the contact block on the left
    log = built.pdf.with_suffix(".log").read_text("utf-8", "replace")
    assert "Font Warning: Font shape" not in log  # the title and addresses upright: no slanted Hebrew to substitute


@NOTO
@pytest.mark.tex("lualatex")
@pytest.mark.parametrize("style", ["casual", "banking", "oldstyle", "fancy"])
def test_a_hebrew_cv_builds_in_every_style(tmp_path: Path, style: str) -> None:
    """(banking's entries, a tabular*, made HarfBuzz assert under babel's layout where a date or title
    is in a font of its own, as the locale sample's are: lualatex stopped)"""
    source = tmp_path / "he.yaml"
    sample = DATA.parent / "locales" / "he.yaml"
    source.write_text(sample.read_text("utf-8") + f"design: {{style: {style}}}\n", "utf-8")
    built = _built(source, tmp_path / "out")
    assert "האוניברסיטה העברית" in " ".join(normalise(pdf_text(built.pdf)).split())


@NOTO
@pytest.mark.tex("lualatex")
def test_an_arabic_cv_is_joined_and_mirrored(tmp_path: Path) -> None:
    built = _built(DATA / "arabic.yaml", tmp_path)
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Joined letters extract as their contextual forms (U+FE70…U+FEFF); unjoined ones as the plain letters.
    assert any("\ufe70" <= c <= "\ufeff" for c in text)
    readable = " ".join(normalise(text).split())  # NFKD: contextual forms back to letters
    for phrase in ("محمد عبد الله", "تحسين الأداء بنسبة", "لأكثر من 5 ملايين"):  # lam-alef in its order
        assert " ".join(normalise(phrase).split()) in readable, phrase
    assert "\u060c" in text and "," not in text  # the Arabic comma, not moderncv's ", "
    right, left = _side(built.pdf, "right"), _side(built.pdf, "left")
    assert "jan 2018 jun 2023" in right and "2018" not in left
    assert normalise("محمد عبد").strip() in right and "mohammed" in left


@pytest.mark.tex("xelatex")
def test_a_chinese_cv_is_set_upright_with_chinese_separators_and_a_matching_latin(tmp_path: Path) -> None:
    (built, _) = build.build(PROFILES / "kan-wu.yaml", tmp_path, build.Settings(use_cache=False))
    assert built.pdf.name == "kan-wu.zh.pdf"
    log = built.pdf.with_suffix(".log").read_text("utf-8", "replace")
    assert "Font Warning: Font shape" not in log  # before: NotoSansCJKSC/m/sl undefined, for the slanted title
    assert "计算机科学与技术专业，中山大学，18 级直博生" in pdf_text(built.pdf)  # ，not ", "
    fonts = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSans-Regular" in fonts and "LMSans" not in fonts


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize(
    ("profile", "face"),
    [
        ("name: {given: 太郎, family: 山田}\nheadline: エンジニア\n", "JP"),
        ("name: 김민준\nheadline: 소프트웨어 엔지니어\n", "KR"),
    ],
)
def test_japanese_and_korean_cvs_use_their_faces(tmp_path: Path, profile: str, face: str) -> None:
    """pdffonts cannot tell: the faces of Noto CJK's collection share one font name (NotoSansCJKjp);
    fontspec's log names the family it loaded."""
    (tmp_path / "cv.yaml").write_text(profile, "utf-8")
    built = _built(tmp_path / "cv.yaml", tmp_path / "out")
    log = built.pdf.with_suffix(".log").read_text("utf-8", "replace")
    assert f"Font family 'NotoSansCJK{face}(0)'" in log and "CJKSC" not in log


@pytest.mark.tex("xelatex")
def test_korean_breaks_lines_between_words_only(tmp_path: Path) -> None:
    words = [
        "대규모",
        "언어",
        "모델의",
        "분산",
        "학습",
        "시스템을",
        "설계하고",
        "구현했으며",
        "추론",
        "속도를",
        "크게",
        "개선했습니다",
    ] * 6
    (tmp_path / "cv.yaml").write_text(f"name: 김민준\nsummary: {' '.join(words)}\n", "utf-8")
    built = _built(tmp_path / "cv.yaml", tmp_path / "out")
    lines = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert set(words) >= {w for w in lines.split() if any("\uac00" <= c <= "\ud7a3" for c in w)} - {"김민준"}


@NOTO
@pytest.mark.tex("xelatex", "lualatex")
@pytest.mark.parametrize(
    "profile",
    [
        "languages: [zh]\nname: 吴侃\nheadline: Python 工程师\ncontact: {location: 广州 Tianhe}\n",
        "name: יוסי כהן\nheadline: מהנדס Python בכיר\ncontact: {location: 'תל אביב, Israel'}\n",
    ],
    ids=["chinese", "hebrew"],
)
def test_the_header_of_a_cjk_or_right_to_left_cv_is_upright(tmp_path: Path, profile: str) -> None:
    """moderncv slants the title and the contact lines; beside letters that are never slanted, the Latin
    words in them stay upright too."""
    (tmp_path / "cv.yaml").write_text(profile, "utf-8")
    built = _built(tmp_path / "cv.yaml", tmp_path / "out")
    fonts = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    assert "Italic" not in fonts and "Oblique" not in fonts, fonts
