"""Design options a template family declares in its family.yaml: validated with locations, offered
by `--set`, `texcv schema` and `templates list`, and each one accepted by the family's templates.
Also `--set KEY=VALUE` for any profile value, and values YAML would read as comments."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import STYLED_PROFILE, cli, piece

from texcv import engine, optionsdoc, schema
from texcv.build import Settings, build
from texcv.templates import Option, families, search_path

PACKAGED = {family.name: family for family in families(search_path(None))}


def _samples(option: Option) -> list:
    """Values other than the default that the option says it takes."""
    if option.type in ("enum", "font"):
        others = [value for value in option.values if value != option.default]
        return others + (["TeX Gyre Pagella"] if option.type == "font" else [])
    if option.type == "color":
        return [option.values[-1], "#1F6FB2", "rgb(200, 30, 30)"]
    if option.type in ("size", "number") and option.range:
        return [option.range[0], (option.range[0] + option.range[1]) / 2, option.range[1]]
    if option.type == "bool":
        return [not option.default]
    return ["1.5cm"]


DECLARED = [
    (family.name, option.name, value, {other: allowed[0] for other, allowed in option.needs.get(value, {}).items()})
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
@pytest.mark.parametrize(("family", "name", "value", "needed"), DECLARED)
def test_every_declared_option_validates_and_builds(
    zoe: Path, tmp_path: Path, family: str, name: str, value, needed: dict
):
    (built,) = build(zoe, tmp_path, Settings(design={"template": family, name: value, **needed}))
    assert built.pdf.read_bytes().startswith(b"%PDF")
    assert not [warning for warning in built.warnings if "missing" in warning], built.warnings


def test_packaged_families_declare_their_options():
    assert set(PACKAGED["moderncv"].options) == {
        *("style", "color", "font_size", "font", "icons", "highlight", "bullet", "header_align", "spacing"),
        *("date_style", "heading_style"),
    }
    assert set(PACKAGED["ats"].options) == {"font_size", "font", "highlight", "heading_style", "spacing", "date_style"}
    assert set(PACKAGED["sidebar"].options) == {"color", "font_size", "font", "highlight", "heading_style", "spacing"}
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
    assert f"command line: design.{key}: the ats family has no option '{key}' (its options: font_size, font, " in err


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
        "(its options: font_size, font, highlight, heading_style, spacing, date_style, gap)" in err
    )


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("options: {size: {type: size, range: [9, 12], default: 13, help: h}}", "its default 13 is not accepted"),
        ("options: {x: {type: colour, default: red, help: h}}", "type 'colour' is not one of color, length"),
        ("options: {x: {type: enum, default: a, help: h}}", "a enum option lists its `values`"),
        ("options: {x: {type: bool, default: true}}", "expected a mapping with type, default, help"),
        ("options: {x: {type: enum, values: [a], default: a, help: h, needs: {a: b}}}", "needs: expected a mapping"),
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

    def declared(option: dict) -> list[dict]:  # one schema per distinct declaration, and null
        return [schema for schema in option["anyOf"] if schema.get("type") != "null"]

    assert all(size["maximum"] == 12 and size["minimum"] == 9 for size in declared(design["font_size"]))
    assert {size["default"] for size in declared(design["font_size"])} == {10, 11}  # sidebar's, the others'
    assert "moderncv" in design["color"]["$comment"]
    assert all("accent colour" in color["description"] for color in declared(design["color"]))
    assert "ats, moderncv" in design["font"]["$comment"]


# --- --set KEY=VALUE ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("headline=C# and F# #1", "\\title{\\texcvnohyph{C\\# and F\\# \\#1}}"),
        ("headline='Lead: compilers'", "\\title{\\texcvnohyph{Lead: compilers}}"),
        ("contact.phone=+1 202 555 0143", "\\phone[mobile]{+1 202-555-0143}"),
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


# --- design.font: an installed family by name ---------------------------------------------------------

PAGELLA_FACES = {"TeXGyrePagella-Regular", "TeXGyrePagella-Bold", "TeXGyrePagella-Italic"}


def _pdf_fonts(pdf: Path) -> set[str]:
    """The fonts pdffonts lists, without their subset tag (ABCDEF+) and encoding (-Identity-H)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].partition("+")[2].removesuffix("-Identity-H") for line in lines}


