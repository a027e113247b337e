"""`--set design.KEY=VALUE`: any design value from the command line, checked like the file's."""

from __future__ import annotations

import pytest
from helpers import cli

from texcv.build import Settings, load_profile
from texcv.overrides import override_design


def rendered(capsys, profile, *options: str) -> tuple[int, str, str]:
    return cli(capsys, "render", profile, "-o", "-", *options)


def test_set_changes_the_output(capsys, mini):
    status, tex, err = rendered(
        capsys, mini, "--set", "design.color=red", "--set", "design.font_size=12", "--set", "design.icons=false"
    )
    assert status == 0, err
    assert "\\moderncvcolor{red}" in tex
    assert "\\documentclass[12pt," in tex
    assert "\\moderncvstyle[nosymbols]" in tex


def test_later_values_win(capsys, mini):
    status, tex, err = rendered(capsys, mini, "--color", "green", "--set", "design.color=orange")
    assert status == 0, err
    assert "\\moderncvcolor{orange}" in tex


def test_nested_values_merge_with_the_file(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\ndesign: {margins: 2cm}\n", encoding="utf-8")
    design = load_profile(path, Settings(design={"margins.top": "1.5cm"}))["design"]
    assert design["margins"] == {"top": "1.5cm", "bottom": "2cm", "left": "2cm", "right": "2cm"}
    path.write_text("name: A B\n", encoding="utf-8")
    design = load_profile(path, Settings(design={"margins.left": "1in"}))["design"]
    assert design["margins"] == {"top": None, "bottom": None, "left": "1in", "right": None}


def test_values_are_yaml(capsys, mini):
    status, tex, err = rendered(capsys, mini, "--set", "design.margins={top: 1cm, bottom: 3cm}")
    assert status == 0, err
    assert "\\usepackage[top=1cm,bottom=3cm,left=2cm,right=2cm]{geometry}" in tex


@pytest.mark.parametrize(
    ("option", "file_value", "message"),
    [
        (
            "design.color=rde",
            "color: rde",
            "unknown colour 'rde' (expected a colour (blue, black, burgundy, green, grey, orange, purple, red, "
            "#RRGGBB, rgb(r,g,b))); did you mean 'red'?",
        ),
        ("design.font_size=13", "font_size: 13", "size 13 pt is out of range (expected a size from 9 to 12 pt"),
        ("design.colr=red", "colr: red", "unknown key in design"),
        ("design.margins.top=wide", "margins: {top: wide}", "'wide' is not a length such as 1.5cm"),
        ("design.icons=maybe", "icons: maybe", "expected true or false, got text"),
    ],
)
def test_same_messages_as_the_file(capsys, tmp_path, mini, option, file_value, message):
    status, _, err = rendered(capsys, mini, "--set", option)
    assert status == 1
    assert message in err
    in_file = tmp_path / "in-file.yaml"
    in_file.write_text(f"name: A B\ndesign: {{{file_value}}}\n", encoding="utf-8")
    _, _, file_err = rendered(capsys, in_file)
    path_and_message = err.split("command line: ", 1)[1]
    assert path_and_message in file_err


def test_unknown_key_suggests(capsys, mini):
    status, _, err = rendered(capsys, mini, "--set", "design.colour=red")
    assert status == 1
    assert "command line: design.colour: unknown key in design" in err and "did you mean 'color'?" in err


@pytest.mark.parametrize("option", ["design.color", "=red", "design.=x", "design..x=1", "design.color={"])
def test_usage_errors(capsys, mini, option):
    status, _, err = rendered(capsys, mini, "--set", option)
    assert status == 2
    assert "--set" in err


def test_empty_value_means_the_default(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\ndesign: {color: red}\n", encoding="utf-8")
    assert load_profile(path, Settings(design={"color": None}))["design"]["color"] == "blue"


def test_override_design_reaches_nested_values():
    design = {"margins": None}
    override_design(design, "margins.top", "1cm")
    assert design["margins"]["top"] == "1cm"
    override_design(design, "margins", "2cm")
    assert design["margins"] == dict.fromkeys(("top", "bottom", "left", "right"), "2cm")
