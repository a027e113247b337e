"""Stage 4: a profile view → LaTeX source, through a Jinja2 template family.

Escaping is the default: every value a template prints goes through `finalize`, which escapes plain
text and renders inline markdown; only `Latex` values (from the `latex`/`url` filters or the escape
module) pass unchanged. Templates are looked up on a search path, so a user directory can override
one piece of a family and still reach the packaged original as "default/<name>"; "./<name>" is a
piece of the including template's own family, so a copied family works under any name. Every line
of the output remembers the template line that wrote it, to trace TeX errors back to templates.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import pickle
import re
import signal
import textwrap
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.compiler
import jinja2.ext
import jinja2.nodes
from jinja2.exceptions import SecurityError
from jinja2.lexer import Token, TokenStream
from jinja2.loaders import split_template_path
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment

from . import escape as esc
from .errors import TemplateError
from .markup import Inline, plain, to_latex
from .templates import TemplateDir, packaged_templates

MAIN_TEMPLATE = "cv.tex.j2"
log = logging.getLogger("texcv")
LETTER_TEMPLATE = "letter.tex.j2"  # a cover letter in the family's design (letters.py)
# The text of every value the templates print, collected by render() for the text-layer check.
_printed: ContextVar[list[str] | None] = ContextVar("printed", default=None)
# The files of the templates a render loaded, for the check for Jinja's own delimiters.
_loaded: ContextVar[set[str] | None] = ContextVar("loaded", default=None)
# What a template's logic may make (docs/security.md): past these a render is a template error, not
# gigabytes of memory or a process that never ends. A 30-page CV is about 200 kB of LaTeX.
MAX_OUTPUT = 10 * 1024 * 1024  # characters of LaTeX, and of any one string `*` builds
MAX_SECONDS = 10.0
MAX_POWER_BITS = 100_000  # `**` on whole numbers: 2**100000 is instant; 10**10**9 would never end


def finalize(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # raises UndefinedError, located by render()
    if isinstance(value, esc.Latex):
        return value
    if isinstance(value, str) and (printed := _printed.get()) is not None:
        printed.append(plain(value) if isinstance(value, Inline) else value)
    if isinstance(value, Inline):
        return to_latex(value)
    if isinstance(value, str):
        return esc.escape(value)
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise _Misprinted(
            f"a template printed {type(value).__name__} {shown}; print text or numbers, test optional fields "
            "with ((* if … *)), and join a list's items with |join"
        )
    return str(value)


class _Misprinted(TemplateError):
    """A value that has no printed form (a bool, a list, none): render() adds the template line."""


def _escaped(value: Any) -> esc.Latex:
    """The `e`/`escape` filters: what printing the value would write, marked as LaTeX."""
    return esc.Latex(finalize(value))


def _join(items: Iterable[Any], separator: str = ", ") -> esc.Latex:
    # The separator keeps its spaces: finalize() would strip them as it does for a field.
    between = separator if isinstance(separator, esc.Latex) else esc.Latex(esc.escape(separator, strip=False))
    return between.join(_escaped(i) for i in items)


# The start of each template line in the output: \x01FILE:LINE\x02 (the file itself, not a number:
# compiled templates come from a bytecode cache). Control characters cannot come from profile text
# (the YAML reader rejects them and escape() drops them).
_ORIGIN = re.compile("\x01([^\x01\x02]*):(\\d+)\x02")


class _LineOrigins(jinja2.ext.Extension):
    """Tags the start of each line of template text with its file and line; render() strips the
    tags and keeps, for each output line, where its first text came from.

    Also gives back the line break that trim_blocks takes after a tag ending a line that starts with
    text (`\\par((* endif *))`): only a line that starts with a tag leaves no line break behind."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        where = stream.filename or stream.name
        starts_with_text: bool | None = None  # how the current line starts; None: nothing on it yet
        for token in stream:
            if token.type == "data":
                *_, last = token.value.split("\n")
                if "\n" in token.value:
                    starts_with_text = True if last.strip() else None
                elif starts_with_text is None and last.strip():
                    starts_with_text = True
                yield _tagged(token, where)
                continue
            yield token
            if starts_with_text is None and token.type in ("variable_begin", "block_begin"):
                starts_with_text = token.type == "variable_begin"
            elif token.type == "block_end" and token.value.endswith("\n") and not token.value.startswith("-"):
                if starts_with_text:
                    yield _tagged(Token(token.lineno, "data", "\n"), where)
                starts_with_text = None


