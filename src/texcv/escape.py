"""Profile text → LaTeX that prints exactly that text, under pdflatex (T1) and xelatex/lualatex.

Everything here is a pure function over strings, but for French spacing, which render.py switches on
for a document in a language that asks for it (`french_spacing`). `Latex` marks text that is already
LaTeX; the template environment escapes every other value it prints (see render.py).
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from urllib.parse import quote

from markupsafe import Markup

from .engine import CJK_RANGES


class Latex(Markup):
    """Trusted LaTeX source. Concatenating or formatting it with plain text escapes that text."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Latex:
        if isinstance(s, Latex):
            return s
        return cls(escape(str(s)))


# A word too long for a line (a hash, a path, an identifier, garbage) may break between a letter or
# digit and its neighbour, without a hyphen; otherwise it would run off the page and out of the PDF.
# Real words keep TeX's hyphenation: a word here runs between spaces and hyphens (where TeX breaks
# anyway), so Forschungssoftware-Ingenieurin is two short words. CJK text has its own rules.
LONG_WORD = 40
_LONG_WORD = re.compile(f"[^-\\s{CJK_RANGES}]{{{LONG_WORD},}}")
_ADDRESS_PUNCTUATION = re.compile(r"(?<=[/.?&=_:;@#])")
_BREAK = "\x00"  # marks a break point between clean() (which removes NULs) and the table below
# Free text names people after a cue ("Advisor: Baining Guo", "Prof. Kai Chen", "Mentors: A B, C D"):
# each name so introduced is kept in one unit, as author lists keep theirs. Marks as for _BREAK.
_NAME_START, _NAME_END = "\x03", "\x04"
# A name's words start with a capital (Latin, Greek, Cyrillic: Ødegaard, Łukasik); an initial keeps its dot.
_CAPITAL = "[" + "".join(re.escape(c) for c in map(chr, range(0x41, 0x530)) if c.isupper()) + "]"
_NAME = rf"{_CAPITAL}[\w'.-]*(?: {_CAPITAL}(?:\.|[\w'-]*)){{1,3}}"
_NAMES_AFTER_CUE = re.compile(
    rf"(\b(?:Advisors?|Supervisors?|Mentors?|Prof\.|Dr\.|advised by|supervision of):? )"
    rf"({_NAME}(?:(?:, | and | & ){_NAME})*)"
)
_ONE_NAME = re.compile(_NAME)
# French sets a no-break space before : and a thin one before ; ! ? where a word or a closing mark
# ends and the text goes on with a space (or more such marks) or ends: "Note : texte", never in 12:30.
FRENCH_SPACING: ContextVar[bool] = ContextVar("french_spacing", default=False)
_FRENCH_PUNCTUATION = re.compile(r"(?<=[\w)\]»”’]) ?([:;!?])(?=[\s:;!?]|$)")
_NO_BREAK_SPACE, _THIN_NO_BREAK_SPACE = "\x05", "\x06"  # marks as for _BREAK

