"""Entries people expect (issue 14, part 4): numbered sections, nested bullets (one level), education
entries with degree, area and score, and the "last updated" footer — checked, viewed, exported and
typeset in every family."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from helpers import cli, pdf_text

from texcv import loader, localize, schema
from texcv.build import Settings, build
from texcv.errors import ProfileError
from texcv.export import jsonresume
from texcv.export.prose import Markdown, PlainText, write

PROFILE = """\
    name: Ada Lovelace
    design:
      last_updated: 2026-11-03
    sections:
      - title: Education
        entries:
          - {degree: Ph.D., area: Computer Science, organization: MIT, start: 2015, end: 2020, score: "3.9"}
          - {degree: B.Sc., organization: Cambridge, date: 2014, score: First-class honours}
      - title: Experience
        entries:
          - title: Engineer
            organization: Analytical Engines
            start: 2020-01
            bullets:
              - Wrote the first program
              - text: Led the loom project
                bullets: [Designed punch cards, Hired three weavers]
      - title: Publications
        numbering: descending
        entries:
          - subsection: Journal
            entries:
              - {title: Notes on the engine, authors: [Ada Lovelace], venue: Journal A, date: 2023}
              - {title: Second note, authors: [Ada Lovelace], date: 2021}
          - subsection: Talks
            entries:
              - {title: A talk, authors: [Ada Lovelace], date: 2019}
      - title: Interests
        numbering: ascending
        entries:
          - Chess
          - {text: Music, bullets: [Piano, Harp]}
    """


def write_profile(tmp_path: Path, text: str = PROFILE) -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def validated(tmp_path: Path, text: str = PROFILE) -> dict:
    return schema.validate(loader.load(write_profile(tmp_path, text)))


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ProfileError) as info:
        validated(tmp_path, text)
    return sorted(str(p).replace(f"{tmp_path}/", "") for p in info.value.problems)


def titles(cv: dict, section: int) -> list[tuple[int | None, str]]:
    entries = cv["sections"][section]["entries"]
    flat = [e for entry in entries for e in (entry["entries"] if entry["kind"] == "subsection" else [entry])]
    return [(e["number"], e.get("title") or e.get("text")) for e in flat]


# --- checking ------------------------------------------------------------------------------------


def test_bullets_nest_one_level_only(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: Ada
        sections:
          - title: Work
            entries:
              - title: Engineer
                bullets:
                  - text: Led X
                    bullets:
                      - {text: too deep, bullets: [deeper]}
        """,
    )
    assert found == [
        "cv.yaml:9:17: sections[0].entries[0].bullets[0].bullets[0]: bullets nest one level deep:"
        " a sub-bullet is text, without bullets of its own"
    ]