def _tagged(data: Token, where: str | None) -> Token:
    lines = data.value.split("\n")
    tagged = [
        f"\x01{where}:{data.lineno + i}\x02{text}" if text or i < len(lines) - 1 else text
        for i, text in enumerate(lines)
    ]
    return Token(data.lineno, "data", "\n".join(tagged))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """What a `macro`, a `call` block's `caller()` and a block `set` make is template output, LaTeX
    already: it comes back as `Latex`, which finalize() prints unchanged (the values printed inside
    were escaped there). Jinja wraps those outputs in `identity` when autoescape is off."""

    def visit_Template(self, node: jinja2.nodes.Template, frame: Any = None) -> None:
        super().visit_Template(node, frame)
        self.writeline("identity = environment.template_output")

    def return_buffer_contents(self, frame: Any, force_unescaped: bool = False) -> None:
        self.writeline(f"return identity(concat({frame.buffer}))")


class _Environment(SandboxedEnvironment):
    """Sandboxed: template logic reaches the CV's data and texcv's filters, not Python's internals
    (no `x.__class__.__mro__` to escape through). The LaTeX a template writes is still its own.
    `*` and `**` are checked before they run: one expression cannot build a huge value."""

    intercepted_binops = frozenset({"*", "**"})
    code_generator_class = _CodeGenerator
    template_output = esc.Latex

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repetition(left, right)
        elif (
            isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right * left.bit_length() > MAX_POWER_BITS
        ):
            raise SecurityError(f"{left} ** {right} is too large a number (at most {MAX_POWER_BITS} bits)")
        return super().call_binop(context, operator, left, right)

    def get_template(self, *args: Any, **kwargs: Any) -> jinja2.Template:
        return _noted(super().get_template(*args, **kwargs))

    def select_template(self, *args: Any, **kwargs: Any) -> jinja2.Template:
        return _noted(super().select_template(*args, **kwargs))

    def join_path(self, template: str, parent: str) -> str:
        """ "./piece" is a piece of the including template's family ("default/" included ones too)."""
        if not template.startswith("./"):
            return template
        family = parent.removeprefix("default/").split("/", 1)[0]
        return f"{family}/{template[2:]}"


def _noted(template: jinja2.Template) -> jinja2.Template:
    if (loaded := _loaded.get()) is not None and template.filename:
        loaded.add(template.filename)
    return template


# Jinja's default delimiters, which texcv's templates do not use: `{{ name }}` or `{% tag` is printed
# as it stands. A space inside the braces tells them from LaTeX's `{{…}}` groups.
_JINJA_DEFAULT = re.compile(r"\{\{-?\s+[A-Za-z_][^{}\n]*?\s-?\}\}|\{%-?\s*[a-z]+\b[^\n]*?%\}")
_warned: set[tuple[str, int, int]] = set()  # (file, its mtime, line): each said once per process


def _warn_default_delimiters(files: Iterable[str]) -> None:
    for file in sorted(files):
        try:
            changed = Path(file).stat().st_mtime_ns
        except OSError:
            continue
        for line, found in _default_delimiters(file, changed):
            key = (file, changed, line)
            if key not in _warned:
                _warned.add(key)
                log.warning(
                    f"{file}:{line}: {found!r} is printed as it stands: texcv's templates write "
                    "((( value ))) and ((* tag *)), not Jinja's {{ }} and {% %}"
                )


