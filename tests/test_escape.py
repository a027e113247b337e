"""escape.py: user text → LaTeX that prints exactly that text; URLs → exact link targets.

The oracle for escape() is pylatexenc's latex2text, taught the handful of text macros escape()
emits: latex_to_text(escape(s)) must give back s after the documented normalisations (NFC,
controls / surrogates / private-use / unassigned code points dropped, whitespace runs collapsed,
' → ’). The PDF-level oracle is tests/test_nasty_compile.py.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

import pytest
from helpers import FUZZ, assert_safe, expected, latex_to_text
from hypothesis import given
from hypothesis import strategies as st

from texcv.escape import LONG_WORD, PARAGRAPH, Latex, clean, escape, guard_edges, paragraphs, url, without_scheme
from texcv.markup import Inline, to_latex

# --- strategies --------------------------------------------------------------------------------

_NASTY = [
    *r"""\{}$&#%_~^<>|"'`-,.!?*[]()@/:;= """,
    *"aZ09",
    "\n",
    "\n\n",
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "\xa0",
    "\u3000",
    "\u2028",
    "\u2029",  # whitespace
    "\x00",
    "\x07",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9f",  # controls
    "\ud800",
    "\udfff",
    "\ue000",
    "\U000f0000",
    "\U0010fffd",
    "\u0378",
    "\U000e0080",  # Cs Co Cn
    "é",
    "e\u0301",
    "A\u030a",
    "ñ",
    "ß",
    "Ł",
    "ő",
    "ﬁ",
    "–",
    "—",
    "’",
    "“",
    "…",
    "€",
    "中",
    "한",
    "😀",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",  # format characters: kept
]
nasty_text = st.lists(st.sampled_from(_NASTY), max_size=40).map("".join)  # pieces may be 2 chars long
any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates included
# Words long enough to get break points (escape.LONG_WORD), with marks and ligature pairs inside.
long_word = st.lists(st.sampled_from([*"aé-,<>_\\{", "e\u0301", "\u200d", "中"]), min_size=LONG_WORD, max_size=60).map(
    "".join
)
texts = nasty_text | any_text | long_word


# --- properties --------------------------------------------------------------------------------


@FUZZ
@given(texts)
def test_round_trip_through_latex2text(text: str) -> None:
    assert latex_to_text(escape(text)) == expected(text)


@FUZZ
@given(texts)
def test_output_is_one_safe_line(text: str) -> None:
    assert_safe(escape(text))


@FUZZ
@given(texts)
def test_strip_false_keeps_one_edge_space(text: str) -> None:
    out = escape(text, strip=False)
    assert_safe(out)
    assert guard_edges(out.strip(" ~")) == escape(text)  # ~: a no-break space, kept between markup only
    assert not out.startswith("  ") and not out.endswith("  ")


@FUZZ
@given(texts)
def test_paragraphs_are_clean_lines_covering_the_text(text: str) -> None:
    parts = paragraphs(text)
    assert all(p and p == p.strip() and "\n" not in p for p in parts)
    assert " ".join(parts) == clean(text)


@FUZZ
@given(texts)
def test_latex_class_escapes_plain_text_only(text: str) -> None:
    assert str(Latex.escape(text)) == escape(text)
    trusted = Latex(r"\textbf{x}")
    assert Latex.escape(trusted) is trusted
    assert str(trusted + text) == r"\textbf{x}" + escape(text)


# --- unit cases --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "latex"),
    [
        ("#", r"\#"),
        ("$", r"\$"),
        ("%", r"\%"),
        ("&", r"\&"),
        ("_", r"\_"),
        ("{", r"\{"),
        ("}", r"\}"),
        ("~", r"\textasciitilde{}"),
        ("^", r"\textasciicircum{}"),
        ("\\", r"\textbackslash{}"),
        ("<", r"\textless{}"),
        (">", r"\textgreater{}"),
        ("|", r"\textbar{}"),
        ('"', r"\textquotedbl{}"),
        ("'", r"\textquoteright{}"),
        ("`", r"\textasciigrave{}"),
    ],
)
def test_each_special(char: str, latex: str) -> None:
    assert escape(char) == latex
    assert escape(f"a{char}b") == f"a{latex}b"


