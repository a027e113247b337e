"""Stage 4: a profile view → LaTeX source, through a Jinja2 template family.

Escaping is the default: every value a template prints goes through `finalize`, which escapes plain
text and renders inline markdown; only `Latex` values (from the `latex`/`url` filters or the escape
module) pass unchanged. Templates are looked up on a search path, so a user directory can override
one piece of a family and still reach the packaged original as "default/<name>"; "./<name>" is a
piece of the including template's own family, so a copied family works under any name. Every line
of the output remembers the template line that wrote it, to trace TeX errors back to templates.
"""

from __future__ import annotations

import difflib
import pickle
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable

import jinja2
import jinja2.ext
from jinja2.exceptions import SecurityError
from jinja2.lexer import Token, TokenStream
from jinja2.sandbox import SandboxedEnvironment

from . import escape as esc
from .errors import TemplateError
from .markup import Inline, plain, to_latex

MAIN_TEMPLATE = "cv.tex.j2"
# The text of every value the templates print, collected by render() for the text-layer check.
_printed: ContextVar[list[str] | None] = ContextVar("printed", default=None)


def packaged_templates() -> Path:
    """Default templates: inside the installed package, or the source tree's templates/."""
    packaged = Path(str(files("texcv"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


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
        raise TemplateError(f"a template printed {value!r}; print text or numbers, and test optional fields with ((* if … *))")
    return str(value)


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
    tags and keeps, for each output line, where its first text came from."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        where = stream.filename or stream.name
        for token in stream:
            if token.type == "data":
                lines = token.value.split("\n")
                tagged = [f"\x01{where}:{token.lineno + i}\x02{text}" if text or i < len(lines) - 1 else text for i, text in enumerate(lines)]
                token = Token(token.lineno, "data", "\n".join(tagged))
            yield token


class _Environment(SandboxedEnvironment):
    """Sandboxed: template logic reaches the CV's data and texcv's filters, not Python's internals
    (no `x.__class__.__mro__` to escape through). The LaTeX a template writes is still its own."""


    def join_path(self, template: str, parent: str) -> str:
        """"./piece" is a piece of the including template's family ("default/" included ones too)."""
        if not template.startswith("./"):
            return template
        family = parent.removeprefix("default/").split("/", 1)[0]
        return f"{family}/{template[2:]}"


@dataclass(frozen=True)
class Rendered:
    tex: str
    origins: list[tuple[str, int] | None]  # per line of tex: the template file and line that wrote it
    printed: list[str]  # the text of every value printed, in order


def _strip_origins(tagged: str, printed: list[str]) -> Rendered:
    origins: list[tuple[str, int] | None] = []
    last = None  # a line without tags continues a value printed on an earlier line
    for line in tagged.split("\n"):
        tags = [(file, int(number)) for file, number in _ORIGIN.findall(line)]
        origins.append(tags[0] if tags else last if line else None)
        last = tags[-1] if tags else last
    return Rendered(_ORIGIN.sub("", tagged), origins, printed)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):  # a damaged file: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # an unwritable cache only costs the next run the compile
            pass


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
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    default = packaged_templates()
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(p) for p in (*search_path, default)]),
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(default))}),
        ]
    )
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


def render(view: dict, design: dict, engine: Any, search_path: tuple[Path, ...] = ()) -> Rendered:
    family = design["template"]
    env = environment(tuple(search_path))
    printed: list[str] = []
    token = _printed.set(printed)
    try:
        template = env.get_template(f"{family}/{MAIN_TEMPLATE}")
        return _strip_origins(template.render(cv=view, design=design, engine=engine, words=view["words"]), printed)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_not_found(env, family, exc.name, search_path)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_location(exc)}template used an undefined value: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateError(f"{_template_location(exc)}template tried something the sandbox forbids: {exc}") from None
    except RecursionError:
        raise TemplateError("templates include each other without end (an override that includes itself? include the original as \"default/<name>\")") from None
    finally:
        _printed.reset(token)


def _not_found(env: jinja2.Environment, family: str, name: str, search_path: tuple[Path, ...]) -> str:
    where = ", ".join(map(str, (*search_path, packaged_templates())))
    if name != f"{family}/{MAIN_TEMPLATE}":
        return f"template {name!r} not found (search path: {where})"
    families = sorted({n.split("/", 1)[0] for n in env.list_templates() if n.endswith("/" + MAIN_TEMPLATE)} - {"default"})
    close = difflib.get_close_matches(family, families, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no template family {family!r} (families: {', '.join(families)}; search path: {where}){hint}"


def _template_location(exc: BaseException) -> str:
    """file:line of the innermost template frame; Jinja rewrites tracebacks to point into templates."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where