@lru_cache(maxsize=256)
def _default_delimiters(file: str, changed: int) -> list[tuple[int, str]]:
    """(line, text) of each use of Jinja's default delimiters in a template file, comments left out;
    read again once the file changed (`changed`: its mtime)."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    text = re.sub(r"\(\(=.*?=\)\)", lambda m: "\n" * m.group().count("\n"), text, flags=re.DOTALL)
    return [(text.count("\n", 0, m.start()) + 1, m.group()) for m in _JINJA_DEFAULT.finditer(text)]


def _check_repetition(left: Any, right: Any) -> None:
    """Refuse `text * n` or `list * n` whose result passes the caps (jinja2's own for range())."""
    sequence, times = (left, right) if isinstance(right, int) else (right, left)
    if not isinstance(sequence, (str, list, tuple)) or not isinstance(times, int):
        return
    text = isinstance(sequence, str)
    kind, limit, unit = ("text", MAX_OUTPUT, "characters") if text else ("a list", MAX_RANGE, "items")
    if len(sequence) * times > limit:
        raise SecurityError(f"{kind} * {times} would make {len(sequence) * times} {unit} (at most {limit})")


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Templates of a directory a profile names: one whose path resolves outside `trees` (through a
    link) is refused before it is read."""

    def __init__(self, folder: Path, trees: tuple[Path, ...]):
        super().__init__(str(folder))
        self.folder, self.trees = folder, trees

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        file = self.folder.joinpath(*split_template_path(template))
        if file.exists() and not any(file.resolve().is_relative_to(tree) for tree in self.trees):
            raise TemplateError(
                f"{file}: a link leading out of the profile's folder {self.trees[0]} is not followed "
                "(allow its target's folder with --allow-dir DIR)"
            )
        return super().get_source(environment, template)


def _loader(directory: TemplateDir) -> jinja2.BaseLoader:
    if directory.trees is None:
        return jinja2.FileSystemLoader(str(directory.path))
    return _ConfinedLoader(directory.path, directory.trees)


class _Stopped(Exception):
    """Raised into a template that passed MAX_OUTPUT or MAX_SECONDS, where it is, so that the message
    can name its line; the argument says which limit."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """A timer signal interrupts template logic that runs too long even when it prints nothing (loops
    in loops). Signals reach only the main thread, where the CLI and each batch worker render; in
    other threads _generate() still checks the time between pieces of output."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Stopped(f"template still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _generate(template: jinja2.Template, context: dict) -> str:
    """The template's output, stopped past MAX_OUTPUT characters or MAX_SECONDS."""
    started, chunks, size = time.monotonic(), [], 0
    with _time_limit(MAX_SECONDS):
        pieces = cast(Generator[str, None, None], template.generate(context))
        for chunk in pieces:
            size += len(chunk)
            if size > MAX_OUTPUT:
                pieces.throw(_Stopped(f"template wrote more than {MAX_OUTPUT // 2**20} MB of LaTeX"))
            if time.monotonic() - started > MAX_SECONDS:
                pieces.throw(_Stopped(f"template still running after {MAX_SECONDS:g} s"))
            chunks.append(chunk)
    return "".join(chunks)


@dataclass(frozen=True)
class Rendered:
    tex: str
    origins: list[tuple[str, int] | None]  # per line of tex: the template file and line that wrote it
    printed: list[str]  # the text of every value printed, in order


# Lines of the document body longer than this are wrapped at spaces, for people who edit the .tex:
# to TeX a line end is a space. A line with a comment (an unescaped %) is left whole.
WRAP_COLUMNS = 100
_COMMENT = re.compile(r"(?:^|[^\\])(?:\\\\)*%")


def _strip_origins(tagged: str, printed: list[str]) -> Rendered:
    origins: list[tuple[str, int] | None] = []
    lines: list[str] = []
    last = None  # a line without tags continues a value printed on an earlier line
    in_body = False
    for line in tagged.split("\n"):
        tags = [(file, int(number)) for file, number in _ORIGIN.findall(line)]
        origin = tags[0] if tags else last if line else None
        last = tags[-1] if tags else last
        text = _ORIGIN.sub("", line)
        wrapped = _wrapped(text) if in_body else [text]
        in_body = in_body or text.startswith("\\begin{document}")
        lines += wrapped
        origins += [origin] * len(wrapped)
    return Rendered("\n".join(lines), origins, printed)


def _wrapped(line: str) -> list[str]:
    if len(line) <= WRAP_COLUMNS or _COMMENT.search(line):
        return [line]
    return textwrap.wrap(line, WRAP_COLUMNS, break_long_words=False, break_on_hyphens=False, expand_tabs=False)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):  # a damaged file: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # an unwritable cache only costs the next run the compile
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept on disk: a cold run loads them instead of lexing and compiling.
    Jinja checks each template's text but not the environment that compiled it, so the folder is
    keyed by this module (delimiters, extensions) and Jinja's version."""
    from . import cache

    folder = cache.directory() / "templates" / cache.digest([Path(__file__).read_bytes(), jinja2.__version__])[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder), "%s.jinja")


@lru_cache(maxsize=16)
def environment(search_path: tuple[TemplateDir, ...]) -> jinja2.Environment:
    default = jinja2.FileSystemLoader(str(packaged_templates()))
    loader = jinja2.ChoiceLoader([*map(_loader, search_path), default, jinja2.PrefixLoader({"default": default})])
    env = _Environment(
        loader=loader,
        extensions=[_LineOrigins, "jinja2.ext.do"],
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        {
            "latex": esc.Latex,  # the explicit way to print a string as raw LaTeX
            "url": esc.url,
            "without_scheme": esc.without_scheme,
            "join": _join,
            "e": _escaped,
            "escape": _escaped,
        }
    )
    return env


def context(view: dict, design: dict, engine: Any) -> dict:
    """The names a template sees (docs/customizing.md lists them; `texcv templates context` prints them)."""
    return {"cv": view, "design": design, "engine": engine, "words": view["words"]}


