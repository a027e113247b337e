"""JSON Resume: `texcv import` into a profile that builds, `texcv export --format jsonresume` back,
and a round trip that loses nothing (src/texcv/export/jsonresume.py)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, pdf_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from texcv import schema
from texcv.cli import main
from texcv.export import jsonresume

DATA = ROOT / "tests" / "data"
FULL = DATA / "jsonresume-full.json"
EDGE = DATA / "jsonresume-edge.json"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"
)


def round_trip(source: Path, folder: Path, capsys: pytest.CaptureFixture) -> tuple[dict, str, str]:
    """JSON Resume → profile → JSON Resume through the command line: (document back, profile, import's stderr)."""
    profile = folder / "profile.yaml"
    assert main(["import", str(source), "-o", str(profile)]) == 0
    notes = capsys.readouterr().err
    assert main(["export", str(profile), "--format", "jsonresume", "-o", str(folder / "back.json")]) == 0
    return json.loads((folder / "back.json").read_text("utf-8")), profile.read_text("utf-8"), notes


def test_every_field_of_every_section_survives_a_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    original = json.loads(FULL.read_text("utf-8"))
    schema_sections = {"basics", *schema.JSON_RESUME_SECTIONS, "meta"}
    assert schema_sections <= set(original)  # the test document really uses every section
    back, _, _ = round_trip(FULL, tmp_path, capsys)
    assert back == original


def test_import_prints_what_it_can_and_reports_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, text, notes = round_trip(FULL, tmp_path, capsys)
    profile = yaml.safe_load(text)
    assert "#" not in text.split("\n", 1)[0] and not any(line.lstrip().startswith("#") for line in text.splitlines())
    assert list(profile)[:2] == ["name", "headline"] and list(profile)[-2:] == ["sections", "jsonresume"]
    sections = {s["jsonresume"]: s for s in profile["sections"]}
    assert [s["title"] for s in profile["sections"]] == [
        "Experience",
        "Volunteering",
        "Education",
        "Awards",
        "Certificates",
        "Publications",
        "Skills",
        "Languages",
        "Interests",
        "References",
        "Projects",
    ]
    staff = sections["work"]["entries"][0]
    assert staff["title"] == "Staff SRE" and staff["organization"] == "Example Cloud Ltd" and staff["end"] == "present"
    assert staff["bullets"] == ["Cut paging alerts by 70%", "Designed the 99.99% SLO programme"]
    assert "jsonresume" not in staff  # printed exactly: nothing kept twice
    assert sections["education"]["entries"][0]["degree"] == "MSc"
    assert sections["education"]["entries"][0]["area"] == "Computer Science"
    assert sections["skills"]["entries"][0] == {
        "label": "Operations",
        "text": "Expert — Kubernetes, Terraform, Prometheus",
    }
    assert sections["publications"]["entries"][0]["kind"] == "publication"
    assert sections["projects"]["entries"][0]["jsonresume"] == {
        "keywords": ["Go", "static analysis"],
        "type": "application",
    }
    assert profile["jsonresume"]["meta"]["version"] == "v1.0.0"
    assert profile["social"]["mastodon"] == "https://hachyderm.io/@grace"  # shown as @grace@hachyderm.io
    # each value not printed is named with its JSON path and value; printed ones (location parts, **large**) are not
    for unshown in (
        'projects[0].keywords = ["Go", "static analysis"] is not shown',
        'projects[0].type = "application" is not shown',
        'basics.image = "https://example.org/grace.jpg" is not shown',
    ):
        assert unshown in notes, unshown
    assert "basics.location" not in notes and "basics.summary" not in notes and "approximately" not in notes


def test_odd_documents_survive_too(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "face.png").write_bytes(PNG)
    back, text, notes = round_trip(EDGE, tmp_path, capsys)
    assert back == json.loads(EDGE.read_text("utf-8"))
    profile = yaml.safe_load(text)
    assert profile["photo"] == "face.png" and profile["headline"] == "Padded label"
    assert profile["jsonresume"]["certificates"] == "not a list"
    work = profile["sections"][0]["entries"]
    assert work[0] == {"title": "Freelance only", "jsonresume": {"name": "Freelance only", "position": None}}
    assert "start" not in work[1]  # end before start: the dates are kept, not printed
    for unshown in (
        'x-custom = {"anything": [1, 2.5, true, "text"]} is not shown',
        'certificates = "not a list" is not shown',
        'work[2].url = "example.org/no-scheme" is not shown',
        'work[3].endDate = "2017-13" is not shown',
        "education[1].score = 5.5 is not shown",
        'interests = [{"name": "Go", "keywords": []}, 42] is not shown',
    ):
        assert unshown in notes, unshown
    assert "volunteer" not in notes and "work[0]" not in notes  # nothing to show; the name printed as the title


def test_imported_profiles_match_the_json_schema(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import jsonschema

    from texcv import schema

    for source in (FULL, EDGE):
        (tmp_path / "face.png").write_bytes(PNG)
        assert main(["import", str(source), "-o", str(tmp_path / "profile.yaml"), "--force"]) == 0
        jsonschema.validate(yaml.safe_load((tmp_path / "profile.yaml").read_text("utf-8")), schema.json_schema())


def test_the_format_knows_every_section() -> None:
    from texcv import schema

    assert tuple(jsonresume.SECTIONS) == schema.JSON_RESUME_SECTIONS


def test_null_is_absent(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = tmp_path / "r.json"
    source.write_text(
        json.dumps(
            {"basics": {"name": "Ada Lovelace", "url": None}, "work": [{"position": "Analyst", "endDate": None}]}
        )
    )
    back, _, _ = round_trip(source, tmp_path, capsys)
    assert back == {"basics": {"name": "Ada Lovelace"}, "work": [{"position": "Analyst"}]}


@pytest.mark.tex
def test_imported_profile_builds(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    round_trip(FULL, tmp_path, capsys)
    assert main(["build", str(tmp_path / "profile.yaml"), "-o", str(tmp_path / "out")]) == 0
    text = pdf_text(tmp_path / "out" / "profile.pdf")
    for printed in (
        "Grace Okonkwo",
        "Staff SRE",
        "Code Club",
        "MSc in Computer Science",
        "Engineer of the Year",
        "Certified Kubernetes Administrator",
        "Boring Storage at Scale",
        "Expert — Kubernetes",
        "Igbo",
        "bouldering, alpine routes",
        "calmest",
        "fsync-audit",
        "Author, Maintainer",
    ):
        assert printed in text, printed


def test_export_of_a_texcv_profile(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A profile not made by import: sections placed by title and entry kind, losses reported."""
    assert main(["export", str(ROOT / "profiles" / "example.yaml"), "-f", "jsonresume", "--lang", "en", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    resume = json.loads(out)
    assert resume["basics"]["name"] == "Ada María Ferreira-Łukasik" and resume["basics"]["image"] == "example-photo.png"
    assert resume["basics"]["profiles"][0] == {
        "network": "GitHub",
        "username": "ada_ferreira",
        "url": "https://github.com/ada_ferreira",
    }
    assert [w["position"] for w in resume["work"]] == ["Senior Research Engineer", "Software Engineer Intern"]
    assert "endDate" not in resume["work"][0] and resume["work"][0]["startDate"] == "2021-03"  # ongoing
    assert resume["education"][0] == {
        "studyType": "Ph.D.",
        "area": "Computer Science",
        "institution": "Technische Universität Example",
        "score": "summa cum laude",
        "startDate": "2016-10",
        "endDate": "2021-02",
    }
    assert len(resume["publications"]) == 3 and resume["awards"][0] == {
        "title": "PLDI Distinguished Paper Award",
        "date": "2023",
    }
    assert resume["skills"][0]["name"] == "Languages" and resume["interests"][0]["name"].startswith("Open-source")
    assert "JSON Resume's education has no place for description, location" in err
    assert (
        "publications has no place for authors, links after the first, note" in err
        and "'About this CV' has no JSON Resume counterpart" in err
    )


def test_import_refusals(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"basics": {"name": "Ada",}}')
    assert main(["import", str(broken), "-o", str(tmp_path / "p.yaml")]) == 1
    assert "broken.json:1:27: not valid JSON" in capsys.readouterr().err
    array = tmp_path / "array.json"
    array.write_text("[]")
    assert main(["import", str(array), "-o", str(tmp_path / "p.yaml")]) == 1
    assert "is a JSON object" in capsys.readouterr().err
    (tmp_path / "p.yaml").write_text("name: Kept\n")
    assert main(["import", str(FULL), "-o", str(tmp_path / "p.yaml")]) == 1
    assert "use --force" in capsys.readouterr().err and (tmp_path / "p.yaml").read_text() == "name: Kept\n"
    assert main(["import", str(tmp_path / "missing.json")]) == 1


# --- any document -------------------------------------------------------------------------------

_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " *_`[]()<>#\\,.-—\n吴侃", max_size=30)
_DATE = st.one_of(
    st.sampled_from(["2019", "2019-05", "2019-05-31", "2018-02-30", "2019-13", "Spring 2016", "", "present"]), _TEXT
)
_URL = st.one_of(st.sampled_from(["https://example.org/a_b", "http://x.example.com", "ftp://no", "example.org"]), _TEXT)
_WORDS = st.lists(_TEXT, max_size=3)
_FIELDS = {
    "work": {
        "name": _TEXT,
        "location": _TEXT,
        "description": _TEXT,
        "position": _TEXT,
        "url": _URL,
        "startDate": _DATE,
        "endDate": _DATE,
        "summary": _TEXT,
        "highlights": _WORDS,
    },
    "volunteer": {
        "organization": _TEXT,
        "position": _TEXT,
        "url": _URL,
        "startDate": _DATE,
        "endDate": _DATE,
        "summary": _TEXT,
        "highlights": _WORDS,
    },
    "education": {
        "institution": _TEXT,
        "url": _URL,
        "area": _TEXT,
        "studyType": _TEXT,
        "startDate": _DATE,
        "endDate": _DATE,
        "score": _TEXT,
        "courses": _WORDS,
    },
    "awards": {"title": _TEXT, "date": _DATE, "awarder": _TEXT, "summary": _TEXT},
    "certificates": {"name": _TEXT, "date": _DATE, "url": _URL, "issuer": _TEXT},
    "publications": {"name": _TEXT, "publisher": _TEXT, "releaseDate": _DATE, "url": _URL, "summary": _TEXT},
    "skills": {"name": _TEXT, "level": _TEXT, "keywords": _WORDS},
    "languages": {"language": _TEXT, "fluency": _TEXT},
    "interests": {"name": _TEXT, "keywords": _WORDS},
    "references": {"name": _TEXT, "reference": _TEXT},
    "projects": {
        "name": _TEXT,
        "description": _TEXT,
        "highlights": _WORDS,
        "keywords": _WORDS,
        "startDate": _DATE,
        "endDate": _DATE,
        "url": _URL,
        "roles": _WORDS,
        "entity": _TEXT,
        "type": _TEXT,
    },
}
_BASICS = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT,
        "label": _TEXT,
        "email": st.one_of(st.just("a@example.org"), _TEXT),
        "phone": _TEXT,
        "url": _URL,
        "summary": _TEXT,
        "location": st.fixed_dictionaries({}, optional={"address": _TEXT, "city": _TEXT, "region": _TEXT}),
        "profiles": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "network": st.sampled_from(["GitHub", "twitter", "Mastodon"]),
                    "username": _TEXT,
                    "url": _URL,
                },
            ),
            max_size=2,
        ),
    },
)
_RESUME = st.fixed_dictionaries(
    {},
    optional={
        "basics": _BASICS,
        **{key: st.lists(st.fixed_dictionaries({}, optional=fields), max_size=2) for key, fields in _FIELDS.items()},
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RESUME)
def test_any_document_survives_a_round_trip(resume: dict) -> None:
    # import_resume itself asserts that the profile it writes exports back to the document
    imported = jsonresume.import_resume(resume, Path("/nonexistent/profile.yaml"))
    assert imported.yaml


# --- real documents: old key names, long locations, edits, markup, the official schema ------------


def write_json(folder: Path, document: dict) -> Path:
    source = folder / "resume.json"
    source.write_text(json.dumps(document), "utf-8")
    return source


def test_old_key_names_are_read_as_the_current_ones(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Names JSON Resume's schema has since changed (company, website, picture, gpa, …) are still read."""
    (tmp_path / "me.png").write_bytes(PNG)
    old = {
        "basics": {"name": "Ada Lovelace", "website": "https://ada.example.org", "picture": "me.png"},
        "work": [
            {"company": "Analytical Engines Ltd", "position": "Analyst", "website": "https://ae.example.com"},
            {"company": "Old name", "name": "Current name", "position": "Both"},
        ],
        "education": [{"institution": "Home", "studyType": "BA", "area": "Mathematics", "gpa": "3.9"}],
        "certificates": [{"title": "Difference Engine Operator"}],
        "projects": [{"name": "Notes", "summary": "Note G", "tech": ["Bernoulli numbers"]}],
        "hobbies": [{"name": "Poetry", "keywords": ["metre"]}],
    }
    back, text, notes = round_trip(write_json(tmp_path, old), tmp_path, capsys)
    profile = yaml.safe_load(text)
    assert profile["contact"]["homepage"] == "https://ada.example.org" and profile["photo"] == "me.png"
    entries = {s["jsonresume"]: s["entries"] for s in profile["sections"]}
    assert entries["work"][0]["organization"] == "Analytical Engines Ltd"
    assert entries["work"][0]["links"][0]["url"] == "https://ae.example.com"
    assert entries["education"][0]["score"] == "3.9"
    assert entries["certificates"][0]["title"] == "Difference Engine Operator"
    assert entries["projects"][0]["description"] == "Note G"
    assert entries["interests"][0] == {"label": "Poetry", "text": "metre"}
    # export writes the current names; where both names were given, the old one is only kept
    assert back["basics"] == {"name": "Ada Lovelace", "url": "https://ada.example.org", "image": "me.png"}
    assert back["work"][0] == {"name": "Analytical Engines Ltd", "position": "Analyst", "url": "https://ae.example.com"}
    assert back["work"][1] == {"company": "Old name", "name": "Current name", "position": "Both"}
    assert back["education"][0]["score"] == "3.9" and back["projects"][0]["keywords"] == ["Bernoulli numbers"]
    assert back["interests"] == old["hobbies"] and "hobbies" not in back
    assert "work[].company is JSON Resume's old name for work[].name" in notes
    assert "basics.picture is JSON Resume's old name" in notes
    assert 'work[1].company = "Old name" is not shown' in notes


LONG_PLACE = {
    "address": "Flat 3, 42 Example Road",
    "postalCode": "N1 9GU",
    "city": "Islington",
    "region": "Greater London",
    "countryCode": "GB",
}


def import_location(folder: Path, place: dict, capsys: pytest.CaptureFixture) -> tuple[dict, str]:
    """(the profile, import's notes) for a document with only a name and this location."""
    source = write_json(folder, {"basics": {"name": "Ada Lovelace", "location": place}})
    _, text, notes = round_trip(source, folder, capsys)
    return yaml.safe_load(text), notes


def test_a_long_location_is_wrapped_not_dropped(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert len("Flat 3, 42 Example Road, N1 9GU Islington, Greater London, GB") > 60  # longer than a header line
    profile, notes = import_location(tmp_path, LONG_PLACE, capsys)
    address = profile["contact"]["address"]
    assert address == ["Flat 3, 42 Example Road, N1 9GU Islington, Greater London", "GB"]
    assert "basics.location" not in notes
    assert main(["render", str(tmp_path / "profile.yaml"), "-o", str(tmp_path / "cv.tex")]) == 0
    tex = (tmp_path / "cv.tex").read_text("utf-8")
    for part in LONG_PLACE.values():
        assert part in tex, part


def test_a_location_too_long_for_three_lines_is_named(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    place = {"address": "\n".join(["A very long street name that goes on, and on"] * 4), "city": "Nowhere"}
    profile, notes = import_location(tmp_path, place, capsys)
    assert "contact" not in profile and 'basics.location = {"address": "A very long street' in notes


@pytest.mark.tex
def test_a_long_location_is_in_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import_location(tmp_path, LONG_PLACE, capsys)
    assert main(["build", str(tmp_path / "profile.yaml"), "-o", str(tmp_path / "out")]) == 0
    text = pdf_text(tmp_path / "out" / "profile.pdf")
    for part in LONG_PLACE.values():
        assert part in text, part


def test_export_writes_the_profile_as_edited(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Values kept at import come back only while their field is unchanged; an edited field wins."""
    round_trip(FULL, tmp_path, capsys)
    profile_file = tmp_path / "profile.yaml"
    profile = yaml.safe_load(profile_file.read_text("utf-8"))
    profile["contact"]["location"] = "Leeds, GB"  # was London, in parts: kept at import
    profile["summary"] = "Now in Leeds."  # was I keep **large** systems …: kept (markup)
    projects = next(s for s in profile["sections"] if s["jsonresume"] == "projects")["entries"]
    projects[0]["title"] = "fsync-audit 2"  # its keywords and type have no field: still kept
    profile_file.write_text(jsonresume.to_yaml(profile), "utf-8")
    assert main(["export", str(profile_file), "-f", "jsonresume", "-o", str(tmp_path / "edited.json")]) == 0
    edited = json.loads((tmp_path / "edited.json").read_text("utf-8"))
    original = json.loads(FULL.read_text("utf-8"))
    assert edited["basics"]["location"] == {"city": "Leeds, GB"} and edited["basics"]["summary"] == "Now in Leeds."
    assert edited["projects"][0] == {**original["projects"][0], "name": "fsync-audit 2"}
    assert edited["basics"]["image"] == original["basics"]["image"] and edited["meta"] == original["meta"]  # no field


def test_an_edited_nameless_item_keeps_its_name(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    round_trip(write_json(tmp_path, {"work": [{"name": "Freelance only", "location": "Anywhere"}]}), tmp_path, capsys)
    profile_file = tmp_path / "profile.yaml"
    profile = yaml.safe_load(profile_file.read_text("utf-8"))
    assert profile["sections"][0]["entries"][0]["title"] == "Freelance only"
    profile["sections"][0]["entries"][0]["title"] = "Consultant"
    profile_file.write_text(jsonresume.to_yaml(profile), "utf-8")
    assert main(["export", str(profile_file), "-f", "jsonresume", "-o", "-"]) == 0
    work = json.loads(capsys.readouterr().out)["work"]
    assert work == [{"name": "Freelance only", "position": "Consultant", "location": "Anywhere"}]


MARKED_UP = """\
name: Ada Lovelace
headline: Writes **first** programs
summary: |
  Notes on the [Analytical Engine](https://example.org/ae), with `Note G`.

  A *second* paragraph.
sections:
  - title: Experience
    entries:
      - title: Translator of **Menabrea**
        start: 1842-10
        end: 1843
        bullets:
          - Wrote `Note G`, the first [program](https://example.org/g)
"""


def test_markup_is_exported_as_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "cv.yaml").write_text(MARKED_UP, "utf-8")
    assert main(["export", str(tmp_path / "cv.yaml"), "-f", "jsonresume", "-o", "-"]) == 0
    resume = json.loads(capsys.readouterr().out)
    assert resume["basics"]["label"] == "Writes first programs"
    summary = "Notes on the Analytical Engine (https://example.org/ae), with Note G.\n\nA second paragraph."
    assert resume["basics"]["summary"] == summary
    assert resume["work"] == [
        {
            "position": "Translator of Menabrea",
            "startDate": "1842-10",
            "endDate": "1843",
            "highlights": ["Wrote Note G, the first program (https://example.org/g)"],
        }
    ]


INVALID = """\
name: Ada Lovelace
contact:
  homepage: https://例え.jp/ada
sections:
  - title: Experience
    entries:
      - title: Translator
        start: Autumn 1842
"""


def test_an_export_the_schema_refuses_is_flagged(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "cv.yaml").write_text(INVALID, "utf-8")
    assert main(["export", str(tmp_path / "cv.yaml"), "-f", "jsonresume", "-o", str(tmp_path / "cv.json")]) == 0
    err = capsys.readouterr().err
    assert 'basics.url = "https://例え.jp/ada" is not valid JSON Resume (the schema wants a URI' in err
    assert 'work[0].startDate = "Autumn 1842" is not valid JSON Resume (the schema wants a date: YYYY, YYYY-MM' in err
    assert "endDate" in err and "cv.json" in err  # a lone start is also the end; the file is still written


def test_the_schema_check_follows_the_official_rules() -> None:
    good = {
        "basics": {"email": "a@b", "url": "ftp://example.org", "profiles": [{"url": "mailto:a@b"}]},
        "work": [{"startDate": "2019", "endDate": "2019-13", "highlights": ["x"], "x-own": 1}],
        "meta": {},
    }
    assert jsonresume.schema_problems(good) == []  # the schema's pattern lets month 13 through; unknown keys are fine
    bad = {
        "basics": {"email": "no at sign", "profiles": [{"url": "github.com/ada"}]},
        "work": {},
        "skills": [{"keywords": "Go"}],
        "awards": [{"date": "05/2019"}],
    }
    paths = [p.split(" = ")[0] for p in jsonresume.schema_problems(bad)]
    assert paths == ["basics.email", "basics.profiles[0].url", "work", "awards[0].date", "skills[0].keywords"]