# Characters TeX would treat as syntax, or print as something else in T1 / TU fonts.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    # Typographic choice, made once: an ASCII apostrophe prints as ’ (as in hand-written LaTeX);
    # as a macro it can never pair into the ” ligature. A backtick prints as a backtick.
    "'": r"\textquoteright{}",
    "`": r"\textasciigrave{}",
    "\u00a0": "~",
    _BREAK: r"\discretionary{}{}{}",  # hyperref drops it from PDF strings (bookmarks, metadata)
    _NO_BREAK_SPACE: "~",
    _THIN_NO_BREAK_SPACE: r"\,",
    _NAME_START: r"\texcvname{",  # macros.tex.j2
    _NAME_END: "}",
}
_TABLE = str.maketrans(_SPECIALS)
# Pairs T1/TU fonts turn into one glyph (-- → –, ,, → „, << → «, >> → »); \kern0pt keeps both
# characters. An empty group would not do: lualatex still forms the ligature across it, even
# between two macros (\textless{}\textless{} printed « under lualatex, measured), so pairs of
# those macros are broken too.
_LIGATURE = re.compile(
    r"(?<=[-,])(?=[-,])|(?<=\\textless\{\})(?=\\textless\{\})|(?<=\\textgreater\{\})(?=\\textgreater\{\})"
)
# A field that starts or ends with - or , meets the template's own punctuation (an author ",," then
# the list's ", " would print „): a kern on that edge keeps them apart too. A field's LaTeX may
# start inside \textbf{ or \href{…}{, and end inside their closing braces.
_STARTS_WITH_LIGATURE_CHAR = re.compile(r"(?:\\[a-z]+\{|\\href\{[^{}]*\}\{)*[-,]")
_ENDS_WITH_LIGATURE_CHAR = re.compile(r"[-,]\}*$")
# Runs of white space collapse to one space; a no-break space the user typed ("Dr.\u00a0Smith") stays one.
_WHITESPACE = re.compile(r"[^\S\u00a0]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_UNSETTABLE = {"Cc", "Cs", "Co", "Cn"}  # controls, surrogates, private use, unassigned

# A paragraph break inside a field. Templates define \texcvpar as a protected \par: the \par token
# itself is illegal in \newcommand* arguments, and \endgraf would lose list indentation.
PARAGRAPH = r"\texcvpar "


def clean(text: str, strip: bool = True) -> str:
    """NFC, controls and unassigned code points removed, whitespace runs collapsed to one space (no-break
    spaces kept)."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if not text.isascii():
        text = "".join(c for c in text if c.isascii() or unicodedata.category(c) not in _UNSETTABLE)
    text = _WHITESPACE.sub(" ", text)
    return text.strip() if strip else text


def escape(text: str, strip: bool = True) -> str:
    """One line of user text as LaTeX. Newlines become spaces: no blank line can reach TeX.
    strip=False keeps a single leading/trailing space (for text between markup)."""
    text = _tie_names(_LONG_WORD.sub(_breakable, clean(text, strip)))
    if FRENCH_SPACING.get():
        text = _FRENCH_PUNCTUATION.sub(_french_space, text)
    text = _LIGATURE.sub(r"\\kern0pt ", text.translate(_TABLE))
    return guard_edges(text) if strip else text


def _french_space(mark: re.Match) -> str:
    return (_NO_BREAK_SPACE if mark.group(1) == ":" else _THIN_NO_BREAK_SPACE) + mark.group(1)


def _tie_names(text: str) -> str:
    """Each name after a cue marked as one unit (\\texcvname)."""
    return _NAMES_AFTER_CUE.sub(lambda cued: cued.group(1) + _ONE_NAME.sub(_marked_name, cued.group(2)), text)


def _marked_name(name: re.Match) -> str:
    return _NAME_START + name.group() + _NAME_END


def guard_edges(latex: str) -> str:
    """A whole field's LaTeX, kept from forming ligatures with what the template puts around it."""
    if _STARTS_WITH_LIGATURE_CHAR.match(latex):
        latex = r"\kern0pt " + latex
    if _ENDS_WITH_LIGATURE_CHAR.search(latex):
        latex += r"\kern0pt{}"
    return latex


def _breakable(word: re.Match) -> str:
    """Break points after the punctuation of an address or path, and between the characters of a
    stretch still too long for a narrow column."""
    pieces = [piece for piece in _ADDRESS_PUNCTUATION.split(word.group()) if piece]
    return _BREAK.join(piece if len(piece) < LONG_WORD // 2 else _anywhere(piece) for piece in pieces)


def _anywhere(chars: str) -> str:
    return "".join(a + (_BREAK if _may_break(a, b) else "") for a, b in zip(chars, chars[1:])) + chars[-1]


def _may_break(before: str, after: str) -> bool:
    # Next to a letter or digit only: between two marks a break would part ligature pairs such as --
    # from their \kern0pt. Never before a combining mark or around a joiner: that splits a glyph.
    return (
        (before.isalnum() or after.isalnum())
        and unicodedata.category(after)[0] != "M"
        and "Cf" not in (unicodedata.category(before), unicodedata.category(after))
    )


def paragraphs(text: str) -> list[str]:
    """Split free text at blank lines into cleaned paragraphs (empty ones dropped)."""
    return [p for p in (clean(part) for part in _PARAGRAPH_BREAK.split(text)) if p]


# --- URLs --------------------------------------------------------------------------------------

# Kept as is: RFC 3986 reserved and unreserved characters except [ ] (which would end a LaTeX
# optional argument, and belong only in IPv6 hosts), and % of existing escapes.
# Everything else (space, braces, backslash, ^, $, non-ASCII) is percent-encoded first.
_URL_SAFE = ":/?#@!&'()*+,;=%-._~"
_URL_TEX = str.maketrans({"%": r"\%", "#": r"\#", "&": r"\&", "_": r"\_", "~": r"\string~"})


def url(address: str, shown: bool = False) -> Latex:
    """An address for the first argument of \\href, exact in the PDF's link: its host in ASCII (IDNA),
    and a # within the fragment as %23, since \\href ends a link there. shown=True: for \\url, which
    also prints it and keeps every #; the host is then left as written (percent-encoded)."""
    address = address.strip()
    if shown:
        return Latex(quote(address, safe=_URL_SAFE).translate(_URL_TEX))
    before, hash_, fragment = _ascii_host(address).partition("#")
    encoded = quote(before, safe=_URL_SAFE) + hash_ + quote(fragment, safe=_URL_SAFE.replace("#", ""))
    return Latex(encoded.translate(_URL_TEX))


_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#:@\s]+)(?=[/?#:]|$)")  # not with user@ before the host


def _ascii_host(address: str) -> str:
    """https://exämple.de/ → https://xn--exmple-cua.de/, as a browser would look it up."""
    host = _HOST.match(address)
    if host is None or host.group(1).isascii():
        return address
    try:
        ascii_host = host.group(1).encode("idna").decode("ascii")
    except UnicodeError:  # not a valid international name: percent-encoded like the rest
        return address
    return address[: host.start(1)] + ascii_host + address[host.end(1) :]


def without_scheme(address: str) -> str:
    """moderncv's \\homepage and \\social prefix https:// themselves."""
    return re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", address.strip())


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced line (a terminal, a form, a header's budget): wide
    (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
