"""An exported family after an upgrade: the record `templates export` writes, `templates status`
(untouched / edited by you / changed upstream) and `templates diff`, with texcv's packaged pieces
played by a copy that a test changes (the real package is never edited); and `templates context`."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, cli, template_profile

import texcv
from texcv.build import template_contexts
from texcv.upgrades import RECORD


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the packaged templates standing in for the package: change it to play an upgrade."""
    packaged = tmp_path / "packaged"
    shutil.copytree(ROOT / "templates", packaged)
    monkeypatch.setattr("texcv.templates.packaged_templates", lambda: packaged)
    monkeypatch.setattr("texcv.upgrades.packaged_templates", lambda: packaged)
    return packaged


def _append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def _states(out: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\S+) +(.+)$", out, re.MULTILINE))


def test_export_records_the_version_and_a_hash_per_piece(capsys, tmp_path: Path, upstream: Path):
    assert cli(capsys, "templates", "export", "ats", tmp_path / "t", "--as", "compact")[0] == 0
    folder = tmp_path / "t" / "compact"
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    assert record["texcv"] == texcv.__version__ and record["family"] == "ats"
    pieces = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != RECORD)
    assert sorted(record["pieces"]) == pieces
    for name, hashes in record["pieces"].items():
        copied = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert hashes == {"copied": copied, "upstream": copied}, "a packaged piece: the copy is the original"
        assert record["texts"][copied] == (folder / name).read_text(encoding="utf-8")


def test_status_after_an_upgrade(capsys, tmp_path: Path, upstream: Path):
    templates = tmp_path / "templates"
    assert cli(capsys, "templates", "export", "ats", templates, "--as", "compact")[0] == 0
    status, out, err = cli(capsys, "templates", "status", templates)
    assert status == 0, err
    assert set(_states(out).values()) == {"untouched copy"} and f"{templates / 'compact'} (from ats, texcv " in out

    mine = templates / "compact"
    _append(mine / "preamble.tex.j2", "% mine\n")  # edited by you
    _append(upstream / "ats" / "family.yaml", "# upstream\n")  # changed by the upgrade
    _append(mine / "header.tex.j2", "% mine\n")  # both
    _append(upstream / "ats" / "header.tex.j2", "% upstream\n")
    (mine / "letter.tex.j2").unlink()
    (mine / "entries" / "award.tex.j2").write_text("% a kind of my own\n", encoding="utf-8")
    (upstream / "ats" / "entries" / "talk.tex.j2").write_text("% new in this texcv\n", encoding="utf-8")
    (upstream / "ats" / "entries" / "experience.tex.j2").unlink()

    status, out, err = cli(capsys, "templates", "status", mine)  # the family's own folder works too
    assert status == 0, err
    states = _states(out)
    assert states.pop("preamble.tex.j2") == "edited by you"
    assert states.pop("family.yaml") == "changed upstream since export"
    assert states.pop("header.tex.j2") == "edited by you and changed upstream since export"
    assert states.pop("letter.tex.j2") == "deleted by you"
    assert states.pop("entries/award.tex.j2") == "added by you"
    assert states.pop("entries/talk.tex.j2") == "new upstream since export"
    assert states.pop("entries/experience.tex.j2") == "removed upstream since export"
    assert set(states.values()) == {"untouched copy"} and "cv.tex.j2" in states


def test_diff_shows_the_upstream_change_and_your_edits(capsys, tmp_path: Path, upstream: Path):
    assert cli(capsys, "templates", "export", "ats", tmp_path / "t")[0] == 0
    file = tmp_path / "t" / "ats" / "header.tex.j2"
    status, out, err = cli(capsys, "templates", "diff", file)
    assert status == 0 and out == "" and "unchanged since export, on both sides" in err

    _append(upstream / "ats" / "header.tex.j2", "% upstream line\n")
    _append(file, "% my line\n")
    status, out, err = cli(capsys, "templates", "diff", file)
    assert status == 0, err
    upgrade, mine = out.split("\n--- ")
    assert upgrade.startswith(
        f"--- ats/header.tex.j2 as exported (texcv {texcv.__version__})\n+++ ats/header.tex.j2 in"
    )
    assert "\n+% upstream line" in upgrade and "my line" not in upgrade
    assert mine.startswith(f"ats/header.tex.j2 as exported\n+++ {file} (yours)")
    assert "\n+% my line" in mine and "upstream line" not in mine


