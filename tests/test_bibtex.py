"""Publications from BibTeX: the tolerant parser on a messy file, selection, sections fed by a .bib,
own-name highlighting, `texcv import PAPERS.bib`, and LaTeX in a .bib printed, never run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, pdf_text, piece

from texcv import bibtex, loader, localize, schema
from texcv.build import build, load_profile
from texcv.cli import main
from texcv.errors import TexError

DATA = ROOT / "tests" / "data" / "bib"
MESSY = DATA / "messy.bib"


def entries() -> dict[str, bibtex.BibEntry]:
    return {entry.key: entry for entry in bibtex.read(MESSY)}


def test_the_messy_file_is_read_whole_past_front_matter_comments_and_macros() -> None:
    found = entries()
    assert list(found) == [
        "milintsevich2020french",
        "dupont2019",
        "milintsevich2023thesis",
        "arxiv2022",
        "old2015",
        "undated",
    ]
    french = found["milintsevich2020french"]
    assert (french.type, french.line, french.column) == ("inproceedings", 8, 1)
    assert french.fields["booktitle"] == "Proceedings of the Annual Meeting of the {ACL} 2020"  # @string # "…"
    assert french.fields["month"] == "November"  # month = nov
    assert french.fields["google_scholar_id"] == "qjMakFHDy7sC"  # custom fields kept
    assert found["old2015"].fields["publisher"] == "LREC"  # @STRING( … ), used in lower case
    assert found["arxiv2022"].fields["archiveprefix"] == "arXiv"  # field names in any case


def test_entries_become_publications_with_decoded_text_venues_dates_and_links() -> None:
    found = entries()
    assert bibtex.publication(found["milintsevich2020french"]) == {
        "title": "Learning French Morphology with Gaël at 97.25% Accuracy",
        "authors": [r"Kirill Milintsevich\*", r"Gaël Dupont\*", "et al."],
        "venue": "Proceedings of the Annual Meeting of the ACL 2020",
        "date": "2020-11",
        "note": "Best paper award",
        "links": [
            {"label": "DOI", "url": "https://doi.org/10.18653/v1/2020.acl-main.1"},
            {"label": "Code", "url": "https://github.com/example/french-morph"},
        ],
    }
    dupont = bibtex.publication(found["dupont2019"])
    assert dupont["title"] == "Parsing at the Université de Tartu: it's BERT"  # {\'e}, {'}, {BERT}
    assert dupont["authors"] == ["K. Milintsevich", "Jean-Pierre Dupont"]
    assert (dupont["venue"], dupont["date"]) == ("Journal of NLP", "2019-03")
    assert dupont["links"] == [{"label": "URL", "url": "https://example.org/papers/dupont_2019.pdf"}]  # \_ in a URL
    assert bibtex.publication(found["milintsevich2023thesis"])["venue"] == "University of Tartu"  # school
    preprint = bibtex.publication(found["arxiv2022"])
    assert preprint["venue"] == "arXiv:2201.00001"
    assert preprint["links"] == [{"label": "arXiv", "url": "https://arxiv.org/abs/2201.00001"}]
    assert bibtex.publication(found["old2015"])["authors"] == ["John von Neumann, Jr", "Ada Lovelace"]
    assert "date" not in bibtex.publication(found["undated"])


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("@article{a, title = {open\n", "value not closed: '}' missing", (1, 21)),
        ("\n@article{a, title = nosuch}", "undefined @string macro 'nosuch'", (2, 21)),
        ("@article{a title = {x}}", "expected '}' to close entry 'a'", (1, 12)),
        ("@article{a, title}", "expected '=' after field 'title'", (1, 18)),
    ],
)
def test_a_broken_file_is_named_at_its_line_and_column(text: str, message: str, where: tuple[int, int]) -> None:
    with pytest.raises(bibtex.BibError) as caught:
        bibtex.parse(text)
    assert message in str(caught.value)
    assert (caught.value.line, caught.value.column) == where


def test_decoding_is_tolerant_of_what_latex_would_refuse() -> None:
    assert bibtex.decode("{" * 5000 + "deep" + "}" * 5000) == "deep"  # no RecursionError
    assert bibtex.decode(r"50\% and 20% and \& and {\o}") == "50% and 20% and & and ø"  # a bare % is a percent
    assert bibtex.decode(r"\unknown{arg}{two} and \write18{x}") == r"\unknown{arg}{two} and \write18{x}"


def test_selection_by_key_year_type_and_selected_field_sorted_and_limited() -> None:
    all_entries = bibtex.read(MESSY)

    def keys(**selection: object) -> list[str]:
        return [e.key for e in bibtex.select(all_entries, bibtex.Selection(**selection))]  # type: ignore[arg-type]

    assert keys() == [
        "milintsevich2023thesis",
        "arxiv2022",
        "milintsevich2020french",
        "dupont2019",
        "old2015",
        "undated",
    ]
    assert keys(sort="oldest")[:2] == ["old2015", "dupont2019"]
    assert keys(sort="file")[0] == "milintsevich2020french"
    assert keys(years=[(2019, 2020)]) == ["milintsevich2020french", "dupont2019"]
    assert keys(types=["article", "book"]) == ["dupont2019", "old2015"]
    assert keys(selected_field="selected") == ["milintsevich2020french"]  # arxiv2022 says false
    assert keys(keys=["old2015", "undated"]) == ["old2015", "undated"]
    assert keys(limit=2) == ["milintsevich2023thesis", "arxiv2022"]


def profile_with(tmp_path: Path, bib: object, extra: str = "") -> Path:
    shutil.copy(MESSY, tmp_path / "papers.bib")
    profile = tmp_path / "cv.yaml"
    section = {"title": "Publications", "bib": bib}
    profile.write_text(yaml.safe_dump({"name": "Kirill Milintsevich", "sections": [section]}) + extra, "utf-8")
    return profile


def test_a_section_from_a_bib_file_uses_its_selection(tmp_path: Path) -> None:
    bib = {"file": "papers.bib", "years": "2019-", "types": ["article", "inproceedings"], "selected": False}
    profile = load_profile(profile_with(tmp_path, bib))
    titles = [e["title"] for e in profile["sections"][0]["entries"]]
    assert titles == [
        "Learning French Morphology with Gaël at 97.25% Accuracy",
        "Parsing at the Université de Tartu: it's BERT",
    ]
    assert all(e["kind"] == "publication" for e in profile["sections"][0]["entries"])
    limited = load_profile(profile_with(tmp_path, {"file": "papers.bib", "selected": True, "limit": 1}))
    assert len(limited["sections"][0]["entries"]) == 1


@pytest.mark.parametrize(
    ("bib", "message"),
    [
        ("missing.bib", "BibTeX file not found"),
        ("../outside.bib", "is outside the profile's folder"),
        ({"file": "papers.bib", "keys": ["milintsevich2020frnch"]}, "no entry 'milintsevich2020frnch'"),
        ({"file": "papers.bib", "years": 1990}, "no entry of"),
        ({"file": "papers.bib", "years": "20-21"}, "is not a year or a span of years"),
        ({"file": "papers.bib", "years": ["2019", "2021-2018"]}, "'2021-2018': the span ends before it starts"),
        ({"file": "papers.bib", "selected": "not a field"}, "expected true, false, or the name of a .bib field"),
        ({"file": "papers.bib", "limit": 0}, "expected a whole number, 1 or more"),
        ({"file": "papers.bib", "sort": "newst"}, "did you mean 'newest'"),
    ],
)
def test_bad_bib_settings_are_reported_at_the_profile_line(tmp_path: Path, bib: object, message: str) -> None:
    folder = tmp_path / "cv"
    folder.mkdir()
    (tmp_path / "outside.bib").write_text("@misc{x, title={x}}", "utf-8")
    profile = profile_with(folder, bib)
    with pytest.raises(schema.ProfileError) as caught:
        load_profile(profile)
    assert message in str(caught.value)
    assert re.match(rf"{re.escape(str(profile))}:\d+:\d+: sections\[0\]\.bib", str(caught.value))


def test_a_file_outside_the_profile_folder_is_allowed_with_allow_dir(tmp_path: Path) -> None:
    folder = tmp_path / "cv"
    folder.mkdir()
    shutil.copy(MESSY, tmp_path / "outside.bib")
    profile = profile_with(folder, "../outside.bib")
    assert main(["validate", str(profile), "--allow-dir", str(tmp_path)]) == 0


def test_a_broken_bib_is_named_at_its_own_line_with_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    (tmp_path / "papers.bib").write_text("---\n---\n@article{a,\n  title = {x},\n  year = soon,\n}\n", "utf-8")
    assert main(["validate", str(profile)]) == 1
    assert f"{tmp_path / 'papers.bib'}:5:10: undefined @string macro 'soon'" in capsys.readouterr().err


def test_a_bib_in_latin_1_is_named_at_the_first_byte_that_is_not_utf_8(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    (tmp_path / "papers.bib").write_bytes("@misc{a,\n  title = {Universit\u00e9}}\n".encode("latin-1"))
    assert main(["validate", str(profile)]) == 1
    assert f"{tmp_path / 'papers.bib'}:2:21: not UTF-8 text (byte 0xE9)" in capsys.readouterr().err


def test_an_entry_without_a_title_is_named_at_its_line_in_the_bib(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    (tmp_path / "papers.bib").write_text("\n\n  @misc{notitle, author = {A. B}, year = 2020}\n", "utf-8")
    assert main(["validate", str(profile)]) == 1
    assert f"{tmp_path / 'papers.bib'}:3:3: @misc{{notitle}}: missing required key 'title'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "written",
    ["Kirill Milintsevich", "Milintsevich, Kirill", "K. Milintsevich", "Milintsevich K.", "Milintsevich, K.*"],
)
def test_the_owner_is_found_in_every_form_of_the_name(written: str) -> None:
    owner = localize._owner_names({"given": "Kirill", "family": "Milintsevich", "aliases": []})
    assert localize._name_key(written) in owner
    assert localize._name_key("Kirill Smith") not in owner
    assert localize._name_key("A. Milintsevich") not in owner
    ada = localize._owner_names({"given": "Ada Augusta", "family": "Lovelace", "aliases": []})
    assert {localize._name_key(n) for n in ("Lovelace, A. A.", "A. Lovelace", "Ada Augusta Lovelace")} <= ada


@pytest.mark.tex
def test_a_bib_section_builds_with_authors_venue_and_the_owner_highlighted(tmp_path: Path) -> None:
    (built,) = build(profile_with(tmp_path, "papers.bib"), tmp_path / "out")
    text = pdf_text(built.pdf)
    for printed in (
        "Learning French Morphology with Gaël at 97.25% Accuracy",
        "Kirill Milintsevich*, Gaël Dupont*, et al.",
        "Proceedings of the Annual Meeting of the ACL 2020",
        "John von Neumann, Jr, Ada Lovelace",
        "Parsing at the Université de Tartu: it’s BERT",
        "University of Tartu",
    ):
        assert printed in text
    tex = built.tex.read_text("utf-8")
    highlighted = re.findall(r"\\texcvowner\{\\texcvname\{([^}]*)\}\}", tex)  # the owner (bold by default)
    assert sorted(set(highlighted)) == ["K. Milintsevich", "Kirill Milintsevich", r"Kirill Milintsevich*"]
    assert highlighted.count("K. Milintsevich") == 2  # the article and the thesis ("Milintsevich, K.")


@pytest.mark.tex
def test_latex_in_a_bib_is_printed_as_written_never_run(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    (tmp_path / "papers.bib").write_text(
        "@misc{evil, title = {Leak \\input{/etc/passwd} and \\write18{rm -rf x} \\def\\x{y}"
        " 100% $x^2$ _under_ *star*},"
        " author = {Kirill Milintsevich}, year = 2021}\n",
        "utf-8",
    )
    (built,) = build(profile, tmp_path / "out")
    text = pdf_text(built.pdf)
    assert r"Leak \input{/etc/passwd} and \write18{rm -rf x} \def\x{y} 100% x^2 _under_ *star*" in text
    assert "root:" not in text


def test_import_bib_writes_a_profile_that_holds_what_a_bib_section_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    imported = tmp_path / "pubs.yaml"
    assert main(["import", str(MESSY), "--name", "Kirill Milintsevich", "-o", str(imported)]) == 0
    assert "next: `texcv build" in capsys.readouterr().err
    from_import = load_profile(imported)
    from_section = load_profile(profile_with(tmp_path, "papers.bib"))
    assert from_import["sections"][0]["entries"] == from_section["sections"][0]["entries"]
    assert from_import["name"]["family"] == "Milintsevich"


def test_import_bib_takes_the_most_frequent_author_as_the_name(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["import", str(MESSY), "--title", "Papers", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    written = yaml.safe_load(out)
    assert (written["name"], written["sections"][0]["title"]) == ("Kirill Milintsevich", "Papers")
    assert "the author of most entries" in err


def test_import_of_a_broken_bib_names_the_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a,\n  title = {x\n", "utf-8")
    assert main(["import", str(broken), "-o", str(tmp_path / "out.yaml")]) == 1
    assert f"{broken}:2:11: value not closed" in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()


def test_a_bib_section_is_in_the_json_schema() -> None:
    import jsonschema

    document = loader.load(DATA / "profile.yaml").data
    jsonschema.validate(document, schema.json_schema())
    document["sections"][0]["bib"]["years"] = "2019-2020 and more"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema.json_schema())


@pytest.mark.tex
def test_words_a_bib_entry_loses_from_the_pdf_are_named_at_the_entry(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    bib = tmp_path / "papers.bib"
    bib.write_text("@misc{hello,\n  title = {Greetings},\n  note = {Salutations},\n  year = 2021}\n", "utf-8")
    # A template that sets the note in a box it never prints: the PDF is whole, the note is not in it.
    piece(tmp_path / "templates", "moderncv/entries/publication.tex.j2", "\\cvitem{}{((( entry.title )))}"
          "\\setbox0\\hbox{((( entry.note )))}\n")  # fmt: skip
    with pytest.raises(TexError) as lost:
        build(profile, tmp_path / "out")
    assert str(lost.value).startswith(
        f"{bib}:1:1: @misc{{hello}}: 1 word(s) missing from the PDF's text: 'salutations'"
    )


def test_a_profile_without_a_bib_loads_neither_the_bib_reader_nor_latex2text() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from texcv.build import load_profile; load_profile('profiles/example.yaml');"
        "print(sorted(m for m in sys.modules if m.startswith(('texcv.bibtex', 'pylatexenc'))))"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_name_is_refused_for_a_json_resume(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    resume = ROOT / "tests" / "data" / "jsonresume-full.json"
    assert main(["import", str(resume), "--name", "Ada", "-o", str(tmp_path / "cv.yaml")]) == 2
    assert "--name and --section are for BibTeX files" in capsys.readouterr().err


def test_the_owner_is_found_in_scholar_dblp_and_anthology_exports(tmp_path: Path) -> None:
    shutil.copy(DATA / "exports.bib", tmp_path / "papers.bib")
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Wei Wen\nsections:\n  - title: Publications\n    bib: {file: papers.bib, sort: file}\n")
    (section,) = localize.view(load_profile(profile), "en")["sections"]
    owners = [[a["name"] for a in entry["authors"] if a["is_owner"]] for entry in section["entries"]]
    assert owners == [["Wei Wen"], ["Wei Wen"], ["W. Wen"]]
    autogrow = section["entries"][1]
    assert autogrow["venue"].startswith(
        "KDD '20: The 26th ACM SIGKDD Conference on Knowledge Discovery and Data Mining"
    )
    assert autogrow["links"] == [{"label": "DOI", "url": "https://doi.org/10.1145/3394486.3403126"}]  # url: the same
    assert (
        section["entries"][2]["title"]
        == "DeepHoyer: Learning Sparser Neural Network with Differentiable Scale-Invariant Sparsity Measures"
    )


def test_no_command_writes_over_the_bib_a_profile_reads(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = profile_with(tmp_path, "papers.bib")
    bib = tmp_path / "papers.bib"
    before = bib.read_bytes()
    (tmp_path / "link.bib").symlink_to(bib)
    for argv in (
        ["export", str(profile), "--format", "markdown", "-o", str(tmp_path / "link.bib")],
        ["import", str(bib), "-o", str(bib), "--force"],
    ):
        assert main(argv) == 1
        assert "texcv does not write over its inputs" in capsys.readouterr().err
    assert bib.read_bytes() == before


def test_watch_rebuilds_when_the_bib_changes(tmp_path: Path) -> None:
    from texcv.build import Settings
    from texcv.watch import inputs

    profile = profile_with(tmp_path, "papers.bib")
    assert (tmp_path / "papers.bib").resolve() in inputs(profile, Settings())


def test_import_bib_section_writes_a_section_to_paste_into_a_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", str(MESSY), "--section", "-o", str(tmp_path / "section.yaml")]) == 0
    assert "paste it under `sections:`" in capsys.readouterr().err
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Kirill Milintsevich\nsections:\n" + (tmp_path / "section.yaml").read_text("utf-8"))
    (section,) = load_profile(profile)["sections"]
    assert len(section["entries"]) == 6 and section["title"] == "Publications"
