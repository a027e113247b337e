"""markup.py: the inline markdown subset (**bold**, *em* / _em_, `code`, [text](http/https/mailto
link)); everything else prints literally. plain() is the text a reader sees."""

from __future__ import annotations

import re

import pytest
from helpers import EMITTED, FUZZ, RAW_SPECIAL, latex_to_text
from hypothesis import given
from hypothesis import strategies as st

from texcv.escape import Latex, paragraphs
from texcv.markup import Block, Inline, plain, to_latex


def latex(text: str) -> str:
    out = to_latex(Inline(text))
    assert isinstance(out, Latex)
    return str(out)


_URL_ARG = re.compile(r"\\url\{([^{}\s]*)\}")
_URL_UNESCAPE = {r"\%": "%", r"\#": "#", r"\&": "&", r"\_": "_", r"\string~": "~"}


def visible(out: str) -> str:
    """latex_to_text, with bare addresses (\\url{…}) read back as the address they print."""
    addresses: list[str] = []

    def hold(match: re.Match) -> str:
        text = match.group(1)
        for escaped, char in _URL_UNESCAPE.items():
            text = text.replace(escaped, char)
        addresses.append(text)
        return f"QQURL{len(addresses) - 1}QQ"  # kept out of latex2text's hands

    text = latex_to_text(_URL_ARG.sub(hold, out))
    return re.sub(r"QQURL(\d+)QQ", lambda m: addresses[int(m.group(1))], text)


@pytest.mark.parametrize(
    ("text", "expected_latex", "expected_plain"),
    [
        # nesting
        ("**bold *em* bold**", r"\textbf{bold \emph{em} bold}", "bold em bold"),
        ("*em **bold** em*", r"\emph{em \textbf{bold} em}", "em bold em"),
        ("__strong__ and _em_", r"\textbf{strong} and \emph{em}", "strong and em"),
        ("**`code` in bold**", r"\textbf{\texttt{code} in bold}", "code in bold"),
        ("[**bold** link](https://x.org)", r"\href{https://x.org}{\textbf{bold} link}", "bold link"),
        # underscores and stars that are not emphasis
        ("snake_case_name", r"snake\_case\_name", "snake_case_name"),
        ("_a_b_", r"\emph{a\_b}", "a_b"),
        ("5 * 3 * 2", "5 * 3 * 2", "5 * 3 * 2"),
        ("2*3*4", "2*3*4", "2*3*4"),
        ("a*b*c and *em*", r"a*b*c and \emph{em}", "a*b*c and em"),
        (r"\*literal\*", "*literal*", "*literal*"),
        (r"\_not em\_", r"\_not em\_", "_not em_"),
        # unclosed markers stay literal
        ("**unclosed", "**unclosed", "**unclosed"),
        ("*unclosed", "*unclosed", "*unclosed"),
        ("`unclosed", r"\textasciigrave{}unclosed", "`unclosed"),
        ("[unclosed](https://x.org", r"[unclosed](\url{https://x.org}", "[unclosed](https://x.org"),
        ("**", "**", "**"),
        # links: only http, https, mailto
        ("[text](javascript:alert(1))", "[text](javascript:alert(1))", "[text](javascript:alert(1))"),
        ("[t](JavaScript:x)", "[t](JavaScript:x)", "[t](JavaScript:x)"),
        ("[t](ftp://x.org/f)", "[t](ftp://x.org/f)", "[t](ftp://x.org/f)"),
        ("[t](file:///etc/passwd)", "[t](file:///etc/passwd)", "[t](file:///etc/passwd)"),
        ("[m](mailto:a_b@c.org)", r"\href{mailto:a\_b@c.org}{m}", "m"),
        ("[a_b](HTTP://X.ORG)", r"\href{HTTP://X.ORG}{a\_b}", "a_b"),
        (
            "[x%](https://ex.org/a_b?q=1%20&r=~u#f)",
            r"\href{https://ex.org/a\_b?q=1\%20\&r=\string~u\#f}{x\%}",
            "x%",
        ),
        ("[sp](<https://ex.org/a b>)", r"\href{https://ex.org/a\%20b}{sp}", "sp"),
        # code spans: content escaped, no markdown inside
        (
            "`a_b{c}%$#&~^\\`",
            r"\texttt{a\_b\{c\}\%\$\#\&\textasciitilde{}\textasciicircum{}\textbackslash{}}",
            "a_b{c}%$#&~^\\",
        ),
        ("`**not bold**`", r"\texttt{**not bold**}", "**not bold**"),
        ("`` a ` b ``", r"\texttt{a \textasciigrave{} b}", "a ` b"),
        ("`--`", r"\kern0pt \texttt{-\kern0pt -}\kern0pt{}", "--"),  # kerns on the edges: see escape.guard_edges
        # a field shows no space at its edges, even in a code span (CommonMark: "` `" is a code span of one space)
        ("1` `", "1", "1"),
        ("` a`", r"\texttt{a}", "a"),
        ("a` `b", r"a\texttt{ }b", "a b"),
        # everything else literal: headings, lists, images, autolinks, HTML, entities, references
        ("# not a heading", r"\# not a heading", "# not a heading"),
        ("- not a list", r"\kern0pt - not a list", "- not a list"),
        ("<https://x.org>", r"\textless{}\url{https://x.org}\textgreater{}", "<https://x.org>"),
        ("<b>html</b>", r"\textless{}b\textgreater{}html\textless{}/b\textgreater{}", "<b>html</b>"),
        ("&amp; &#35;", r"\&amp; \&\#35;", "&amp; &#35;"),
        ("[ref][1]", "[ref][1]", "[ref][1]"),
        # specials next to markup, ligatures inside markup
        ("100% **C#** & $5 ~user", r"100\% \textbf{C\#} \& \$5 \textasciitilde{}user", "100% C# & $5 ~user"),
        ("it's **Zoë's**", r"it\textquoteright{}s \textbf{Zoë\textquoteright{}s}", "it's Zoë's"),
        (
            "a **--** b, <<*x*>>",
            r"a \textbf{-\kern0pt -} b, \textless{}\kern0pt \textless{}\emph{x}\textgreater{}\kern0pt \textgreater{}",
            "a -- b, <<x>>",
        ),
        (r"\input{/etc/passwd} *x*", r"\textbackslash{}input\{/etc/passwd\} \emph{x}", "\\input{/etc/passwd} x"),
        # whitespace and controls as in escape(), markup or not
        ("  a \n b  **c**\t\n", r"a b \textbf{c}", "a b c"),
        ("a\x00b **c**", r"ab \textbf{c}", "ab c"),  # NUL dropped, not U+FFFD
        ("line\\\nbreak *x*", r"line\textbackslash{} break \emph{x}", "line\\ break x"),
    ],
)
def test_inline(text: str, expected_latex: str, expected_plain: str) -> None:
    assert latex(text) == expected_latex
    assert plain(text) == expected_plain
    assert visible(expected_latex) == expected_plain.replace("'", "\u2019")