def test_status_and_diff_outside_an_export_are_clear_errors(capsys, tmp_path: Path):
    (tmp_path / "plain" / "moderncv").mkdir(parents=True)
    status, out, err = cli(capsys, "templates", "status", tmp_path / "plain")
    assert status == 1 and f"{tmp_path / 'plain'}: no family exported by `texcv templates export`" in err
    status, out, err = cli(capsys, "templates", "diff", tmp_path / "plain" / "moderncv" / "cv.tex.j2")
    assert status == 1 and "not inside a family copied by `texcv templates export`" in err
    assert "Traceback" not in err


def test_a_damaged_record_is_a_clear_error(capsys, tmp_path: Path):
    assert cli(capsys, "templates", "export", "ats", tmp_path)[0] == 0
    record = tmp_path / "ats" / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["texts"] = {}
    record.write_text(json.dumps(data), encoding="utf-8")
    status, out, err = cli(capsys, "templates", "status", tmp_path)
    assert status == 1 and f"{record}: the export record is damaged" in err
    record.write_text("{", encoding="utf-8")
    status, out, err = cli(capsys, "templates", "status", tmp_path)
    assert status == 1 and f"{record}: cannot read the export record" in err and "Traceback" not in err


# --- templates context ---------------------------------------------------------------------------------


def _keys(value: object, depth: int = 0) -> set[tuple[int, str]]:
    """(depth, key) of every mapping key in a context, list items merged, as the command prints them."""
    found: set[tuple[int, str]] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= {(depth, str(key))} | _keys(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item, depth + 1)
    return found


def test_context_prints_every_key_with_its_type(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    status, out, err = cli(capsys, "templates", "context", cv)
    assert status == 0, err
    printed = {(len(indent) // 2, key) for indent, key in re.findall(r"^( *)([^\s:]+):", out, re.MULTILINE)}
    ((_, context),) = template_contexts(cv)
    assert _keys({k: v for k, v in context.items() if k != "engine"}) <= printed
    assert "cv: mapping\n" in out and "engine: EngineChoice\n  engine: text  e.g. 'pdflatex'" in out
    assert "\n      url: text  e.g. 'github.com/jose_m'\n      shown: text  e.g. 'jose_m'" in out
    assert re.search(r"^      hints: list\n        \[…\]: text", out, re.MULTILINE)  # each section's date/label column
    assert re.search(r"^          organization: text \(markdown\) \(some items\)", out, re.MULTILINE)


def test_context_follows_the_command_line(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    status, out, err = cli(capsys, "templates", "context", cv, "--template", "ats", "--set", "design.font_size=10.5")
    assert status == 0, err
    assert "\n  template: text  e.g. 'ats'\n" in out and "\n  font_size: number  e.g. 10.5\n" in out


def test_the_documented_context_names_every_key(tmp_path: Path):
    """docs/customizing.md's "What a template sees" names each key of `cv` (a profile with a photo has
    them all) and of a social account."""
    cv = template_profile(tmp_path, "photo: me.png\n")
    shutil.copy(ROOT / "profiles" / "example-photo.png", cv.parent / "me.png")
    ((_, context),) = template_contexts(cv)
    doc = (ROOT / "docs" / "customizing.md").read_text(encoding="utf-8")
    documented = doc[doc.index("## What a template sees") : doc.index("## When something goes wrong")]
    names = {*context["cv"], *context["cv"]["social"][0], *context}
    missing = sorted(name for name in names if f"`{name}`" not in documented and f".{name}`" not in documented)
    assert not missing, f"not in docs/customizing.md: {missing}"
