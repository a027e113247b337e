"""The table of every packaged family's design options in docs/customizing.md, generated from the
families' family.yaml: `python -m texcv.optionsdoc docs/customizing.md` rewrites the lines between
the markers (`bash tasks.sh docs`), and a test fails when the file and the declarations disagree."""

from __future__ import annotations

import sys
from pathlib import Path

from .templates import Family, declared, search_path

BEGIN = "<!-- design options: generated from family.yaml by `bash tasks.sh docs` -->"
END = "<!-- end of design options -->"


def table(families: list[Family]) -> str:
    """A Markdown table: one row per option of each family."""
    rows = ["| family | option | type | default | allowed | help |", "|---|---|---|---|---|---|"]
    for family in families:
        for option in family.options.values():
            default = str(option.default).lower() if isinstance(option.default, bool) else option.default
            cells = (family.name, f"`{option.name}`", option.type, f"`{default}`", option.describe(), option.help)
            rows.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows)


def packaged_table() -> str:
    return table(sorted(declared(search_path(None)).values(), key=lambda family: family.name))


def with_table(text: str, generated: str) -> str:
    """`text` with the lines between the markers replaced by `generated`; ValueError without the markers."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} … {END!r} are not in the file")
    return text[: start + len(BEGIN)] + "\n" + generated + "\n" + text[end:]


def main(argv: list[str]) -> int:
    (doc,) = map(Path, argv)
    doc.write_text(with_table(doc.read_text(encoding="utf-8"), packaged_table()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