def test_text_without_markers_is_escaped_without_parsing() -> None:
    assert latex("a -- b's {x} <y> 100%") == r"a -\kern0pt - b\textquoteright{}s \{x\} \textless{}y\textgreater{} 100\%"
    assert plain("  a \n\n b ") == "a b"


def test_block_paragraphs() -> None:
    text = Block("First **bold**\nstill first.\n\n\n  Second with [a link](https://x.org/a_b).\n \t\n\nThird_x\n")
    assert (
        str(to_latex(text))
        == r"First \textbf{bold} still first.\texcvpar Second with \href{https://x.org/a\_b}{a link}.\texcvpar Third\_x"
    )
    # an Inline is one paragraph: a blank line is just whitespace
    assert str(to_latex(Inline(str(text)))).count(r"\texcvpar") == 0
    # markers do not pair across paragraphs
    assert str(to_latex(Block("*a\n\nb*"))) == r"*a\texcvpar b*"


def test_block_and_inline_results_are_latex() -> None:
    assert isinstance(to_latex(Block("a\n\nb")), Latex)
    assert isinstance(to_latex(Inline("**a**")), Latex)
    assert str(to_latex(Block(" \n\n "))) == ""


# --- properties --------------------------------------------------------------------------------

_PIECES = [
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "](",
    "](https://x.org/a_b?c=1&d#e~f)",
    "](javascript:x)",
    "](mailto:a@b.c)",
    "<",
    ">",
    "\\",
    "\\*",
    "\\_",
    "\\`",
    "\\[",
    *"abc 123",
    "\n",
    "\n\n",
    "\t",
    "\x00",
    "\ud800",
    *"#$%&{}~^|\"'-,!?",
    "--",
    ",,",
    "<<",
    ">>",
    "é",
    "中",
    "\xa0",
]
markdownish = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join) | st.text(max_size=30)


@FUZZ
@given(markdownish)
def test_inline_visible_text_is_plain(text: str) -> None:
    out = latex(text)
    assert "\n" not in out and "\\par" not in out
    assert visible(out) == plain(text).replace("'", "\u2019")


@FUZZ
@given(markdownish)
def test_inline_is_safe_outside_its_own_macros(text: str) -> None:
    out = latex(text)
    assert all(c == " " for c in out if c.isspace()), out
    out = re.sub(r"\\href\{[^{}\s]*\}\{", r"\\href{", out)  # the URL itself is tested in test_escape
    out = _URL_ARG.sub("", out)
    for pair in ("--", ",,", r"\textless{}\textless{}", r"\textgreater{}\textgreater{}"):
        assert pair not in out, (pair, out)
    # Take away escape()'s macros, then the groups markup opens; nothing special may be left.
    rest = re.sub(r"\\(?:textbf|emph|texttt|href)\{", "\x01", EMITTED.sub("", out))
    depth = 0
    for c in rest:
        depth += {"\x01": 1, "}": -1}.get(c, 0)
        assert depth >= 0, out
    assert depth == 0, out
    assert not RAW_SPECIAL.search(rest.replace("\x01", "").replace("}", "")), out


@FUZZ
@given(markdownish)
def test_block_is_paragraphs_of_inline(text: str) -> None:
    out = str(to_latex(Block(text)))
    assert "\n" not in out
    assert out == r"\texcvpar ".join(latex(p) for p in paragraphs(text))
    assert visible(out) == "\n\n".join(plain(p) for p in paragraphs(text)).replace("'", "\u2019")