def test_only_overlong_words_get_break_points() -> None:
    word = "x" * LONG_WORD
    assert escape(word[:-1]) == word[:-1]  # TeX hyphenates it as usual
    assert escape(word) == r"\discretionary{}{}{}".join(word)  # may break anywhere, without a hyphen
    assert escape("a--" + "b" * LONG_WORD).startswith(
        r"a-\kern0pt -b\discretionary{}{}{}b"
    )  # TeX breaks at hyphens itself
    assert "discretionary" not in escape("Forschungssoftware-Ingenieurin-" * 3)
    assert (
        escape("scholar.google.com/citations?user=AYrZ5OcAAAAJ")
        == r"scholar.\discretionary{}{}{}google.\discretionary{}{}{}com/\discretionary{}{}{}"
        r"citations?\discretionary{}{}{}user=\discretionary{}{}{}AYrZ5OcAAAAJ"
    )
    marked = escape("q\u0301" * LONG_WORD)
    assert "\u0301" + r"\discretionary" in marked and "{}\u0301" not in marked  # after a mark, never before it
    assert "discretionary" not in escape("中" * 2 * LONG_WORD)  # CJK breaks by its own rules


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("--", r"-\kern0pt -"),
        ("---", r"-\kern0pt -\kern0pt -"),
        (",,", r",\kern0pt ,"),
        ("-,", r"-\kern0pt ,"),
        ("<<", r"\textless{}\kern0pt \textless{}"),  # « in lualatex without the kern (measured)
        (">>>", r"\textgreater{}\kern0pt \textgreater{}\kern0pt \textgreater{}"),
        ("<>", r"\textless{}\textgreater{}"),  # not a ligature: left alone
        ("``", r"\textasciigrave{}\textasciigrave{}"),
        ("''", r"\textquoteright{}\textquoteright{}"),
        ("!`", r"!\textasciigrave{}"),
        ("?`", r"?\textasciigrave{}"),
        ("- -", "- -"),
    ],
)
def test_ligature_pairs_are_broken(text: str, latex: str) -> None:
    assert escape(f"a{text}b") == f"a{latex}b"
    assert latex_to_text(latex) == text.replace("'", "\u2019")


