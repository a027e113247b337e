"""A new profile to start from, with the JSON Schema next to it so that editors can help.

The starter is a real profile (texcv/data/starter.yaml, tested to build as is); its first line
points a YAML language server at `texcv.schema.json` in the same folder, a relative path
resolved from the profile, so completion and checks work offline.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import yaml

from .schema import json_schema

SCHEMA_FILE = "texcv.schema.json"
EXAMPLE_NAME = "Ada Lovelace"  # the starter's owner, replaced by the name given to `texcv new`


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def starter_text(name: str | None = None, target: Path = Path("cv.yaml")) -> str:
    text = files("texcv").joinpath("data/starter.yaml").read_text("utf-8")
    text = text.replace("<file>", target.name).replace("<stem>", target.stem)
    return text.replace(EXAMPLE_NAME, _yaml_scalar(name)) if name else text


def letter_text(profile: str) -> str:
    """A starter cover letter naming `profile` (a path relative to the letter file)."""
    text = files("texcv").joinpath("data/letter.yaml").read_text("utf-8")
    return text.replace("<profile>", _yaml_scalar(profile))


def default_file(name: str | None) -> Path:
    """`Ada Lovelace` → ada-lovelace.yaml; without a name, cv.yaml."""
    slug = re.sub(r"[^\w]+", "-", name.casefold()).strip("-") if name else ""
    return Path(f"{slug or 'cv'}.yaml")


def _yaml_scalar(text: str) -> str:
    """The name as YAML, plain when that is safe in block and flow context, else double-quoted."""
    text = " ".join(text.split())
    plain = re.fullmatch(r"[^\W\d_][\w .'-]*", text) and yaml.safe_load(text) == text  # not `yes`, `null`, …
    return text if plain else json.dumps(text, ensure_ascii=False)
