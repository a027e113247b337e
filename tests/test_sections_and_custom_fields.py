"""Section control (ids; order, hide and rename from the profile and the command line) and custom
fields (x_… keys that custom templates print and the packaged ones ignore)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from helpers import cli

from texcv import loader, schema
from texcv.build import Settings, documents
from texcv.errors import ProfileError

CV = """\
languages: [en, de]
name: Ada Lovelace
sections:
  - title: {en: Experience, de: Berufserfahrung}
    entries:
      - title: Analyst
        x_funding: {en: the Babbage family, de: Familie Babbage}
  - title: Publications
    id: papers
    entries:
      - {title: Sketch, authors: [Ada Lovelace]}
  - title: Skills & Tools
    entries:
      - {label: Maths, text: Bernoulli numbers}
"""


def write(tmp_path: Path, text: str, name: str = "cv.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ProfileError) as info:
        schema.validate(loader.load(write(tmp_path, text)))
    return [str(p).removeprefix(f"{tmp_path}/") for p in info.value.problems]


def sections(tex: str) -> list[str]:
    return re.findall(r"^\\section\{(.*)\}$", tex, re.MULTILINE)


# --- section ids ------------------------------------------------------------------------------------


def test_section_ids_default_to_the_title_in_the_first_language(tmp_path: Path):
    profile = schema.validate(loader.load(write(tmp_path, CV)))
    assert [s["id"] for s in profile["sections"]] == ["experience", "papers", "skills-tools"]


def test_equal_titles_get_distinct_ids_unless_in_different_languages(tmp_path: Path):
    profile = schema.validate(
        loader.load(
            write(
                tmp_path,
                """\
        languages: [en, zh]
        name: Ada
        sections:
          - {title: Talks, entries: [a]}
          - {title: Talks, entries: [b]}
          - {title: Projects, lang: en, entries: [c]}
          - {title: Projects, lang: zh, entries: [d]}
          - {title: 项目, entries: [e]}
        """,
            )
        )
    )
    assert [s["id"] for s in profile["sections"]] == ["talks", "talks-2", "projects", "projects", "项目"]


def test_an_explicit_id_cannot_be_given_twice(tmp_path: Path):
    found = problems(
        tmp_path,
        """\
        name: Ada
        sections:
          - {title: A, id: main, entries: [a]}
          - {title: B, id: main, entries: [b]}
          - {title: Main, entries: [c]}
        """,
    )
    assert found == ["cv.yaml:4:16: sections[1].id: another section already has id 'main'"]


# --- order, hide, rename ------------------------------------------------------------------------------


def test_design_orders_hides_and_renames(tmp_path: Path):
    path = write(
        tmp_path,
        CV
        + (
            "design: {section_order: [skills-tools, papers], hidden_sections: experience, "
            "section_titles: {papers: {en: Papers, de: Schriften}}}\n"
        ),
    )
    en, de = documents(path)
    assert sections(en.tex) == ["Skills \\& Tools", "Papers"]
    assert sections(de.tex) == ["Skills \\& Tools", "Schriften"]
    assert "Analyst" not in en.tex


def test_unlisted_sections_follow_in_profile_order(tmp_path: Path):
    en = documents(write(tmp_path, CV), Settings(lang="en", design={"section_order": ["skills-tools"]}))[0]
    assert sections(en.tex) == ["Skills \\& Tools", "Experience", "Publications"]


def test_unknown_ids_in_the_profile_are_located_with_a_suggestion(tmp_path: Path):
    found = problems(
        tmp_path,
        CV + "design:\n  section_order: [paper]\n  hidden_sections: [skills]\n  section_titles: {expereince: X}\n",
    )
    assert found[0].startswith(
        "cv.yaml:16:19: design.section_order[0]: no section has id 'paper' "
        "(section ids: experience, papers, skills-tools); did you mean 'papers'?"
    )
    assert found[1].startswith("cv.yaml:17:21: design.hidden_sections[0]: no section has id 'skills'")
    assert (
        found[2].startswith("cv.yaml:18:20: design.section_titles.expereince: no section has id 'expereince'")
        and "did you mean 'experience'?" in found[2]
    )


def test_command_line_orders_hides_and_renames(capsys, tmp_path: Path):
    path = write(tmp_path, CV)
    status, out, err = cli(
        capsys,
        "render",
        path,
        "--lang",
        "en",
        "-o",
        "-",
        "--order",
        "papers,skills-tools",
        "--hide",
        "skills-tools",
        "--rename",
        "experience=Work & Play",
    )
    assert status == 0, err
    assert sections(out) == ["Publications", "Work \\& Play"]


def test_command_line_renames_add_to_the_profiles(capsys, tmp_path: Path):
    path = write(tmp_path, CV + "design: {section_titles: {papers: Papers}}\n")
    status, out, err = cli(capsys, "render", path, "--lang", "en", "-o", "-", "--rename", "experience=Work")
    assert sections(out) == ["Work", "Papers", "Skills \\& Tools"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--hide", "skill-tools"], "command line: design.hidden_sections[0]: no section has id 'skill-tools'"),
        (["--order", "papers,experiense"], "command line: design.section_order[1]: no section has id 'experiense'"),
        (["--rename", "paper=X"], "command line: design.section_titles.paper: no section has id 'paper'"),
    ],
)
def test_unknown_ids_on_the_command_line(capsys, tmp_path: Path, argv: list, message: str):
    status, out, err = cli(capsys, "render", write(tmp_path, CV), "-o", "-", "--lang", "en", *argv)
    assert status == 1 and message in err and "did you mean" in err and out == "" and "Traceback" not in err


def test_rename_needs_id_and_title(capsys, tmp_path: Path):
    status, out, err = cli(capsys, "render", write(tmp_path, CV), "-o", "-", "--rename", "papers")
    assert status == 2 and "expected ID=TITLE" in err


# --- custom fields --------------------------------------------------------------------------------


def test_packaged_templates_ignore_custom_fields(tmp_path: Path):
    with_fields = CV.replace("  - title: Publications\n", "  - title: Publications\n    x_note: [1, true, {a: b}]\n")
    plain = "\n".join(line for line in CV.splitlines() if "x_funding" not in line) + "\n"
    for family in ("moderncv", "ats"):
        settings = Settings(design={"template": family})
        assert [d.tex for d in documents(write(tmp_path, with_fields, "a.yaml"), settings)] == [
            d.tex for d in documents(write(tmp_path, plain, "a.yaml"), settings)
        ]


def test_a_custom_template_prints_custom_fields(tmp_path: Path):
    path = write(tmp_path, "x_motto: Onward\n" + CV)
    experience = tmp_path / "templates" / "moderncv" / "entries" / "experience.tex.j2"
    experience.parent.mkdir(parents=True)
    experience.write_text(
        '((* include "default/moderncv/entries/experience.tex.j2" *))\n'
        "((* if entry.x_funding is defined *))\n"
        "\\cvitem{}{Funded by ((( entry.x_funding ))), ((( cv.x_motto ))).}\n"
        "((* endif *))\n",
        encoding="utf-8",
    )
    en, de = documents(path)
    assert "\\cvitem{}{Funded by the Babbage family, Onward.}" in en.tex
    assert "\\cvitem{}{Funded by Familie Babbage, Onward.}" in de.tex


def test_typos_in_known_keys_are_still_errors(tmp_path: Path):
    found = problems(
        tmp_path, CV.replace("      - title: Analyst\n", "      - title: Analyst\n        organisation: X\n")
    )
    assert len(found) == 1 and "organisation: unknown key in experience entry" in found[0]
    assert "custom fields start with x_" in found[0] and "did you mean 'organization'?" in found[0]


@pytest.mark.parametrize(
    "value, message",
    [
        ("~", "expected text, a number, true/false, or a list or mapping of these, got nothing"),
        ('""', "empty string"),
        ("{en: x}", "no translation for de"),
    ],
)
def test_custom_values_are_checked(tmp_path: Path, value: str, message: str):
    found = problems(
        tmp_path, CV.replace("  - title: Publications\n", f"  - title: Publications\n    x_bad: {{k: [{value}]}}\n")
    )
    assert len(found) == 1 and "sections[1].x_bad.k[0]" in found[0]
    assert message in found[0]


def test_custom_keys_are_only_for_profile_sections_and_entries(tmp_path: Path):
    found = problems(tmp_path, "name: Ada\ncontact: {x_fax: 1}\ndesign: {x_tone: calm}\n")
    assert [f.split(": ", 2)[1] for f in found] == ["contact.x_fax", "design.x_tone"]
