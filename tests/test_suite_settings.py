"""The suite's own set-up (tests/conftest.py): when CI=true, property tests repeat exactly and keep
no example database."""

from __future__ import annotations

import os

from hypothesis import settings


def test_ci_profile_repeats_examples_and_writes_nothing() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.print_blob and ci.deadline is None


def test_the_ci_profile_is_loaded_exactly_when_ci_is_true() -> None:
    in_ci = os.environ.get("CI") == "true"
    assert settings.get_current_profile_name() == ("ci" if in_ci else "default")
    assert settings().derandomize is in_ci and (settings().database is None) is in_ci
