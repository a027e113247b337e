"""The sidebar family: contact details and short sections beside the main column, and a text layer
that reads the sidebar whole, then the main column in the profile's order (pdftotext, as hiring
systems read it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PROFILES, cli, pdf_lines

from texcv.build import Settings, build, load_profile
from texcv.localize import view
from texcv.markup import plain

# Not the page count a profile asks of moderncv (xingyao-wang's one page): two columns take more room.
SIDEBAR = Settings(design={"template": "sidebar", "pages": None})


def _columns(cv: dict) -> tuple[list[str], list[str]]:
    """What the sidebar shows (contact details, short sections' titles) and the main column's titles."""
    contact = cv["contact"]
    details = ("address", "location", "phone", "email", "homepage", "links")
    heading = [cv["words"]["contact"]] if cv["social"] or any(contact[key] for key in details) else []
    side = [*heading, *(p["number"] for p in contact["phone"]), *contact["email"]]
    main = []
    for section in cv["sections"]:
        short = all(
            e["kind"] in ("item", "bullet") and len(e["text"]) + len(e.get("label") or "") <= 60
            for e in section["entries"]
        )
        (side if short else main).append(" ".join(plain(section["title"]).split()))
    return side, main


@pytest.mark.tex("xelatex")
@pytest.mark.parametrize("name", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_the_sidebar_reads_first_then_the_main_column_in_order(name: str, tmp_path: Path) -> None:
    profile = load_profile(PROFILES / name, SIDEBAR)
    for built in build(PROFILES / name, tmp_path, SIDEBAR):
        lang = built.pdf.stem.rpartition(".")[2] if len(profile["languages"]) > 1 else profile["languages"][0]
        side, main = _columns(view(profile, lang))
        lines = pdf_lines(built.pdf)  # each is a line of its own: a title may also be a word in others' text
        where = [lines.index(item) if item in lines else -1 for item in side + main]
        assert -1 not in where, [item for item, at in zip(side + main, where) if at < 0]
        assert where == sorted(where), list(zip(side + main, where))


def test_a_section_of_short_lines_goes_to_the_sidebar(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        "name: Ada\nsections:\n"
        "  - title: Languages\n    entries: [English, {label: French, text: fluent}]\n"
        "  - title: Awards\n    entries: [A bullet much longer than sixty characters goes to the main column]\n",
        encoding="utf-8",
    )
    status, tex, err = cli(capsys, "render", profile, "-o", "-", "--template", "sidebar")
    assert status == 0, err
    sidebar, main = tex.split("\\switchcolumn")
    assert "Languages" in sidebar and "\\textbf{French}" in sidebar and "Awards" not in sidebar
    assert "\\section*{Awards}" in main


@pytest.mark.tex
def test_an_entry_reads_title_then_place_and_dates_on_one_line(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    """The main column is too narrow for ats's one-line title row: the title stands alone, the organisation,
    place and dates follow on one line, each entry read whole (a date flush right would be read apart)."""
    profile = tmp_path / "cv.yaml"
    profile.write_text(
        "name: Ada\nsections:\n  - title: Experience\n    entries:\n"
        "      - {title: Analyst, organization: Engine project, location: London, start: 1842-01, end: 1843-06}\n"
        "      - {title: Translator, date: 1843}\n"
        "      - {title: Fellow, organization: Royal Society of London for Improving Natural Knowledge, "
        "location: London, start: 1850-01, end: 1852-12}\n"
        "  - title: Publications\n    entries:\n"
        "      - {title: Sketch of the Analytical Engine, authors: [Ada], date: 1843}\n",
        encoding="utf-8",
    )
    status, _, err = cli(capsys, "build", profile, "-o", tmp_path / "out", "--template", "sidebar")
    assert status == 0, err
    lines = [line for line in pdf_lines(tmp_path / "out" / "cv.pdf") if line]
    analyst = lines.index("Analyst")
    assert lines[analyst + 1 : analyst + 4] == ["Engine project, London · Jan. 1842 – Jun. 1843", "Translator", "1843"]
    assert "Sketch of the Analytical Engine · 1843" in lines
    # Where the line breaks at the dot, the dot goes with it: no line ends or starts with one.
    fellow = lines.index("Fellow")
    assert lines[fellow + 1 : fellow + 3] == [
        "Royal Society of London for Improving Natural Knowledge, London",
        "Jan. 1850 – Dec. 1852",
    ]


def test_no_contact_heading_without_contact_details(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\nsections: [{title: Languages, entries: [English]}]\n", encoding="utf-8")
    status, tex, err = cli(capsys, "render", profile, "-o", "-", "--template", "sidebar")
    assert status == 0, err
    assert "\\texcvsidehead{Contact}" not in tex and "\\texcvsidehead{Languages}" in tex
    profile.write_text("name: Ada\ncontact: {email: ada@example.org}\n", encoding="utf-8")
    assert "\\texcvsidehead{Contact}" in cli(capsys, "render", profile, "-o", "-", "--template", "sidebar")[1]