@pytest.mark.tex
@pytest.mark.parametrize("family", ["moderncv", "ats"])
def test_named_font_sets_the_text_after_the_style(capsys, tmp_path: Path, family: str):
    path = tmp_path / "cv.yaml"
    path.write_text(STYLED_PROFILE + "  - {title: Talks, entries: [{label: Talk, text: '*Fast* code'}]}\n")
    style = ["--set", "design.style=banking"] if family == "moderncv" else []
    status, _, err = cli(capsys, "build", path, "-o", tmp_path, "--template", family, *style,
                         "--set", "design.font=tex gyre pagella")  # fmt: skip
    assert status == 0, err
    assert "(xelatex," in err
    used = _pdf_fonts(tmp_path / "cv.pdf")
    assert used >= PAGELLA_FACES, used
    assert not {font for font in used if font.startswith(("LM", "TeXGyrePagella-Regular-"))}, used


def test_named_font_is_set_by_fontspec_after_the_style(capsys, mini):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", "design.font=TeX Gyre Pagella")
    assert status == 0, err
    assert "\\setmainfont{qplr.pfb}[Path=/usr/share/fonts/X11/Type1/, BoldFont=qplb.pfb, ItalicFont=qplri.pfb," in tex
    assert tex.index("\\moderncvstyle") < tex.index("\\setmainfont{qplr.pfb}") < tex.index("\\setsansfont{qplr.pfb}")
    assert "{moderncv}" in tex and ",sans]{moderncv}" in tex


def test_named_font_chooses_xelatex_and_checks_its_own_coverage():
    choice = engine.choose(["Ada Lovelace"], font="TeXGyrePagella")
    assert choice.engine == "xelatex" and choice.font is not None and choice.font.italic == "qplri.pfb"
    assert engine.choose(["Ada Lovelace"], font="roman").engine == "pdflatex"
    # Pagella has no Greek: its letters go to a font that has them, as under Latin Modern.
    greek = engine.choose(["Ada Νίκος"], font="TeXGyrePagella").fallback
    assert greek is not None and greek.fonts["ί"] == "Noto Sans" and "A" not in greek.fonts


@pytest.mark.parametrize(
    ("design", "message"),
    [
        (
            "font: TeX Gyre Palatino",
            "design.font: no installed font family 'TeX Gyre Palatino' (expected sans, roman or an installed font "
            "family (`fc-list : family` lists them)); close matches: TeXGyrePagella",
        ),
        (
            "font: Symbola",
            "design.font: font 'Symbola' has no bold and no italic face (installed: upright); a CV needs bold and "
            "italic: choose a family that has them",
        ),
        ("font: 12", "design.font: expected sans, roman or an installed font family"),
        (
            "{font: TeXGyreHeros, engine: pdflatex}",
            "design.font: font 'TeXGyreHeros' is set by fontspec: use engine auto, xelatex or lualatex",
        ),
        ("header_align: left\n  style: banking", "design.header_align: header_align left works with style classic or"),
        (
            "bullet: star",
            "design.bullet: unknown bullet 'star' (expected one of: circle, bullet, dash, triangle, none)",
        ),
        ("highlight: bolder", "design.highlight: unknown highlight 'bolder' (expected one of: bold, italic,"),
    ],
)
def test_bad_new_option_values_are_located(capsys, tmp_path: Path, design: str, message: str):
    path = tmp_path / "cv.yaml"
    if design.startswith("{"):
        path.write_text(f"name: A B\ndesign: {design}\n", encoding="utf-8")
        where = "cv.yaml:2:"
    else:
        path.write_text(f"name: A B\ndesign:\n  {design}\n", encoding="utf-8")
        where = "cv.yaml:3:3: "
    status, _, err = cli(capsys, "render", path, "-o", "-")
    assert status == 1 and where in err and message in err, err


# --- highlight, bullet, header_align ------------------------------------------------------------------------

OWN_PAPER = """\
name: José Müller
sections:
  - title: Papers
    entries: [{title: A Paper, authors: [A. Smith, José Müller], date: 2020}]
"""


