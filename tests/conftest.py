"""Shared test set-up.

Tests marked `tex` need a TeX installation. Locally they are skipped without one; when CI=true a
missing TeX is a failure, never a skip. When CI=true, Hypothesis runs the same examples every time
and keeps no example database (profile "ci"), so a CI run repeats exactly; an example Hypothesis
finds anywhere becomes an explicit @example. `--update-golden` rewrites the golden files in tests/golden.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Loaded here, before any test module makes its own settings: theirs inherit what they do not set.
# Timing cannot fail a test on a busy CI machine either. CI=true decides, as for TeX tests, in place
# of Hypothesis's own guess (which loads its "ci" profile when CI is set to anything).
settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("tex")
    if marker is None:
        return
    needed = marker.args or ("pdflatex",)
    missing = [program for program in (*needed, "pdftotext") if shutil.which(program) is None]
    if missing:
        message = f"needs {', '.join(missing)} (install with: bash .ci/run or see README)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run TeX tests: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def _shared_formats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("formats")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _shared_formats: Path
) -> None:
    """No test reads or writes the real home directory, nor a cache outside it. Precompiled
    preambles (src/texcv/preamble.py) are shared: they are content-addressed and every build uses
    one, so sharing changes no result and spares each test a format dump."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)  # the user's own locale files (words.py)
    (home / ".cache" / "texcv").mkdir(parents=True)
    (home / ".cache" / "texcv" / "formats").symlink_to(_shared_formats, target_is_directory=True)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    from helpers import MINI  # imported late: the Hypothesis profile above must load first

    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return path


@pytest.fixture
def ml(tmp_path: Path) -> Path:
    from helpers import ML  # imported late: the Hypothesis profile above must load first

    path = tmp_path / "ml.yaml"
    path.write_text(ML, encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    from helpers import BAD  # imported late: the Hypothesis profile above must load first

    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path
