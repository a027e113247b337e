"""The real résumés in tests/data/seeds survive conversion to profiles and PDF.

Each seed (text converted from a web page or PDF, with debris) has a hand-written profile. The
profile is built once per module; the PDF text (pdftotext) must hold at least 95% of the seed's
words as a multiset, every heading of the seed, and most of every seed section's words; and the
build must report no warnings (overfull boxes, missing glyphs).
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from helpers import PROFILES, ROOT

from texcv.build import build

SEEDS = ROOT / "tests" / "data" / "seeds"  # copies of the project's shared/seeds (see its README.md)

RECALL = 0.95  # of the whole seed's words
SECTION_RECALL = 0.90  # of each seed section's words (see below): a dropped section fails this

# Seeds whose headings are not marked up: the section titles, in order, as the seed writes them.
PLAIN_HEADINGS = {
    "002_c04c926315613eb2.txt": [
        "Publications",
        "Industrial Experience",
        "Talks and Presentations",
        "Activities",
        "Teaching",
        "Education",
        "Media",
    ],
}
# Web-page chrome deliberately left out of a profile (not résumé content).
CHROME = {
    "000_eaa7399002318c9c.txt": [r"Last updated on .*", r"created on 4th Jan, 2022"],
}
CASES = [
    pytest.param("000_eaa7399002318c9c.txt", "weiyan-wang", marks=pytest.mark.tex("xelatex"), id="weiyan-wang"),
    pytest.param("001_cabae79e750d549c.txt", "xingyao-wang", marks=pytest.mark.tex, id="xingyao-wang"),
    pytest.param(
        "002_c04c926315613eb2.txt", "wei-wen-academic", marks=pytest.mark.tex("xelatex"), id="wei-wen-academic"
    ),
    pytest.param("003_841fa09abffa326b.txt", "wei-wen-resume", marks=pytest.mark.tex, id="wei-wen-resume"),
    pytest.param("004_7219b793646f0951.txt", "kan-wu", marks=pytest.mark.tex("xelatex"), id="kan-wu"),
]

# --- words ---------------------------------------------------------------------------------------

_CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(rf"[{_CJK_CHAR}]|[0-9A-Za-z\u00c0-\u024f]+")


def words(text: str) -> Counter:
    """Lower-cased runs of Latin letters/digits and single CJK characters (NFKC: ligatures split)."""
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def clean_seed(text: str, name: str) -> str:
    """The seed's readable text: URLs, HTML, markdown/LaTeX markup and known chrome removed."""
    for pattern in CHROME.get(name, []):
        text = re.sub(pattern, " ", text)
    text = re.sub(r"<(?:https?://|mailto:)[^>]*>", " ", text)  # <https://…> autolinks: only a URL
    text = re.sub(r"<[^>]*>", " ", text)  # HTML tags (and the <img …> photo)
    text = html.unescape(text)  # &nbsp; &amp; …
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](url) → [text]
    text = re.sub(r"(?:https?://|www\.)\S+", " ", text)  # bare URLs
    # A numeric date prints in the profile language's style (05/2019 → May 2019): keep only its year.
    text = re.sub(r"\b(?:\d{1,2}/){1,2}(\d{4})\b", r"\1", text)
    text = re.sub(r"\b(\d{4})\.\d{1,2}\b", r"\1", text)
    text = re.sub(r"\\[A-Za-z]+", " ", text)  # LaTeX commands in math remnants ($\bullet \textbf{…}$)
    text = re.sub(r"(?m)^(\s*[-*•]\s+)o\s+", r"\1", text)  # "- o Item": a pseudo-bullet
    text = re.sub(r"([\w.+-]+) AT ([\w-]+(?:\.[\w-]+)+)", r"\1@\2", text)  # "x AT y.org": an e-mail address
    return text


def headings(text: str, name: str) -> list[str]:
    if name in PLAIN_HEADINGS:
        return PLAIN_HEADINGS[name]
    found = re.findall(r"(?m)^#{1,6}\s+(.+?)\s*$", text)
    return [re.sub(r"[*_:]", "", h).strip() for h in found]


def sections(text: str, titles: list[str]) -> dict[str, str]:
    """The seed cut at its heading lines: heading → the text up to the next heading."""
    starts = []
    for title in titles:
        match = re.search(rf"(?m)^[#\s]*[*_]*{re.escape(title)}[*_:]*\s*$", text[starts[-1][1] if starts else 0 :])
        assert match, f"heading {title!r} not found in the seed"
        offset = starts[-1][1] if starts else 0
        starts.append((title, offset + match.end()))
    ends = [s for _, s in starts[1:]] + [len(text)]
    return {title: text[start:end] for (title, start), end in zip(starts, ends)}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True)
    return result.stdout


def missed(seed: Counter, pdf: Counter) -> str:
    lost = seed - pdf
    return ", ".join(f"{w}×{n}" if n > 1 else w for w, n in sorted(lost.items(), key=lambda kv: (-kv[1], kv[0])))


def recall(seed: Counter, pdf: Counter) -> float:
    return sum((seed & pdf).values()) / max(1, sum(seed.values()))


# --- builds --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory):
    """profile name → (list of Built, concatenated PDF text); each profile is built at most once."""
    cache: dict[str, tuple[list, str]] = {}

    def get(profile: str) -> tuple[list, str]:
        if profile not in cache:
            with pytest.MonkeyPatch.context() as mp:  # keep TeX's caches out of the real home
                mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
                built = build(PROFILES / f"{profile}.yaml", tmp_path_factory.mktemp(profile))
            cache[profile] = (built, "\n".join(pdf_text(b.pdf) for b in built))
        return cache[profile]

    return get


@pytest.mark.parametrize(("seed", "profile"), CASES)
def test_seed_words_reach_the_pdf(seed: str, profile: str, builds) -> None:
    source = (SEEDS / seed).read_text("utf-8")
    built, text = builds(profile)
    assert len(built) == (2 if profile == "kan-wu" else 1)
    seed_words, pdf_words = words(clean_seed(source, seed)), words(text)
    score = recall(seed_words, pdf_words)
    assert score >= RECALL, (
        f"{profile}: recall {score:.3f} < {RECALL}; seed words missing from the PDF: {missed(seed_words, pdf_words)}"
    )


@pytest.mark.parametrize(("seed", "profile"), CASES)
def test_seed_sections_reach_the_pdf(seed: str, profile: str, builds) -> None:
    source = (SEEDS / seed).read_text("utf-8")
    _, text = builds(profile)
    pdf_words, flat = words(text), squeeze(text)
    titles = headings(source, seed)
    assert titles, "the seed has no headings to check"
    lost_titles = [t for t in titles if squeeze(t) not in flat]
    assert not lost_titles, f"{profile}: seed headings missing from the PDF: {lost_titles}"
    seed_words = words(clean_seed(source, seed))
    for title, body in sections(source, titles).items():
        body_words = words(clean_seed(body, seed))
        if not body_words:
            continue
        # The section gets only the PDF words the rest of the seed leaves over: words it shares with
        # other sections do not hide its loss.
        score = recall(body_words, pdf_words - (seed_words - body_words))
        assert score >= SECTION_RECALL, (
            f"{profile}: section {title!r} recall {score:.3f}; missing: {missed(body_words, pdf_words)}"
        )


@pytest.mark.parametrize(("seed", "profile"), CASES)
def test_seed_profile_builds_without_warnings(seed: str, profile: str, builds) -> None:
    built, _ = builds(profile)
    for result in built:
        assert result.warnings == [], f"{result.pdf.name} ({result.engine}, {result.pages} pages): {result.warnings}"