@pytest.mark.parametrize(
    ("highlight", "owner"),
    [("bold", "\\textbf{#1}"), ("italic", "\\textit{#1}"), ("underline", "\\underline{#1}"), ("none", "#1}")],
)
@pytest.mark.parametrize("family", ["moderncv", "ats"])
def test_highlight_styles_the_owner_in_author_lists(capsys, tmp_path: Path, family: str, highlight: str, owner: str):
    path = tmp_path / "cv.yaml"
    path.write_text(OWN_PAPER, encoding="utf-8")
    status, tex, err = cli(
        capsys, "render", path, "-o", "-", "--template", family, "--set", f"design.highlight={highlight}"
    )
    assert status == 0, err
    assert f"\\newcommand*{{\\texcvowner}}[1]{{{owner}" in tex
    assert "\\texcvowner{\\texcvname{José Müller}}" in tex and "\\texcvname{A. Smith}" in tex


@pytest.mark.tex
def test_italic_highlight_reaches_the_pdf(capsys, tmp_path: Path):
    path = tmp_path / "cv.yaml"
    path.write_text(OWN_PAPER, encoding="utf-8")
    fonts = {}
    for highlight in ("bold", "italic"):
        status, _, err = cli(
            capsys, "build", path, "-o", tmp_path / highlight, "--set", f"design.highlight={highlight}"
        )
        assert status == 0, err
        fonts[highlight] = _pdf_fonts(tmp_path / highlight / "cv.pdf")
    assert any("Oblique" in font or "Italic" in font for font in fonts["italic"] - fonts["bold"]), fonts


@pytest.mark.parametrize(
    ("bullet", "drawn"),
    [
        ("circle", "\\put(.5,.375){\\circle{.9}}"),
        ("bullet", "\\put(.5,.375){\\circle*{.9}}"),
        ("dash", "\\line(1,0){.9}"),
        ("triangle", "\\polygon*("),
        ("none", "(0,-.11)\\end{picture}"),
    ],
)
def test_bullet_draws_the_named_symbol(capsys, mini, bullet: str, drawn: str):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", f"design.bullet={bullet}")
    assert status == 0, err
    assert drawn in tex.split("\\renewcommand*{\\labelitemi}", 1)[1].split("\\settowidth", 1)[0]


@pytest.mark.parametrize(
    ("style", "align", "written"),
    [
        ("classic", "right", "\\moderncvstyle[right]{classic}"),
        ("casual", "left", "\\moderncvstyle[left]{casual}"),
        ("banking", "center", "\\moderncvstyle{banking}"),
        ("classic", "style", "\\moderncvstyle{classic}"),
    ],
)
def test_header_align_is_the_style_option(capsys, mini, style: str, align: str, written: str):
    status, tex, err = cli(capsys, "render", mini, "-o", "-", "--set", f"design.style={style}",
                           "--set", f"design.header_align={align}")  # fmt: skip
    assert status == 0, err
    assert written in tex


def test_header_align_a_style_does_not_have_is_refused(capsys, mini):
    status, _, err = cli(capsys, "render", mini, "-o", "-", "--style", "fancy", "--set", "design.header_align=center")
    assert status == 1
    assert "command line: design.header_align: header_align center works with style banking, not fancy" in err


# --- docs and --set sections.ID.title ---------------------------------------------------------------------


def test_docs_table_matches_the_declarations():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "customizing.md").read_text(encoding="utf-8")
    assert optionsdoc.with_table(doc, optionsdoc.packaged_table()) == doc, "run: bash tasks.sh docs"
    for family in PACKAGED.values():
        for option in family.options.values():
            assert f"| {family.name} | `{option.name}` | {option.type} |" in doc


def test_docs_table_is_replaced_between_the_markers():
    text = f"before\n{optionsdoc.BEGIN}\nold table\n{optionsdoc.END}\nafter\n"
    assert optionsdoc.with_table(text, "new") == f"before\n{optionsdoc.BEGIN}\nnew\n{optionsdoc.END}\nafter\n"
    with pytest.raises(ValueError, match="markers"):
        optionsdoc.with_table("no markers", "new")


def test_set_reaches_a_section_title_by_id(capsys, tmp_path: Path):
    path = tmp_path / "cv.yaml"
    path.write_text(STYLED_PROFILE, encoding="utf-8")
    status, tex, err = cli(capsys, "render", path, "-o", "-", "--set", "sections.experience.title=Work & play")
    assert status == 0, err
    assert "\\section{Work \\& play}" in tex and "\\section{Experience}" not in tex
    status, _, err = cli(capsys, "render", path, "-o", "-", "--set", "sections.experiense.title=Work")
    assert status == 1 and "no section has id 'experiense'" in err and "did you mean 'experience'?" in err
