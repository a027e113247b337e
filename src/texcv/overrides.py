"""Design values given on the command line (--set design.KEY=VALUE, --style, --color, …), checked
with the messages a profile file gets and set into a validated profile."""

from __future__ import annotations

from typing import Any

from .errors import ProfileError
from .loader import Source
from .schema import DESIGN, DESIGN_FIELDS
from .validation import Context


def _checked_design(key: str, value: Any) -> dict:
    """The design `{key: value}` would give in a file (key dotted for nested values: margins.top)."""
    parts = key.split(".")
    for part in reversed(parts):
        value = {part: value}
    doc = Source("command line", value)
    ctx = Context(doc, ("en",))
    design = DESIGN.check(value, ("design",), ctx)
    if ctx.problems:
        raise ProfileError(ctx.problems)
    return design


def override_design(design: dict, key: str, value: Any) -> None:
    """Set one (possibly nested) design value of a validated profile, validated like the file's; a
    family option is kept as given, for check_family_options."""
    checked = _checked_design(key, value)
    *parents, leaf = key.split(".")
    if key.split(".")[0] not in DESIGN_FIELDS:
        design[parents[0] if parents else leaf] = checked[parents[0] if parents else leaf]
        return
    for part in parents:
        if design[part] is None:  # not in the file: the checked record, other keys at their defaults
            design[part] = checked[part]
            return
        design, checked = design[part], checked[part]
    design[leaf] = checked[leaf]
