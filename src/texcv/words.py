"""texcv's own words in each language it knows — month names, "present", section headings — read
from the locale files packaged in `texcv/locales/`."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from .errors import UserError
from .loader import read_data


@cache
def locale_words(lang: str) -> dict:
    """Built-in words for a language: `texcv/locales/<lang>.yaml`, falling back to its base language."""
    for code in (lang, lang.split("-")[0]):
        resource = files("texcv").joinpath(f"locales/{code}.yaml")
        if resource.is_file():
            return read_data(resource.read_text("utf-8"))
    raise UserError(
        f"texcv has no built-in words for language {lang!r} (available: {', '.join(available_languages())})"
    )


def available_languages() -> list[str]:
    return sorted(p.name[:-5] for p in files("texcv").joinpath("locales").iterdir() if p.name.endswith(".yaml"))
