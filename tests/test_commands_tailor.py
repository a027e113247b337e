"""Tailoring with tags: `--only TAG` and `--skip TAG` choose entries and sections."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import cli

from texcv.build import Settings, documents, load_profile

TAGGED = textwrap.dedent(
    """\
    name: Ada Lovelace
    sections:
      - title: Experience
        entries:
          - {title: Analyst, tags: [research]}
          - {title: Teacher, tags: [teaching]}
          - {title: Engineer, tags: [industry, research]}
          - {title: Volunteer}
      - title: Publications
        tags: [research]
        entries:
          - {title: Notes, authors: [Ada Lovelace]}
          - subsection: Drafts
            tags: [draft]
            entries: [{title: Draft A, authors: [Ada Lovelace]}]
      - title: Hobbies
        entries: [Poetry]
    """
)


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    path = tmp_path / "tagged.yaml"
    path.write_text(TAGGED, encoding="utf-8")
    return path


def titles(profile: dict) -> list[str]:
    def walk(items: list) -> list[str]:
        out = []
        for item in items:
            out.append(str(item.get("title") or item.get("subsection") or item.get("text")))
            out += walk(item.get("entries", []))
        return out

    return walk(profile["sections"])


@pytest.mark.parametrize(
    ("only", "skip", "expected"),
    [
        (
            (),
            (),
            [
                "Experience",
                "Analyst",
                "Teacher",
                "Engineer",
                "Volunteer",
                "Publications",
                "Notes",
                "Drafts",
                "Draft A",
                "Hobbies",
                "Poetry",
            ],
        ),
        # a section's tags are its entries' tags; sections and subsections left empty go
        (("research",), (), ["Experience", "Analyst", "Engineer", "Publications", "Notes", "Drafts", "Draft A"]),
        (("teaching", "industry"), (), ["Experience", "Teacher", "Engineer"]),
        ((), ("research",), ["Experience", "Teacher", "Volunteer", "Hobbies", "Poetry"]),
        (("research",), ("industry", "draft"), ["Experience", "Analyst", "Publications", "Notes"]),
        (("draft",), (), ["Publications", "Drafts", "Draft A"]),
    ],
)
def test_selection(tagged, only, skip, expected):
    assert titles(load_profile(tagged, Settings(only=only, skip=skip))) == expected


def test_command_line(capsys, tagged):
    status, tex, err = cli(capsys, "render", tagged, "-o", "-", "--only", "research", "--skip", "industry,draft")
    assert status == 0, err
    assert "Analyst" in tex and "Notes" in tex
    assert "Engineer" not in tex and "Teacher" not in tex and "Draft A" not in tex and "Hobbies" not in tex
    assert err == ""


@pytest.mark.parametrize("command", [["validate"], ["render", "-o", "-"], ["export", "-o", "-"]])
def test_unknown_tag_is_an_error_with_a_suggestion(capsys, tagged, command):
    status, out, err = cli(capsys, *command, tagged, "--only", "reserch", "--skip", "nothing-like-it,teaching")
    assert status == 1
    assert out == "", "no CV without the entries the tag was meant to choose"
    assert err.splitlines() == [
        f"texcv: error: --only reserch: no section, entry or letter in {tagged} has this tag; did you mean 'research'?",
        f"--skip nothing-like-it: no section, entry or letter in {tagged} has this tag",
    ]


def test_unknown_tag_stops_only_its_profile_in_a_batch(capsys, tagged, tmp_path):
    untagged = tmp_path / "untagged.yaml"
    untagged.write_text("name: B C\nsections: [{title: S, entries: [{title: T}]}]\n", encoding="utf-8")
    status, out, err = cli(capsys, "validate", untagged, tagged, "--only", "research")
    assert status == 1
    assert f"--only research: no section, entry or letter in {untagged} has this tag" in err and f"{tagged}: ok" in err


def test_everything_filtered_out_still_renders(tagged):
    (doc,) = documents(tagged, Settings(only=("research",), skip=("research",)))
    assert "\\section" not in doc.tex and "\\makecvtitle" in doc.tex


def test_tags_are_not_printed_and_do_not_choose_the_engine(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text("name: A B\nsections: [{title: S, entries: [{title: T, tags: [研究]}]}]\n", encoding="utf-8")
    (doc,) = documents(path)
    assert doc.choice.engine == "pdflatex"
    assert "研究" not in doc.tex
