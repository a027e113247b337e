"""JSON Resume: `texcv import` into a profile that builds, `texcv export --format jsonresume` back,
and a round trip that loses nothing (src/texcv/export/jsonresume.py)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, pdf_text
from texcv.cli import main
from texcv.export import jsonresume

DATA = ROOT / "tests" / "data"
FULL = DATA / "jsonresume-full.json"
EDGE = DATA / "jsonresume-edge.json"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082")


def round_trip(source: Path, folder: Path, capsys: pytest.CaptureFixture) -> tuple[dict, str, str]:
    """JSON Resume → profile → JSON Resume through the command line: (document back, profile, import's stderr)."""
    profile = folder / "profile.yaml"
    assert main(["import", str(source), "-o", str(profile)]) == 0
    notes = capsys.readouterr().err
    assert main(["export", str(profile), "--format", "jsonresume", "-o", str(folder / "back.json")]) == 0
    return json.loads((folder / "back.json").read_text("utf-8")), profile.read_text("utf-8"), notes


def test_every_field_of_every_section_survives_a_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    original = json.loads(FULL.read_text("utf-8"))
    schema_sections = {"basics", "work", "volunteer", "education", "awards", "certificates", "publications", "skills", "languages", "interests", "references", "projects", "meta"}
    assert schema_sections <= set(original)  # the test document really uses every section
    back, _, _ = round_trip(FULL, tmp_path, capsys)
    assert back == original


def test_import_prints_what_it_can_and_reports_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, text, notes = round_trip(FULL, tmp_path, capsys)
    profile = yaml.safe_load(text)
    assert "#" not in text.split("\n", 1)[0] and not any(line.lstrip().startswith("#") for line in text.splitlines())
    assert list(profile)[:2] == ["name", "headline"] and list(profile)[-2:] == ["sections", "jsonresume"]
    sections = {s["jsonresume"]: s for s in profile["sections"]}
    assert [s["title"] for s in profile["sections"]] == ["Experience", "Volunteering", "Education", "Awards", "Certificates", "Publications",
                                                         "Skills", "Languages", "Interests", "References", "Projects"]
    staff = sections["work"]["entries"][0]
    assert staff["title"] == "Staff SRE" and staff["organization"] == "Example Cloud Ltd" and staff["end"] == "present"
    assert staff["bullets"] == ["Cut paging alerts by 70%", "Designed the 99.99% SLO programme"]
    assert "jsonresume" not in staff  # printed exactly: nothing kept twice
    assert sections["education"]["entries"][0]["title"] == "MSc in Computer Science"
    assert sections["skills"]["entries"][0] == {"label": "Operations", "text": "Expert — Kubernetes, Terraform, Prometheus"}
    assert sections["publications"]["entries"][0]["kind"] == "publication"
    assert sections["projects"]["entries"][0]["jsonresume"] == {"keywords": ["Go", "static analysis"], "type": "application"}
    assert profile["jsonresume"]["meta"]["version"] == "v1.0.0"
    # each value not printed is named with its JSON path and value; printed ones (the location in parts, **large**) are not
    for unshown in ('projects[0].keywords = ["Go", "static analysis"] is not shown', 'projects[0].type = "application" is not shown',
                    'basics.image = "https://example.org/grace.jpg" is not shown', 'basics.profiles[2] = {"network": "Mastodon"'):
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
    for unshown in ('x-custom = {"anything": [1, 2.5, true, "text"]} is not shown', 'certificates = "not a list" is not shown',
                    'work[2].url = "example.org/no-scheme" is not shown', 'work[3].endDate = "2017-13" is not shown',
                    "education[1].score = 5.5 is not shown", 'interests = [{"name": "Go", "keywords": []}, 42] is not shown'):
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
    source.write_text(json.dumps({"basics": {"name": "Ada Lovelace", "url": None}, "work": [{"position": "Analyst", "endDate": None}]}))
    back, _, _ = round_trip(source, tmp_path, capsys)
    assert back == {"basics": {"name": "Ada Lovelace"}, "work": [{"position": "Analyst"}]}


@pytest.mark.tex
def test_imported_profile_builds(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    round_trip(FULL, tmp_path, capsys)
    assert main(["build", str(tmp_path / "profile.yaml"), "-o", str(tmp_path / "out")]) == 0
    text = pdf_text(tmp_path / "out" / "profile.pdf")
    for printed in ("Grace Okonkwo", "Staff SRE", "Code Club", "MSc in Computer Science", "Engineer of the Year", "Certified Kubernetes Administrator",
                    "Boring Storage at Scale", "Expert — Kubernetes", "Igbo", "bouldering, alpine routes", "calmest", "fsync-audit", "Author, Maintainer"):
        assert printed in text, printed


def test_export_of_a_texcv_profile(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A profile not made by import: sections placed by title and entry kind, losses reported."""
    assert main(["export", str(ROOT / "profiles" / "example.yaml"), "-f", "jsonresume", "--lang", "en", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    resume = json.loads(out)
    assert resume["basics"]["name"] == "Ada María Ferreira-Łukasik" and resume["basics"]["image"] == "example-photo.png"
    assert resume["basics"]["profiles"][0] == {"network": "GitHub", "username": "ada_ferreira", "url": "https://github.com/ada_ferreira"}
    assert [w["position"] for w in resume["work"]] == ["Senior Research Engineer", "Software Engineer Intern"]
    assert "endDate" not in resume["work"][0] and resume["work"][0]["startDate"] == "2021-03"  # ongoing
    assert resume["education"][0] == {"studyType": "Ph.D.", "area": "Computer Science", "institution": "Technische Universität Example",
                                      "score": "summa cum laude", "startDate": "2016-10", "endDate": "2021-02"}
    assert len(resume["publications"]) == 3 and resume["awards"][0] == {"title": "PLDI Distinguished Paper Award", "date": "2023"}
    assert resume["skills"][0]["name"] == "Languages" and resume["interests"][0]["name"].startswith("Open-source")
    assert "JSON Resume's education has no place for description, location" in err
    assert "publications has no place for authors, links after the first, note" in err and "'About this CV' has no JSON Resume counterpart" in err


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
_DATE = st.one_of(st.sampled_from(["2019", "2019-05", "2019-05-31", "2018-02-30", "2019-13", "Spring 2016", "", "present"]), _TEXT)
_URL = st.one_of(st.sampled_from(["https://example.org/a_b", "http://x.example.com", "ftp://no", "example.org"]), _TEXT)
_WORDS = st.lists(_TEXT, max_size=3)
_FIELDS = {
    "work": {"name": _TEXT, "location": _TEXT, "description": _TEXT, "position": _TEXT, "url": _URL, "startDate": _DATE, "endDate": _DATE, "summary": _TEXT, "highlights": _WORDS},
    "volunteer": {"organization": _TEXT, "position": _TEXT, "url": _URL, "startDate": _DATE, "endDate": _DATE, "summary": _TEXT, "highlights": _WORDS},
    "education": {"institution": _TEXT, "url": _URL, "area": _TEXT, "studyType": _TEXT, "startDate": _DATE, "endDate": _DATE, "score": _TEXT, "courses": _WORDS},
    "awards": {"title": _TEXT, "date": _DATE, "awarder": _TEXT, "summary": _TEXT},
    "certificates": {"name": _TEXT, "date": _DATE, "url": _URL, "issuer": _TEXT},
    "publications": {"name": _TEXT, "publisher": _TEXT, "releaseDate": _DATE, "url": _URL, "summary": _TEXT},
    "skills": {"name": _TEXT, "level": _TEXT, "keywords": _WORDS},
    "languages": {"language": _TEXT, "fluency": _TEXT},
    "interests": {"name": _TEXT, "keywords": _WORDS},
    "references": {"name": _TEXT, "reference": _TEXT},
    "projects": {"name": _TEXT, "description": _TEXT, "highlights": _WORDS, "keywords": _WORDS, "startDate": _DATE, "endDate": _DATE,
                 "url": _URL, "roles": _WORDS, "entity": _TEXT, "type": _TEXT},
}
_BASICS = st.fixed_dictionaries({}, optional={"name": _TEXT, "label": _TEXT, "email": st.one_of(st.just("a@example.org"), _TEXT), "phone": _TEXT, "url": _URL,
                                              "summary": _TEXT, "location": st.fixed_dictionaries({}, optional={"address": _TEXT, "city": _TEXT, "region": _TEXT}),
                                              "profiles": st.lists(st.fixed_dictionaries({}, optional={"network": st.sampled_from(["GitHub", "twitter", "Mastodon"]),
                                                                                                      "username": _TEXT, "url": _URL}), max_size=2)})
_RESUME = st.fixed_dictionaries({}, optional={"basics": _BASICS, **{key: st.lists(st.fixed_dictionaries({}, optional=fields), max_size=2) for key, fields in _FIELDS.items()}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RESUME)
def test_any_document_survives_a_round_trip(resume: dict) -> None:
    # import_resume itself asserts that the profile it writes exports back to the document
    imported = jsonresume.import_resume(resume, Path("/nonexistent/profile.yaml"))
    assert imported.yaml
