"""`texcv new`: a starter profile that validates and builds as is, with the schema beside it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from helpers import cli, pdf_text

from texcv import loader, schema
from texcv.build import build, load_profile
from texcv.starter import SCHEMA_FILE, starter_text

MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def test_new_writes_profile_and_schema(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "new", "Grace Hopper")
    assert status == 0, err
    profile = tmp_path / "grace-hopper.yaml"
    text = profile.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert "texcv build grace-hopper.yaml" in text and "<file>" not in text
    # the modeline's relative path resolves next to the profile, where editors look for it
    assert json.loads((tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")) == schema.json_schema()
    loaded = load_profile(profile)
    assert (loaded["name"]["given"], loaded["name"]["family"]) == ("Grace", "Hopper")
    # the owner's name is emphasised in the example author list
    assert "Grace Hopper" in loaded["sections"][-1]["entries"][0]["authors"]
    assert "grace-hopper.yaml" in err


def test_starter_matches_the_schema():
    data = loader.parse(starter_text(), "starter.yaml").data
    jsonschema.validate(data, schema.json_schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", ["吴侃", "Wu, Kan", "True", "Anne-Marie O'Neil", "a: b # c"])
def test_any_name_gives_a_valid_profile(tmp_path, name):
    path = tmp_path / "cv.yaml"
    path.write_text(starter_text(name), encoding="utf-8")
    assert loader.load(path).data["name"] == name
    load_profile(path)  # valid


def test_refuses_to_overwrite(capsys, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("name: Mine\n", encoding="utf-8")
    status, out, err = cli(capsys, "new", "-o", target)
    assert status == 1
    assert "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "name: Mine\n"
    assert not (tmp_path / SCHEMA_FILE).exists()
    status, out, err = cli(capsys, "new", "-o", target, "--force")
    assert status == 0, err
    assert target.read_text(encoding="utf-8").startswith(MODELINE)


def test_default_file_and_stdout(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "new")
    assert status == 0, err
    assert (tmp_path / "cv.yaml").is_file()
    status, out, err = cli(capsys, "new", "Ada", "-o", "-")
    assert status == 0, err
    assert out.startswith(MODELINE) and "\nname: Ada\n" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv.yaml", SCHEMA_FILE]


@pytest.mark.tex
def test_starter_builds(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(starter_text("Ada Lovelace"), encoding="utf-8")
    (built,) = build(path, tmp_path / "out")
    assert built.pages == 1 and not built.warnings
    text = pdf_text(built.pdf)
    assert "Ada Lovelace" in text and "Analytical Engine" in text