def render(
    view: dict, design: dict, engine: Any, search_path: tuple[TemplateDir, ...] = (), main: str = MAIN_TEMPLATE
) -> Rendered:
    family = design["template"]
    env = environment(tuple(search_path))
    printed: list[str] = []
    loaded: set[str] = set()
    tokens = _printed.set(printed), _loaded.set(loaded)
    french = esc.FRENCH_SPACING.set(bool(view["words"].get("french_spacing")))
    try:
        template = env.get_template(f"{family}/{main}")
        rendered = _strip_origins(_generate(template, context(view, design, engine)), printed)
        _warn_default_delimiters(loaded)
        return rendered
    except jinja2.TemplateNotFound as exc:
        where = _template_location(exc)
        raise TemplateError(where + _not_found(env, family, str(exc.name), search_path, bool(where))) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_syntax_error(env, exc)) from None
    except _Misprinted as exc:
        raise TemplateError(f"{_template_location(exc)}{exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_location(exc)}template used an undefined value: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateError(f"{_template_location(exc)}template tried something the sandbox forbids: {exc}") from None
    except TypeError as exc:  # a filter given a value it cannot take: an undefined one, text for a number
        raise TemplateError(f"{_template_location(exc)}template used a value wrongly: {exc}") from None
    except OverflowError as exc:  # jinja2's range() cap, or a number too large for a float
        raise TemplateError(f"{_template_location(exc)}template made a value too large: {exc}") from None
    except _Stopped as exc:
        raise TemplateError(f"{_template_location(exc)}{exc}; stopped (a loop that never ends?)") from None
    except RecursionError:
        raise TemplateError(
            "templates include each other without end "
            '(an override that includes itself? include the original as "default/<name>")'
        ) from None
    finally:
        _printed.reset(tokens[0])
        _loaded.reset(tokens[1])
        esc.FRENCH_SPACING.reset(french)


def _not_found(
    env: jinja2.Environment, family: str, name: str, search_path: Iterable[TemplateDir], included: bool
) -> str:
    """`included`: the message follows the file:line of the include that named it."""
    where = ", ".join(map(str, (*(d.path for d in search_path), packaged_templates())))
    if name == f"{family}/{LETTER_TEMPLATE}":
        return f"the template family {family!r} has no {LETTER_TEMPLATE}: it cannot set cover letters ({where})"
    if name != f"{family}/{MAIN_TEMPLATE}":
        return f"{'it includes ' if included else ''}template {name!r}, which is not found (search path: {where})"
    families = sorted(
        {n.split("/", 1)[0] for n in env.list_templates() if n.endswith("/" + MAIN_TEMPLATE)} - {"default"}
    )
    close = difflib.get_close_matches(family, families, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no template family {family!r} (families: {', '.join(families)}; search path: {where}){hint}"


# Tags that open a block their `end…` tag closes (a `set` only without `=`: a block set).
_OPENING = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans", "set"}


def _syntax_error(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> str:
    """file:line: message. A block never closed is reported at the tag that opened it: Jinja only
    notices at the end of the file."""
    file, line, message = exc.filename or exc.name, exc.lineno, exc.message or ""
    if message.startswith("Unexpected end of template") and exc.source is not None:
        opened = _unclosed(env, exc.source)
        if opened is not None:
            tag, line = opened
            message = f"this `{tag}` is never closed (no `end{tag}` before the end of the file)"
    return f"{file}:{line}: template syntax error: {message}"


def _unclosed(env: jinja2.Environment, source: str) -> tuple[str, int] | None:
    """The innermost block tag that the template opens and never closes, and its line."""
    opened: list[tuple[str, int]] = []
    tokens = [token for token in env.lexer.tokeniter(source, None) if token[1] != "whitespace"]
    for i, (line, kind, _) in enumerate(tokens):
        if kind != "block_begin" or i + 1 >= len(tokens) or tokens[i + 1][1] != "name":
            continue
        name = tokens[i + 1][2]
        if name == "set":  # a block set has no `=` before its tag ends
            rest = (value for _, k, value in tokens[i + 2 :] if k == "block_end" or value == "=")
            if next(rest, "") == "=":
                continue
        if name in _OPENING:
            opened.append((name, line))
        elif name.startswith("end") and opened and opened[-1][0] == name[3:]:
            opened.pop()
    return opened[-1] if opened else None


def _template_location(exc: BaseException) -> str:
    """file:line of the innermost template frame; Jinja rewrites tracebacks to point into templates."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where
