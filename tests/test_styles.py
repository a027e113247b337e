"""Every moderncv style × colour, and every style under each engine, compiles on real TeX."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import STYLED_PROFILE, pdf_text

from texcv.build import Settings, build
from texcv.templates import families, search_path

# The styles and colour names moderncv's family.yaml declares.
_MODERNCV = next(f for f in families(search_path(None)) if f.name == "moderncv").options
STYLES, COLORS = _MODERNCV["style"].values, _MODERNCV["color"].values

CJK_STYLED_PROFILE = """\
languages: [zh, en]
name: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}}
headline: {zh: 大模型训练, en: Large model training}
sections:
  - title: {zh: 教育经历, en: Education}
    entries:
      - {title: {zh: 中山大学 计算机科学与技术, en: Sun Yat-sen University}, start: 2018-09, end: present,
        note: {zh: "直博生 “联合培养”", en: "Ph.D. — “joint” †"}}
"""


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("styles") / "zoe.yaml"
    path.write_text(STYLED_PROFILE, encoding="utf-8")
    return path


def _build(profile: Path, out: Path, **design: str) -> str:
    (built,) = build(profile, out, Settings(design=design))
    assert built.pdf.read_bytes().startswith(b"%PDF")
    assert not [w for w in built.warnings if "missing" in w], built.warnings
    return pdf_text(built.pdf)


@pytest.mark.tex
@pytest.mark.parametrize("color", COLORS)
@pytest.mark.parametrize("style", STYLES)
def test_style_and_colour_compile_with_pdflatex(profile: Path, tmp_path: Path, style: str, color: str) -> None:
    text = _build(profile, tmp_path, style=style, color=color, engine="pdflatex")
    assert "Çelik-Nørgaard" in text and "Shipped 100% of it" in text


@pytest.mark.tex("xelatex", "lualatex")
@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
@pytest.mark.parametrize("style", STYLES)
def test_every_style_compiles_with_unicode_engines(profile: Path, tmp_path: Path, style: str, engine: str) -> None:
    text = _build(profile, tmp_path, style=style, engine=engine)
    assert "Çelik-Nørgaard" in text and "C#, C++, snake_case" in text


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("font", ["sans", "roman"])
def test_cjk_profile_builds_both_languages(tmp_path: Path, font: str) -> None:
    path = tmp_path / "kan.yaml"
    path.write_text(CJK_STYLED_PROFILE, encoding="utf-8")
    zh, en = build(path, tmp_path / "out")
    assert (zh.pdf.name, en.pdf.name) == ("kan.zh.pdf", "kan.en.pdf")
    assert zh.engine == "xelatex" and en.engine == "pdflatex"
    zh_text = pdf_text(zh.pdf)
    assert "吴侃" in zh_text and "直博生 “联合培养”" in zh_text.replace("“ ", "“").replace(" ”", "”")
    assert "Ph.D. — “joint” †" in pdf_text(en.pdf)
    assert zh.warnings == []
