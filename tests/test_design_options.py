"""Design options a template family declares in its family.yaml: validated with locations, offered
by `--set`, `texcv schema` and `templates list`, and each one accepted by the family's templates.
Also `--set KEY=VALUE` for any profile value, and values YAML would read as comments."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import STYLED_PROFILE, cli, piece

from texcv import schema
from texcv.build import Settings, build
from texcv.templates import Option, families, search_path

PACKAGED = {family.name: family for family in families(search_path(None))}


def _samples(option: Option) -> list:
    """Values other than the default that the option says it takes."""
    if option.type == "enum":
        return [value for value in option.values if value != option.default]
    if option.type == "color":
        return [option.values[-1], "#1F6FB2", "rgb(200, 30, 30)"]
    if option.type == "size" and option.range:
        return [option.range[0], 10.5, option.range[1]]
    if option.type == "bool":
        return [not option.default]
    return ["1.5cm"]


DECLARED = [
    (family.name, option.name, value)
    for family in PACKAGED.values()
    for option in family.options.values()
    for value in _samples(option)
]


@pytest.fixture(scope="module")
def zoe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("options") / "zoe.yaml"
    path.write_text(STYLED_PROFILE, encoding="utf-8")
    return path


@pytest.mark.tex
@pytest.mark.parametrize(("family", "name", "value"), DECLARED)
def test_every_declared_option_validates_and_builds(zoe: Path, tmp_path: Path, family: str, name: str, value):
    (built,) = build(zoe, tmp_path, Settings(design={"template": family, name: value}))
    assert built.pdf.read_bytes().startswith(b"%PDF")
    assert not [warning for warning in built.warnings if "missing" in warning], built.warnings


def test_packaged_families_declare_their_options():
    assert set(PACKAGED["moderncv"].options) == {"style", "color", "font_size", "font", "icons", "date_style"}
    assert set(PACKAGED["ats"].options) == {"font_size", "font", "date_style"}
    assert all(o.help and o.type for f in PACKAGED.values() for o in f.options.values())


@pytest.mark.parametrize(
    ("value", "written"),
    [("#1f6fb2", "1F6FB2"), ("rgb(31,111,178)", "1F6FB2"), ("rgb( 0 , 0 , 255 )", "0000FF")],
)
def test_any_colour_replaces_moderncv_accent(capsys, mini, value: str, written: str):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", f"design.color={value}")
    assert status == 0, err
    assert f"\\moderncvcolor{{blue}}\n\\definecolor{{color1}}{{HTML}}{{{written}}}\n" in tex


def test_font_size_between_class_sizes_is_scaled(capsys, mini):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", "design.font_size=9.5")
    assert status == 0, err
    assert "\\documentclass[10pt," in tex and "\\usepackage[fontsize=9.5pt]{scrextend}" in tex
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", "design.font_size=12")
    assert "\\documentclass[12pt," in tex and "scrextend" not in tex


@pytest.mark.parametrize(
    ("design", "message"),
    [
        ("color: '#12345'", "design.color: unknown colour '#12345' (expected a colour (blue, "),
        ("color: rgb(300,0,0)", "design.color: 'rgb(300,0,0)': each part of rgb(r,g,b) is a number from 0 to 255"),
        ("font_size: 8.5", "design.font_size: size 8.5 pt is out of range (expected a size from 9 to 12 pt"),
        ("font_size: 11pt", "design.font_size: expected a size from 9 to 12 pt, such as 10.5, got text"),
        ("stlye: banking", "design.stlye: unknown key in design (expected one of: template, paper, "),
    ],
)
def test_bad_option_values_are_located(capsys, tmp_path: Path, design: str, message: str):
    path = tmp_path / "cv.yaml"
    path.write_text(f"name: A B\ndesign:\n  {design}\n", encoding="utf-8")
    status, _, err = cli(capsys, "render", path, "-o", "-")
    assert status == 1 and f"cv.yaml:3:3: {message}" in err, err


@pytest.mark.parametrize(
    ("options", "key"),
    [(["--color", "red"], "color"), (["--style", "banking"], "style"), (["--set", "design.icons=false"], "icons")],
)
def test_ats_refuses_options_it_does_not_have(capsys, mini, options: list[str], key: str):
    status, _, err = cli(capsys, "render", mini, "-o", "-", "--template", "ats", *options)
    assert status == 1
    assert (
        f"command line: design.{key}: the ats family has no option '{key}' (its options: font_size, font, date_style)"
        in err
    )


def test_options_of_another_family_in_the_file_are_left_out(capsys, tmp_path: Path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\ndesign: {style: banking, color: '#1F6FB2', font_size: 10.5}\n", encoding="utf-8")
    status, tex, err = cli(capsys, "render", path, "-o", "-", "--template", "ats")
    assert status == 0, err
    assert "{article}" in tex and "fontsize=10.5pt" in tex and "1F6FB2" not in tex


def test_a_family_declares_its_own_options(capsys, tmp_path: Path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\ndesign: {template: mine, gap: 3mm}\n", encoding="utf-8")
    family = tmp_path / "templates" / "mine"
    shutil.copytree(search_path(None)[-1].path / "ats", family)
    piece(family, "header.tex.j2", "\\vspace{((( design.gap )))}\n")
    gap = "  gap: {type: length, default: 1em, help: space under the name}\n"
    (family / "family.yaml").write_text(f"description: mine\noptions:\n{gap}", encoding="utf-8")
    status, _, err = cli(capsys, "render", path, "-o", "-")
    assert status == 5, "its templates use design.font_size, which it does not declare"
    assert "mine/preamble.tex.j2:3: template used a value wrongly" in err and "Traceback" not in err

    ats = (family / "family.yaml").with_name("family.yaml")
    ats.write_text((search_path(None)[-1].path / "ats" / "family.yaml").read_text(encoding="utf-8") + gap)
    status, tex, err = cli(capsys, "render", path, "-o", "-")
    assert status == 0, err
    assert "\\vspace{3mm}" in tex
    status, _, err = cli(capsys, "render", path, "-o", "-", "--set", "design.gap=wide", "--set", "design.icons=false")
    assert status == 1
    assert "command line: design.gap: 'wide' is not a length" in err
    assert (
        "command line: design.icons: the mine family has no option 'icons' "
        "(its options: font_size, font, date_style, gap)" in err
    )


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("options: {size: {type: size, range: [9, 12], default: 13, help: h}}", "its default 13 is not accepted"),
        ("options: {x: {type: colour, default: red, help: h}}", "type 'colour' is not one of color, length"),
        ("options: {x: {type: enum, default: a, help: h}}", "a enum option lists its `values`"),
        ("options: {x: {type: bool, default: true}}", "expected a mapping with type, default, help"),
        ("styles: [classic]", "styles: expected a mapping (known keys: description, options)"),
    ],
)
def test_a_family_cannot_advertise_what_it_does_not_accept(capsys, tmp_path: Path, manifest: str, message: str):
    piece(tmp_path, "mine/cv.tex.j2", "")
    manifest_file = piece(tmp_path, "mine/family.yaml", manifest)
    status, _, err = cli(capsys, "templates", "list", "--template-dir", tmp_path)
    assert status == 5 and f"{manifest_file}: " in err and message in err, err
    path = piece(tmp_path, "cv.yaml", "name: A B\ndesign: {template: mine}\n")
    status, _, err = cli(capsys, "render", path, "-o", "-", "--template-dir", tmp_path)
    assert status == 5 and message in err, err


def test_schema_offers_the_families_options():
    design = schema.json_schema()["$defs"]["design"]["properties"]
    assert design["font_size"]["maximum"] == 12 and design["font_size"]["minimum"] == 9
    assert "moderncv" in design["color"]["$comment"] and "accent colour" in design["color"]["description"]
    assert "ats, moderncv" in design["font"]["$comment"]


# --- --set KEY=VALUE ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("headline=C# and F# #1", "\\title{C\\# and F\\# \\#1}"),
        ("headline='Lead: compilers'", "\\title{Lead: compilers}"),
        ("contact.phone=+1 555 0100", "\\phone[mobile]{+1 555 0100}"),
        ("contact.email=[a@example.org, b@example.org]", "\\email{a@example.org}"),
    ],
)
def test_set_reaches_profile_values(capsys, mini, option: str, expected: str):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", option)
    assert status == 0, err
    assert expected in tex


def test_set_values_are_checked_like_the_file(capsys, mini):
    status, _, err = cli(capsys, "render", mini, "-o", "-", "--set", "contact.email=nobody", "--set", "nmae=x")
    assert status == 1
    assert "command line: contact.email: 'nobody' is not an email address" in err
    assert "command line: nmae: unknown key in profile" in err and "did you mean 'name'?" in err
    status, _, err = cli(capsys, "render", mini, "-o", "-", "--set", "headline.x=1")
    assert status == 2 and "--set headline.x: headline is text in the file, not keys" in err


@pytest.mark.tex
def test_hex_colour_reaches_the_page(capsys, mini, tmp_path: Path):
    status, _, err = cli(capsys, "build", mini, "-o", tmp_path, "--set", "design.color=#1F6FB2")
    assert status == 0, err
    page = subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "mini.pdf")], capture_output=True, check=True
    ).stdout
    header, pixels = _ppm(page)
    accent = sum(1 for i in range(0, len(pixels), 3) if _near(pixels[i : i + 3], (0x1F, 0x6F, 0xB2)))
    assert accent > 200, f"{accent} pixels of the accent colour on a {header} page"


def _ppm(data: bytes) -> tuple[str, bytes]:
    """A binary PPM (what pdftoppm writes by default): its size, and its RGB bytes."""
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return f"{int(width)}x{int(height)}", pixels


def _near(pixel: bytes, colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(pixel, colour))
