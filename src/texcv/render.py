"""Stage 4: a profile view → LaTeX source, through a Jinja2 template family.

Escaping is the default: every value a template prints goes through `finalize`, which escapes plain
text and renders inline markdown; only `Latex` values (from the `latex`/`url` filters or the escape
module) pass unchanged. Templates are looked up on a search path, so a user directory can override
one piece of a family and still reach the packaged original as "default/<name>".
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable

import jinja2

from . import escape as esc
from .errors import TemplateError
from .markup import Inline, to_latex

MAIN_TEMPLATE = "cv.tex.j2"


def packaged_templates() -> Path:
    """Default templates: inside the installed package, or the source tree's templates/."""
    packaged = Path(str(files("texcv"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def finalize(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # raises UndefinedError, located by render()
    if isinstance(value, esc.Latex):
        return value
    if isinstance(value, Inline):
        return to_latex(value)
    if isinstance(value, str):
        return esc.escape(value)
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
        raise TemplateError(f"a template printed {value!r}; print text or numbers, and test optional fields with ((* if … *))")
    return str(value)


def _join(items: Iterable[Any], separator: str = ", ") -> esc.Latex:
    return esc.Latex(finalize(separator)).join(finalize(i) for i in items)


@lru_cache(maxsize=16)
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    default = packaged_templates()
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(p) for p in (*search_path, default)]),
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(default))}),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
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
    )
    env.filters.update(
        {
            "latex": esc.Latex,  # the explicit way to print a string as raw LaTeX
            "url": esc.url,
            "without_scheme": esc.without_scheme,
            "join": _join,
            "e": lambda v: esc.Latex(finalize(v)),
            "escape": lambda v: esc.Latex(finalize(v)),
        }
    )
    return env


def render(view: dict, design: dict, engine: Any, search_path: tuple[Path, ...] = ()) -> str:
    family = design["template"]
    env = environment(tuple(search_path))
    try:
        template = env.get_template(f"{family}/{MAIN_TEMPLATE}")
        return template.render(cv=view, design=design, engine=engine, words=view["words"])
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found (search path: {', '.join(map(str, (*search_path, packaged_templates())))})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_location(exc)}template used an undefined value: {exc.message}") from None


def _template_location(exc: BaseException) -> str:
    """file:line of the innermost template frame; Jinja rewrites tracebacks to point into templates."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where