def test_numbering_education_and_last_updated_values_are_checked(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: Ada
        design: {last_updated: soon}
        sections:
          - title: Papers
            numbering: upward
            entries:
              - {area: Physics, score: "3.9"}
        """,
    )
    assert len(found) == 3, found
    assert found[0].startswith("cv.yaml:2:10: design.last_updated: 'soon' is not true, false, or a date")
    assert found[1].startswith("cv.yaml:5:5: sections[0].numbering: unknown numbering 'upward'")
    assert found[2].startswith("cv.yaml:7:9: sections[0].entries[0]: cannot tell what kind of entry this is")
    assert "`degree` (education)" in found[2]


def test_an_education_entry_needs_its_degree(tmp_path: Path) -> None:
    found = problems(tmp_path, "name: Ada\nsections: [{title: E, entries: [{kind: education, area: Physics}]}]\n")
    assert found == ["cv.yaml:2:33: sections[0].entries[0]: missing required key 'degree' in education entry"]


def test_a_bad_value_exits_1_with_its_location(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = write_profile(tmp_path, "name: Ada\nsections: [{title: E, numbering: 3, entries: [x]}]\n")
    status, _, err = cli(capsys, "validate", path)
    assert status == 1 and "cv.yaml:2:23: sections[0].numbering: unknown numbering 3" in err and "Traceback" not in err


def test_the_schema_describes_the_new_keys() -> None:
    defs = schema.json_schema()["$defs"]
    assert set(defs["education_entry"]["properties"]) >= {"degree", "area", "score", "organization", "bullets"}
    assert defs["section"]["properties"]["numbering"]["enum"] == ["ascending", "descending", None]
    assert "last_updated" in defs["design"]["properties"]
    assert "sub-bullet" in json.dumps(defs["experience_entry"]["properties"]["bullets"])


# --- the view ------------------------------------------------------------------------------------


def test_numbers_count_across_subsections_down_or_up(tmp_path: Path) -> None:
    cv = localize.view(validated(tmp_path), "en")
    assert titles(cv, 2) == [(3, "Notes on the engine"), (2, "Second note"), (1, "A talk")]
    assert titles(cv, 3) == [(1, "Chess"), (2, "Music")]
    assert titles(cv, 1) == [(None, "Engineer")]  # a section without `numbering`


def test_entries_of_another_language_are_not_counted(tmp_path: Path) -> None:
    text = """\
        languages: [en, de]
        name: Ada
        sections:
          - title: Talks
            numbering: descending
            entries: [{text: Only German, lang: de}, First, Second]
        """
    assert titles(localize.view(validated(tmp_path, text), "en"), 0) == [(2, "First"), (1, "Second")]
    assert titles(localize.view(validated(tmp_path, text), "de"), 0)[0] == (3, "Only German")


def test_bullets_with_and_without_sub_bullets(tmp_path: Path) -> None:
    cv = localize.view(validated(tmp_path), "en")
    assert cv["sections"][1]["entries"][0]["bullets"] == [
        {"text": "Wrote the first program", "bullets": []},
        {"text": "Led the loom project", "bullets": ["Designed punch cards", "Hired three weavers"]},
    ]
    assert cv["sections"][3]["entries"][1]["bullets"] == ["Piano", "Harp"]


@pytest.mark.parametrize(
    "lang, title, note",
    [("en", "Ph.D. in Computer Science", "GPA 3.9"), ("de", "Ph.D. in Computer Science", "Note 3.9")],
)
def test_education_prints_degree_in_area_and_the_score(tmp_path: Path, lang: str, title: str, note: str) -> None:
    cv = localize.view(validated(tmp_path, PROFILE.replace("name: Ada", f"languages: {lang}\n    name: Ada")), lang)
    phd, bsc = cv["sections"][0]["entries"]
    assert (phd["title"], phd["note"]) == (title, note)
    assert (bsc["title"], bsc["note"]) == ("B.Sc.", "First-class honours")  # no area; a score in words as written


def test_last_updated_true_takes_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18 UTC
    profile = validated(tmp_path, PROFILE.replace("last_updated: 2026-11-03", "last_updated: true"))
    assert localize.view(profile, "en")["last_updated"] == "Last updated: Nov. 2026"
    assert localize.view(profile, "zh")["last_updated"] == "最后更新：2026.11"


def test_last_updated_is_off_unless_asked(tmp_path: Path) -> None:
    profile = validated(tmp_path, PROFILE.replace("last_updated: 2026-11-03", "last_updated: false"))
    assert localize.view(profile, "en")["last_updated"] is None


# --- exports -------------------------------------------------------------------------------------


def test_markdown_and_text_show_numbers_sub_bullets_and_the_footer(tmp_path: Path) -> None:
    cv = localize.view(validated(tmp_path), "en")
    markdown = write(cv, Markdown())
    assert "- \\[3\\] **Notes on the engine** (2023)" in markdown
    assert "- Led the loom project\n  - Designed punch cards\n  - Hired three weavers\n" in markdown
    assert "### Ph.D. in Computer Science, MIT\n\n2015 – 2020 · GPA 3.9" in markdown
    assert markdown.endswith("*Last updated: Nov. 2026*\n")
    text = write(localize.view(validated(tmp_path), "en"), PlainText())
    assert "- [1] Chess\n- [2] Music\n  - Piano\n  - Harp" in text


def test_json_resume_education_keys_and_flat_highlights(tmp_path: Path) -> None:
    notes: list[str] = []
    resume = jsonresume.export(validated(tmp_path), "en", notes)
    assert resume["education"][0] == {
        "studyType": "Ph.D.",
        "area": "Computer Science",
        "institution": "MIT",
        "score": "3.9",
        "startDate": "2015",
        "endDate": "2020",
    }
    assert resume["work"][0]["highlights"][1] == "Led the loom project; Designed punch cards; Hired three weavers"
    assert any("sub-bullets (each joined to its bullet)" in note for note in notes)
    imported = yaml.safe_load(jsonresume.import_resume({"education": resume["education"]}, tmp_path / "b.yaml").yaml)
    assert imported["sections"][0]["entries"][0] == {
        "degree": "Ph.D.",
        "area": "Computer Science",
        "organization": "MIT",
        "start": "2015",
        "end": "2020",
        "score": "3.9",
    }


def test_an_experience_entry_in_education_still_exports_degree_and_area(tmp_path: Path) -> None:
    written = "name: Ada\nsections: [{title: Education, entries: [{title: BA in Art, organization: Home, note: A}]}]\n"
    resume = jsonresume.export(validated(tmp_path, written), "en")
    assert resume["education"] == [{"studyType": "BA", "area": "Art", "institution": "Home", "score": "A"}]


# --- typeset -------------------------------------------------------------------------------------


@pytest.mark.tex
@pytest.mark.parametrize("family", ["moderncv", "ats", "sidebar"])
def test_every_family_prints_them(tmp_path: Path, family: str) -> None:
    (built,) = build(write_profile(tmp_path), tmp_path / "out", Settings(design={"template": family}))
    text = pdf_text(built.pdf).replace("• ", "").replace("– ", "")  # list symbols, as ats and sidebar print them
    for printed in (
        "Ph.D. in Computer Science",
        "GPA 3.9",
        "Engineer",
        "Led the loom project Designed punch cards Hired three weavers",
        "[3] Notes on the engine",
        "[1] A talk",
        "[1] Chess",
        "[2] Music Piano Harp",
    ):
        assert printed in text, (printed, text)
    assert text.endswith("Last updated: Nov. 2026")