def test_ligature_characters_on_the_edges_are_kept_apart_from_the_template() -> None:
    # An author ",," followed by the list's ", " must not print „ (see test_hostile_profiles.py).
    assert escape(",,") == r"\kern0pt ,\kern0pt ,\kern0pt{}"
    assert escape(" -x- ", strip=False) == " -x- "  # a piece of a field: its edges are not the field's
    assert to_latex(Inline("**-x,**")) == r"\kern0pt \textbf{-x,}\kern0pt{}"
    assert to_latex(Inline("[-a](https://example.org)")) == r"\kern0pt \href{https://example.org}{-a}"


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("  a \t b\n\n\nc  ", "a b c"),
        ("a\r\nb", "a b"),
        ("a\u3000b\u2028c \u2009 d", "a b c d"),  # Unicode whitespace collapses too
        ("Dr.\xa0Smith, 100\xa0km", "Dr.~Smith, 100~km"),  # but a no-break space stays one
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("a\ud800b\ue000c\U0010fffdd\u0378e", "abcde"),
        ("cafe\u0301", "café"),  # NFC
        ("中文 😀 ﬁ \u200b", "中文 😀 ﬁ \u200b"),
        ("\\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
        ("^^5cinput", r"\textasciicircum{}\textasciicircum{}5cinput"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalisations(text: str, latex: str) -> None:
    assert escape(text) == latex
    assert escape(text, strip=False).strip() == latex


def test_strip_false_keeps_single_spaces_at_the_edges() -> None:
    assert escape("  a  ", strip=False) == " a "
    assert escape("\na\n", strip=False) == " a "


def test_paragraphs_split_at_blank_lines_only() -> None:
    assert paragraphs("one\ntwo\n\nthree  \n \t \n\n  four\n") == ["one two", "three", "four"]
    assert paragraphs("\n\n  \n") == []
    assert paragraphs("a\n\x00\nb") == ["a b"]  # a control char is not a blank line
    assert PARAGRAPH == "\\texcvpar " and "\n" not in PARAGRAPH


# --- URLs --------------------------------------------------------------------------------------

_URL_ESCAPE = re.compile(r"\\[%#&_]|\\string~")


def _unescape_url(latex: str) -> str:
    return _URL_ESCAPE.sub(lambda m: m.group(0)[-1], latex)


url_text = st.lists(
    st.sampled_from([*"%#&_~^${}\\ /:?=@!'()*+,;[]-.", "%41", "%e9", "é", "中", "😀", "\t", "\n", "\xa0", "https://"])
    | st.characters(exclude_categories=("Cs",)),  # quote() cannot encode a lone surrogate
    max_size=40,
).map("".join)


@FUZZ
@given(url_text)
def test_url_is_ascii_with_every_special_escaped(address: str) -> None:
    out = str(url(address))
    assert out.isascii() and not any(c.isspace() for c in out), out
    rest = _URL_ESCAPE.sub("", out)
    assert not re.search(r"[%#&_~\\{}^$ ]", rest), (out, rest)


@FUZZ
@given(url_text)
def test_url_keeps_the_address(address: str) -> None:
    # Percent-decoding what \href or \url receives gives the bytes of the (stripped) address, but for
    # an international host name, which \href gets in ASCII (tests/test_hostile_input.py).
    assert unquote_to_bytes(_unescape_url(str(url(address, shown=True)))) == unquote_to_bytes(address.strip())
    for_href = str(url(address))
    if "xn--" not in for_href:
        assert unquote_to_bytes(_unescape_url(for_href)) == unquote_to_bytes(address.strip())


@pytest.mark.parametrize(
    ("address", "latex"),
    [
        ("https://example.org/~jose/cv_2024", r"https://example.org/\string~jose/cv\_2024"),
        ("https://example.org/a_b?x=1&y=2#frag", r"https://example.org/a\_b?x=1\&y=2\#frag"),
        ("https://ex.org/a b{c}\\^$", "https://ex.org/a%20b%7Bc%7D%5C%5E%24".replace("%", r"\%")),
        ("https://ex.org/José/中", r"https://ex.org/Jos\%C3\%A9/\%E4\%B8\%AD"),
        ("https://ex.org/%7Ejo?q=100%25", r"https://ex.org/\%7Ejo?q=100\%25"),  # existing escapes kept
        ("mailto:a_b@c.org", r"mailto:a\_b@c.org"),
        ("  https://ex.org/  ", "https://ex.org/"),
        ("https://ex.org/(a)[b]!*'+,;=@:", r"https://ex.org/(a)\%5Bb\%5D!*'+,;=@:"),  # [ ] would end \social's [url]
    ],
)
def test_url_examples(address: str, latex: str) -> None:
    out = url(address)
    assert isinstance(out, Latex)
    assert str(out) == latex


@pytest.mark.parametrize(
    ("address", "bare"),
    [
        ("https://www.linkedin.com/in/jose-muller/", "www.linkedin.com/in/jose-muller/"),
        ("http://example.org/~jose", "example.org/~jose"),
        ("HTTPS://Example.org", "Example.org"),
        ("git+ssh://host/x", "host/x"),
        ("  https://a.b  ", "a.b"),
        ("example.org/https://x", "example.org/https://x"),
        ("mailto:a@b.org", "mailto:a@b.org"),  # no //: not a scheme prefix moderncv adds
        ("1http://x", "1http://x"),  # a scheme starts with a letter
        ("jose_m", "jose_m"),
    ],
)
def test_without_scheme(address: str, bare: str) -> None:
    assert without_scheme(address) == bare
