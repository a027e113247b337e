"""The documentation's promises name tests that exist: docs/security.md points at the test of each
guarantee, and a renamed or deleted test must not leave a promise without one."""

from __future__ import annotations

import re

from helpers import ROOT


def test_every_test_security_md_names_exists() -> None:
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    modules = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")}
    defined = set(re.findall(r"^def (test_\w+)", "\n".join(modules.values()), re.MULTILINE))
    named_files = set(re.findall(r"tests/(test_\w+\.py)", doc))
    named_tests = {name for name in re.findall(r"\b(test_\w+)\b(?!\.py)", doc) if f"{name}.py" not in modules}
    assert named_files - set(modules) == set()
    assert named_tests - defined == set()
