"""One small CV per locale (tests/data/locales/), each built to PDF: its month names, its "present"
word, its summary heading and the owner's name must all be in the text pdftotext reads back."""

from __future__ import annotations

import pytest
from helpers import ROOT

from texcv import loader, localize, schema, textlayer
from texcv.batch import build_many
from texcv.build import Settings
from texcv.dates import format_date, parse_date

SAMPLES = ROOT / "tests" / "data" / "locales"
LANGUAGES = sorted(p.stem for p in SAMPLES.glob("*.yaml"))

pytestmark = pytest.mark.tex


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every sample built once, two at a time: language → the text of each page."""
    out = tmp_path_factory.mktemp("locales")
    with pytest.MonkeyPatch.context() as mp:  # keep TeX's caches out of the real home
        mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        outcomes = list(build_many([SAMPLES / f"{lang}.yaml" for lang in LANGUAGES], out, Settings(), jobs=2))
    assert [o.error for o in outcomes if o.error] == []
    return {o.profile.stem: textlayer.extract(o.built[0].pdf) for o in outcomes}


def test_there_is_a_sample_for_each_of_at_least_25_languages() -> None:
    assert len(LANGUAGES) >= 25 and {"ru", "el", "he", "ar", "hi", "th", "ja", "ko", "zh-Hant"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_localised_words_reach_the_pdf(lang: str, pdf_texts: dict[str, list[str]]) -> None:
    cv = localize.view(schema.validate(loader.load(SAMPLES / f"{lang}.yaml")), lang)
    words = cv["words"]
    expected = [
        cv["name"]["full"],
        words["present"],
        words["summary"],
        *(format_date(parse_date(day), words) for day in ("2021-03", "2020-12", "2019-05-31")),
    ]
    check = textlayer.check(expected, pdf_texts[lang])
    assert check.missing == {}, check.missing
