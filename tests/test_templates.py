"""Template families: the search path and its override levels, extending a default, `templates list`
and `templates export`, template mistakes located in the template, and both packaged families
building every profile in profiles/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ITEM, PROFILES, ROOT, cli, pdf_text, piece, template_profile

from texcv.build import Settings, documents, load_profile
from texcv.errors import TemplateError, UserError
from texcv.localize import view
from texcv.markup import plain
from texcv.templates import families, search_path
from texcv.upgrades import RECORD


def tex(path: Path, **settings) -> str:
    return documents(path, Settings(**settings))[0].tex


# --- the search path: command line → design.template_dir → templates/ next to the profile → packaged


@pytest.mark.parametrize(
    "present, winner",
    [
        ((), None),
        (("local",), "local"),
        (("design", "local"), "design"),
        (("cli", "design", "local"), "cli"),
        (("cli", "local"), "cli"),
    ],
)
def test_override_levels(tmp_path: Path, present: tuple, winner: str | None):
    cv = template_profile(tmp_path, "design: {template_dir: design-templates}\n" if "design" in present else "")
    dirs = {"cli": tmp_path / "cli", "design": cv.parent / "design-templates", "local": cv.parent / "templates"}
    for level in present:
        piece(dirs[level], ITEM, f"% item from {level}\n")
    out = tex(cv, template_dirs=(dirs["cli"],) if "cli" in present else ())
    found = re.findall(r"^% item from (\w+)$", out, re.MULTILINE)
    if winner is None:
        assert not found and "\\texcvitem{Languages}{Python, C++, Rust}" in out
    else:
        assert found == [winner], found
        assert "\\section{Experience}" in out, "every other piece still comes from the packaged family"


def test_search_path_order_and_origins(tmp_path: Path):
    cv = template_profile(tmp_path, "design: {template_dir: mine}\n")
    (cv.parent / "mine").mkdir()
    (cv.parent / "templates").mkdir()
    path = search_path(load_profile(cv), [tmp_path])
    assert [(d.path, d.origin) for d in path] == [
        (tmp_path.resolve(), "--template-dir"),
        (cv.parent / "mine", "design.template_dir"),
        (cv.parent / "templates", "templates/ next to the profile"),
        (path[-1].path, "packaged with texcv"),
    ]


def test_design_template_dir_must_exist(tmp_path: Path):
    cv = template_profile(tmp_path, "design: {template_dir: nowhere}\n")
    with pytest.raises(UserError) as info:
        load_profile(cv)
    assert re.search(r"cv\.yaml:\d+:\d+: design\.template_dir: folder not found: .*nowhere", str(info.value))


def test_missing_template_dir_on_the_command_line(capsys, tmp_path: Path):
    status, out, err = cli(capsys, "render", template_profile(tmp_path), "-o", "-", "--template-dir", tmp_path / "nope")
    assert status == 2 and "--template-dir: no such directory" in err and "Traceback" not in err


def test_unknown_family_suggests_one(capsys, tmp_path: Path):
    status, out, err = cli(capsys, "render", template_profile(tmp_path), "-o", "-", "--template", "atss")
    assert status == 5
    assert "no template family 'atss'" in err and "did you mean 'ats'?" in err and "moderncv" in err


# --- extending a default ----------------------------------------------------------------------------


def test_override_extends_the_default_it_replaces(tmp_path: Path):
    cv = template_profile(tmp_path)
    piece(
        cv.parent / "templates",
        "moderncv/entries/publication.tex.j2",
        """\
        ((* include "default/moderncv/entries/publication.tex.j2" *))
        \\cvitem{}{(( extended ))}
        """,
    )
    out = tex(cv)
    original = out.index("{A paper about things}")
    assert out.index("\\cvitem{}{(( extended ))}") > original, "the original first, then the addition"


def test_default_pieces_still_use_overrides(tmp_path: Path):
    """An override of section.tex.j2 that includes the default keeps every entry override in force."""
    cv = template_profile(tmp_path)
    local = cv.parent / "templates"
    piece(local, "moderncv/section.tex.j2", '% my section\n((* include "default/moderncv/section.tex.j2" *))\n')
    piece(local, ITEM, "% my item\n")
    out = tex(cv)
    assert out.count("% my section") == 3 and "% my item" in out


def test_an_override_that_includes_itself_is_a_template_error(tmp_path: Path):
    cv = template_profile(tmp_path)
    piece(cv.parent / "templates", ITEM, f'((* include "{ITEM}" *))\n')
    with pytest.raises(TemplateError, match="include each other without end.*default/"):
        tex(cv)


def test_join_keeps_the_separator_spaces(tmp_path: Path):
    cv = template_profile(tmp_path)
    piece(cv.parent / "templates", ITEM, '\\cvitem{}{((( ["a_b", entry.label]|join(" & ") )))}\n')
    assert "\\cvitem{}{a\\_b \\& Languages}" in tex(cv)


# --- hook points: an override extends a piece mid-way ------------------------------------------------

# (family built, piece, block, the line before the hook's output, the line after it), as regular
# expressions searched in those lines; a piece without a family folder is the built family's.
HOOKS = [
    ("moderncv", "entries/experience.tex.j2", "after_title", r"\\cventry", r"\\texcvitem\[0pt\]\{\}\{Led the"),
    ("moderncv", "entries/experience.tex.j2", "before_space", r"\\texcvlistitem", r"\\addvspace\{\.4em\}$"),
    (
        "moderncv",
        "entries/publication.tex.j2",
        "after_title",
        r"\\nopagebreak$",
        r"\\texcvitem\[0pt\]\{\}\{\\texcvname\{A\. Smith",
    ),
    ("moderncv", "entries/publication.tex.j2", "before_space", r"\\texcvitem\[0pt\]\{\}\{\\href", r"\\addvspace"),
    ("moderncv", "header.tex.j2", "header_end", r"^\\social\[googlescholar\]", r"^$"),
    ("moderncv", "section.tex.j2", "section_end", r"\\addvspace|\\texcvitem", r"^$|^\\end\{document\}"),
    ("ats", "entries/experience.tex.j2", "after_title", r"\\textbf\{Senior Engineer\}", r"\\textbackslash\{\}input"),
    ("ats", "entries/experience.tex.j2", "before_space", r"\\end\{itemize\}$", r"\\smallskip$"),
    ("ats", "common/entries/publication.tex.j2", "after_title", r"\\textbf\{A paper", r"\\texcvname\{A\. Smith"),
    ("ats", "common/entries/publication.tex.j2", "before_space", r"paper: \\url", r"\\smallskip$"),
    ("ats", "header.tex.j2", "header_end", r"^\\mbox\{Berlin", r"^$"),
    ("ats", "common/section.tex.j2", "section_end", r"\\smallskip$|\\par$", r"^$|^\\end\{document\}"),
    ("sidebar", "entries/experience.tex.j2", "after_title", r"^\\textit\{ACME", r"\\textbackslash\{\}input"),
    ("sidebar", "entries/experience.tex.j2", "before_space", r"\\end\{itemize\}$", r"\\smallskip$"),
    ("sidebar", "common/entries/publication.tex.j2", "after_title", r"\\textbf\{A paper", r"\\texcvname\{A\. Smith"),
    ("sidebar", "common/section.tex.j2", "section_end", r"\\smallskip$|\\par$", r"^$|^\\end\{paracol\}"),
]


@pytest.mark.parametrize("family, name, block, before, after", HOOKS)
def test_an_extension_inserts_at_a_hook_point(tmp_path: Path, family, name, block, before, after):
    """An override that `extends` the packaged piece fills one of its blocks: its lines land inside
    the piece, between the rows around the hook, and the rest of the piece stays as it was."""
    cv = template_profile(tmp_path)
    path = name if name.startswith("common/") else f"{family}/{name}"
    piece(
        cv.parent / "templates",
        path,
        f"""\
        ((* extends "default/{path}" *))
        ((* block {block} *))
        % hook {block}
        ((* endblock *))
        """,
    )
    lines = tex(cv, design={"template": family}).split("\n")
    hooked = [i for i, line in enumerate(lines) if line == f"% hook {block}"]
    assert hooked, f"the {block} block of {path} printed nothing"
    for i in hooked:  # a row before it may be wrapped over lines (the .tex keeps lines short)
        above, below = "\n".join(lines[max(i - 8, 0) : i]), lines[i + 1]
        assert re.search(before, above, re.M) and re.search(after, below), lines[i - 3 : i + 2]
    unhooked = tex(template_profile(tmp_path / "plain"), design={"template": family}).split("\n")
    assert [line for line in lines if not line.startswith("% hook")][1:] == unhooked[1:], "the first names the file"


def test_shared_pieces_are_listed_as_common(capsys):
    status, out, err = cli(capsys, "templates", "list")
    assert status == 0, err
    common = out[out.index("\ncommon ") : out.index("\nmoderncv: ")]
    assert "(no cv.tex.j2: pieces for other families to include): fonts, " in common
    assert re.search(r"^  fonts\.tex\.j2 +\[1\]$", common, re.MULTILINE) and "macros.tex.j2" in common
    assert "fonts.tex.j2" not in out[out.index("\nmoderncv: ") :], "moderncv holds none of them"


FAMILIES = ("moderncv", "ats", "sidebar")


@pytest.mark.parametrize("exported", FAMILIES)
def test_a_copied_family_changes_no_other(capsys, tmp_path: Path, exported: str):
    """A family includes the pieces it shares with others from common/, never from another family: a
    copy of one, however edited, changes nothing in a document of any other."""
    cv = template_profile(tmp_path)
    others = [family for family in FAMILIES if family != exported]
    before = {family: tex(cv, design={"template": family}) for family in others}
    assert cli(capsys, "templates", "export", exported, cv.parent / "templates")[0] == 0
    for file in (cv.parent / "templates" / exported).rglob("*.tex.j2"):
        file.write_text(file.read_text(encoding="utf-8") + f"% edited {exported}\n", encoding="utf-8")
    assert f"% edited {exported}" in tex(cv, design={"template": exported})
    assert {family: tex(cv, design={"template": family}) for family in others} == before


def test_a_family_piece_for_a_kind_wins_over_the_shared_one(tmp_path: Path):
    """ats and sidebar print bullets with common/entries/bullet.tex.j2; a family's own
    entries/bullet.tex.j2 takes its place in that family only."""
    cv = template_profile(tmp_path)
    piece(cv.parent / "templates", "ats/entries/bullet.tex.j2", "\\item my bullet\n")
    assert "\\item my bullet" in tex(cv, design={"template": "ats"})
    assert "\\item A plain bullet" in tex(cv, design={"template": "sidebar"})


# --- templates list / export ------------------------------------------------------------------------


def test_list_shows_families_pieces_and_where_they_come_from(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    piece(cv.parent / "templates", "moderncv/entries/publication.tex.j2", "% mine\n")
    status, out, err = cli(capsys, "templates", "list", "--profile", cv)
    assert status == 0, err
    assert f"[1] {cv.parent / 'templates'}  (templates/ next to the profile)" in out
    assert re.search(r"^  \[2\] .*templates  \(packaged with texcv\)$", out, re.MULTILINE)
    moderncv = out[out.index("\nmoderncv: ") :]
    assert re.search(r"^  entries/publication\.tex\.j2 +\[1\], overrides \[2\]$", moderncv, re.MULTILINE)
    assert re.search(r"^  entries/item\.tex\.j2 +\[2\]$", moderncv, re.MULTILINE)
    assert '    style = classic | casual | banking | oldstyle | fancy | empty (default: "classic"): ' in moderncv
    assert (
        "    color = blue | black | burgundy | green | grey | orange | purple | red | #RRGGBB | rgb(r,g,b)" in moderncv
    )
    ats = out[out.index("\nats: ") : out.index("\nmoderncv: ")]
    assert "    font_size = 9–12 pt (default: 11): " in ats and " style =" not in ats and "color" not in ats


def test_packaged_manifests_describe_and_declare_options():
    packaged = {f.name: f for f in families(search_path(None))}
    assert set(packaged) >= {"moderncv", "ats"}
    assert {"style", "color", "font_size", "font", "icons"} <= set(packaged["moderncv"].options)
    assert all(f.description and all(o.help for o in f.options.values()) for f in packaged.values())


def test_export_copies_a_family_and_refuses_to_overwrite(capsys, tmp_path: Path):
    target = tmp_path / "mine"
    status, out, err = cli(capsys, "templates", "export", "moderncv", target)
    assert status == 0, err
    packaged = ROOT / "templates" / "moderncv"
    originals = {p.relative_to(packaged): p.read_bytes() for p in packaged.rglob("*") if p.is_file()}
    copies = {
        p.relative_to(target / "moderncv"): p.read_bytes()
        for p in (target / "moderncv").rglob("*")
        if p.is_file() and p.name != RECORD
    }
    assert copies == originals and (target / "moderncv" / RECORD).is_file()

    (target / "moderncv" / "cv.tex.j2").write_text("% edited\n", encoding="utf-8")
    status, out, err = cli(capsys, "templates", "export", "moderncv", target)
    assert (
        status == 1 and "not overwriting" in err and "--force" in err and str(target / "moderncv" / "cv.tex.j2") in err
    )
    assert (target / "moderncv" / "cv.tex.j2").read_text(encoding="utf-8") == "% edited\n", "nothing written"

    assert cli(capsys, "templates", "export", "moderncv", target, "--force")[0] == 0
    assert (target / "moderncv" / "cv.tex.j2").read_bytes() == originals[Path("cv.tex.j2")]


def test_export_copies_the_pieces_in_use(capsys, tmp_path: Path):
    mine = tmp_path / "mine"
    piece(mine, ITEM, "% my item\n")
    assert cli(capsys, "templates", "export", "moderncv", tmp_path / "out", "--template-dir", mine)[0] == 0
    assert (tmp_path / "out" / ITEM).read_text(encoding="utf-8") == "% my item\n"
    assert (tmp_path / "out" / "moderncv" / "cv.tex.j2").is_file()


def test_export_onto_its_own_directory_with_force(capsys, tmp_path: Path):
    mine = tmp_path / "mine"
    piece(mine, ITEM, "% my item\n")
    assert cli(capsys, "templates", "export", "moderncv", mine, "--template-dir", mine, "--force")[0] == 0
    assert (mine / ITEM).read_text(encoding="utf-8") == "% my item\n"


def test_export_under_a_new_name_is_a_working_family(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    assert cli(capsys, "templates", "export", "moderncv", tmp_path / "t", "--as", "mycv")[0] == 0
    original = tex(cv)
    copied = tex(cv, template_dirs=(tmp_path / "t",), design={"template": "mycv"})
    assert copied == original, "./ includes resolve inside the copy, whatever it is called"


def test_export_unknown_family(capsys, tmp_path: Path):
    status, out, err = cli(capsys, "templates", "export", "modern", tmp_path / "t")
    assert status == 1 and "no template family 'modern'" in err and "did you mean 'moderncv'?" in err
    assert not (tmp_path / "t").exists()


# --- template mistakes, located -------------------------------------------------------------------


def test_syntax_error_names_file_and_line(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    file = piece(cv.parent / "templates", ITEM, "% fine\n\\cvitem{((( entry.label )}{x}\n")
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 5 and f"{file}:2: template syntax error" in err


def test_undefined_value_names_file_and_line(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    file = piece(cv.parent / "templates", ITEM, "% fine\n\\cvitem{((( entry.lable )))}{x}\n")
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 5 and f"{file}:2: template used an undefined value" in err and "lable" in err


@pytest.mark.parametrize(
    "opened, line, text",
    [
        ("if", 2, "% fine\n((* if entry.label *))\n\\cvitem{}{x}\n((* for x in [1] *))((* endfor *))\n% end\n"),
        ("for", 3, "((* set n = 1 *))\n((* if n *))((* endif *))\n((* for x in [1] *))\n((( x )))\n"),
        ("set", 2, "((= a ((* if *)) in a comment =))\n((* set body *))\n\\cvitem{}{x}\n"),
        ("macro", 1, "((* macro row(x) *))\n((* if x *))((( x )))((* endif *))\n"),
    ],
)
def test_a_block_never_closed_is_reported_at_its_opening_tag(capsys, tmp_path: Path, opened, line, text):
    cv = template_profile(tmp_path)
    file = piece(cv.parent / "templates", ITEM, text)
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 5 and "Traceback" not in err
    assert f"{file}:{line}: template syntax error: this `{opened}` is never closed (no `end{opened}`" in err


def test_a_missing_include_names_the_including_file(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    file = piece(cv.parent / "templates", ITEM, '% fine\n((* include "./entries/itme.tex.j2" *))\n')
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 5 and "Traceback" not in err
    assert f"{file}:2: it includes template 'moderncv/entries/itme.tex.j2', which is not found" in err


@pytest.mark.parametrize(
    "value, printed",
    [("entry.keep_together", "bool False"), ("cv.contact.email", "list ['jose_m@example.org'"), ("cv.x_no", "")],
)
def test_printing_a_bool_or_list_is_located(capsys, tmp_path: Path, value, printed):
    cv = template_profile(tmp_path)
    file = piece(cv.parent / "templates", ITEM, f"% fine\n\\cvitem{{}}{{((( {value}|default(none) )))}}\n")
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 5 and "Traceback" not in err
    assert f"{file}:2: a template printed {printed or 'NoneType None'}" in err


def test_jinja_default_delimiters_are_warned_with_file_and_line(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    file = piece(
        cv.parent / "templates",
        ITEM,
        """\
        ((= {{ in a comment }} is fine =))
        \\cvitem{{((( entry.label )))}}{x}
        \\cvitem{}{{{ entry.text }}}
        {% if entry.text %}
        """,
    )
    status, out, err = cli(capsys, "render", cv, "-o", "-")
    assert status == 0, err
    warned = [line for line in err.splitlines() if "warning:" in line]
    assert len(warned) == 2, err
    assert f"{file}:3: '{{{{ entry.text }}}}' is printed as it stands" in warned[0]
    assert f"{file}:4: '{{% if entry.text %}}' is printed as it stands" in warned[1]
    assert "((( value )))" in warned[0]


def test_the_packaged_templates_draw_no_warning(capsys, tmp_path: Path):
    for family in ("moderncv", "ats"):
        status, out, err = cli(capsys, "render", template_profile(tmp_path), "-o", "-", "--template", family)
        assert status == 0 and "warning" not in err, err


def _origins_hold(doc) -> int:
    """Every .tex line traced to a template line without Jinja tags is that line, verbatim."""
    lines, checked = doc.tex.split("\n"), 0
    assert len(doc.origins) == len(lines)
    traced = [o for o in doc.origins if o]
    assert len(traced) >= 0.9 * len([line for line in lines if line]), "most lines are traced"
    for number, (line, origin) in enumerate(zip(lines, doc.origins), 1):
        if origin is None:
            continue
        source = Path(origin[0]).read_text(encoding="utf-8").split("\n")[origin[1] - 1]
        if not re.search(r"\(\(\(|\(\(\*|\(\(=|=\)\)", source):
            assert line == source, f"{doc.stem}.tex:{number} {line!r} traced to {origin}: {source!r}"
            checked += 1
    return checked


@pytest.mark.parametrize("family", ["moderncv", "ats", "sidebar"])
def test_every_tex_line_knows_its_template_line(family: str):
    checked = sum(
        _origins_hold(doc)
        for name in sorted(PROFILES.glob("*.yaml"))
        for doc in documents(name, Settings(design={"template": family}))
    )
    assert checked > 100


@pytest.mark.tex
def test_tex_error_is_traced_to_the_template_line(capsys, tmp_path: Path):
    cv = template_profile(tmp_path)
    file = piece(
        cv.parent / "templates",
        ITEM,
        """\
        ((= a comment spanning
            two lines =))
        ((* if entry.label *))
        \\cvitem{((( entry.label )))}{\\undefinedmacro}
        ((* endif *))
        """,
    )
    status, out, err = cli(capsys, "build", cv, "-o", tmp_path / "out")
    assert status == 3, err
    assert "Undefined control sequence" in err and f"written by template {file}:4" in err


# --- both packaged families build every profile ------------------------------------------------------


def _in_order(text: str, expected: list[str]) -> None:
    """Each of `expected` is found in `text` after the one before it (text as pdftotext reads it).
    Spaces are ignored: xeCJK sets glue between digits and CJK ("2018 年 9 月") that pdftotext reads as one."""
    text = "".join(text.split())
    position = 0
    for item in ("".join(item.split()) for item in expected):
        found = text.find(item, position)
        assert found >= 0, f"{item!r} not found after position {position}: …{text[position : position + 200]}…"
        position = found + len(item)


def _reading_order(cv: dict) -> list[str]:
    order = [cv["name"]["full"]]
    for section in cv["sections"]:
        order.append(plain(section["title"]))
        for entry in section["entries"]:
            title = entry.get("subsection") or entry.get("title")
            if title and entry["kind"] != "publication":  # publication titles may wrap around a date
                order.append(plain(title))
            if entry.get("dates"):  # beside its entry, not gathered in a column of dates
                order.append(entry["dates"])
    return [" ".join(item.split()) for item in order]


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("name", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_ats_builds_every_profile_in_reading_order(name: str, tmp_path: Path):
    from texcv.build import build

    settings = Settings(design={"template": "ats"})
    profile_data = load_profile(PROFILES / name, settings)
    for built in build(PROFILES / name, tmp_path, settings):
        assert built.warnings == [], built.warnings
        assert built.passes == 1, "no page numbers, bookmarks or page labels: one pass"
        text = pdf_text(built.pdf)
        lang = built.pdf.stem.rpartition(".")[2] if len(profile_data["languages"]) > 1 else profile_data["languages"][0]
        _in_order(text.replace("\ufb01", "fi").replace("\ufb02", "fl"), _reading_order(view(profile_data, lang)))
        tex = built.tex.read_text(encoding="utf-8")
        assert "\\documentclass" in tex and "{article}" in tex and "tabular" not in tex and "fontawesome" not in tex


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("name", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_moderncv_builds_every_profile(name: str, tmp_path: Path):
    from texcv.build import build

    for built in build(PROFILES / name, tmp_path):
        assert built.pdf.read_bytes().startswith(b"%PDF-")
        assert "{moderncv}" in built.tex.read_text(encoding="utf-8")


@pytest.mark.parametrize("family", ["ats", "sidebar"])
def test_a_link_labelled_with_its_own_address_prints_once(tmp_path: Path, family: str):
    cv = template_profile(
        tmp_path,
        "  - title: Projects\n    entries:\n"
        "      - title: MobulaOP\n        date: 2019\n"
        "        links: [{label: 'https://github.com/wkcn/MobulaOP', url: 'https://github.com/wkcn/MobulaOP'},"
        " {label: 'github.com/x/y', url: 'https://github.com/x/y'}, {label: code, url: 'https://example.org/c'}]\n",
    )
    out = " ".join(tex(cv, design={"template": family}).split())  # the .tex keeps its lines short
    assert "MobulaOP: \\url" not in out and "y: \\url" not in out and "code: \\url{https://example.org/c}" in out
    assert out.count("\\url{https://github.com/wkcn/MobulaOP}") == 1
