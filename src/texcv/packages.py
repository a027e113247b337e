"""The Debian packages texcv uses, each named once: install advice in messages and `texcv doctor`
come from here, and tasks.sh installs exactly these (tests/test_packages.py)."""

from __future__ import annotations

LATEX = "texlive-latex-extra"  # moderncv, and pdflatex with everything a CV loads
ENGINES = {"pdflatex": LATEX, "xelatex": "texlive-xetex", "lualatex": "texlive-luatex"}
ICONS = "texlive-fonts-extra"  # fontawesome5 (moderncv's icons); EB Garamond for style fancy
LATIN_MODERN = "lmodern"
CJK_TEX = "texlive-lang-chinese"  # xeCJK
NOTO_CJK = "fonts-noto-cjk"
NOTO_CORE = "fonts-noto-core"  # Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, … (Noto Sans per script)
TEX_GYRE = "tex-gyre"  # style banking
EB_GARAMOND_INITIALS = "fonts-ebgaramond-extra"  # style fancy under xelatex or lualatex
SYMBOLA = "fonts-symbola"  # emoji and symbols no other font has
POPPLER = "poppler-utils"  # pdftotext (every build reads its PDF back), pdftoppm (--png)
# Fonts templates ask for by name (a name's start), and the package that has them.
FONTS = {
    "Noto Sans CJK": NOTO_CJK,
    "Noto Serif CJK": NOTO_CJK,
    "Noto Sans Mono CJK": NOTO_CJK,
    "Noto": NOTO_CORE,
    "TeX Gyre": TEX_GYRE,
    "EB Garamond": EB_GARAMOND_INITIALS,
}
# Hyphenation patterns a locale names (texcv/locales/*.yaml `hyphenation`, TeX's language.dat names), and
# the package that has them. English's come with TeX; Hebrew, Arabic, Persian, Vietnamese and CJK have none.
HYPHENATION = {
    "ngerman": "texlive-lang-german",
    "french": "texlive-lang-french",
    "spanish": "texlive-lang-spanish",
    "italian": "texlive-lang-italian",
    "portuguese": "texlive-lang-portuguese",
    "polish": "texlive-lang-polish",
    "czech": "texlive-lang-czechslovak",
    "dutch": "texlive-lang-european",
    "swedish": "texlive-lang-european",
    "turkish": "texlive-lang-european",
    "russian": "texlive-lang-cyrillic",
    "ukrainian": "texlive-lang-cyrillic",
    "monogreek": "texlive-lang-greek",
    "hindi": "texlive-lang-other",
    "thai": "texlive-lang-other",
    "indonesian": "texlive-lang-other",
}
EVERYTHING = (LATEX, "texlive-fonts-recommended", ICONS, *ENGINES.values(), CJK_TEX, NOTO_CJK, NOTO_CORE, TEX_GYRE,
              LATIN_MODERN, EB_GARAMOND_INITIALS, SYMBOLA, POPPLER, *dict.fromkeys(HYPHENATION.values()))  # fmt: skip
# What only the tests use, so never in texcv's install advice: headless Chromium shows them the HTML
# export as a reader's browser does (tests/test_html.py).
TESTS_ONLY = ("chromium",)


def install(*packages: str) -> str:
    """The command that installs `packages` (each once, in order)."""
    return "sudo apt-get install " + " ".join(dict.fromkeys(packages))
