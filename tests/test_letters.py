"""Cover letters (letters.py): in a profile or in a letter file naming one, built in the CV's design
beside the CV, one per language, chosen by tags, with the guarantees CVs have (escaping, the text
layer, located errors, no overwritten input)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from helpers import LOCATED, ROOT, cli, pdf_text

from texcv.build import Settings, build, documents
from texcv.errors import TexError
from texcv.schema import json_schema

PROFILE = """\
name: Ada Lovelace
headline: Analyst of engines
contact:
  email: ada@example.org
  address: [12 St James's Square, London]
sections:
  - title: Experience
    entries:
      - {title: Analyst, organization: Analytical Engine, start: 1842, end: 1843}
"""

LETTER = """\
recipient:
  name: Ms Grace Hopper
  organization: Acme Computing Ltd
  address: [1 Harbour Road, Boston]
date: 2026-11-25
subject: Application for the analyst position
opening: Dear Ms Hopper,
body:
  - I write to apply for the **analyst** position advertised on your website.
  - My notes on the Engine show what such machines can do beyond calculation.
closing: Yours sincerely,
enclosures: [Curriculum vitae, Notes on the Engine]
"""
LETTER_WORDS = [
    "Ms Grace Hopper",
    "Acme Computing Ltd",
    "1 Harbour Road",
    "Application for the analyst position",
    "Dear Ms Hopper,",
    "I write to apply for the analyst position advertised on your website.",
    "beyond calculation.",
    "Yours sincerely,",
    "Curriculum vitae, Notes on the Engine",
]


def _indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


def _profile(folder: Path, letters: str = "letters:\n  acme:\n" + _indented(LETTER, 4), name: str = "ada") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(PROFILE + letters, encoding="utf-8")
    return path


@pytest.mark.tex
@pytest.mark.parametrize("style", ["classic", "banking"])
def test_a_letter_in_the_profile_is_built_beside_the_cv_in_its_style(tmp_path: Path, style: str) -> None:
    built = build(_profile(tmp_path), tmp_path / "build", Settings(design={"style": style, "color": "red"}))
    assert [b.pdf.name for b in built] == ["ada.pdf", "ada.letter-acme.pdf"]
    letter = built[1]
    assert letter.words_checked > 40  # the text-layer check ran on the letter
    text = pdf_text(letter.pdf)
    for words in [*LETTER_WORDS, "Ada Lovelace", "ada@example.org", "Nov. 25, 2026", "Enclosures:"]:
        assert words in text
    assert "Analyst of engines" not in text  # the letter head has no headline
    tex = letter.tex.read_text()
    assert r"\moderncvstyle{" + style + "}" in tex and r"\moderncvcolor{red}" in tex
    assert r"\makelettertitle" in tex and r"\makeletterclosing" in tex


@pytest.mark.tex
@pytest.mark.parametrize("family", ["ats", "sidebar"])
def test_a_plain_letter_is_in_reading_order(tmp_path: Path, family: str) -> None:
    (built,) = [
        b for b in build(_profile(tmp_path), tmp_path, Settings(design={"template": family})) if "letter" in b.pdf.name
    ]
    text = pdf_text(built.pdf)
    order = ["Ada Lovelace", "Ms Grace Hopper", "Boston", "Nov. 25, 2026", "Application", "Dear", "write", "sincerely"]
    assert [text.index(words) for words in order] == sorted(text.index(words) for words in order)
    assert "Enclosures: Curriculum vitae" in text
    assert "moderncv" not in built.tex.read_text()


@pytest.mark.tex
def test_a_letter_file_builds_its_letter_beside_the_cv_of_the_profile_it_names(tmp_path: Path) -> None:
    _profile(tmp_path, letters="")
    letter = tmp_path / "acme.yaml"
    letter.write_text("profile: ada.yaml\n" + LETTER, encoding="utf-8")
    (built,) = build(letter, tmp_path / "build")
    assert built.pdf == tmp_path / "build" / "ada.letter-acme.pdf"
    text = pdf_text(built.pdf)
    assert all(words in text for words in [*LETTER_WORDS, "Ada Lovelace", "ada@example.org"])


def test_a_multilingual_profile_gives_one_letter_per_language_and_lang_keeps_one(tmp_path: Path) -> None:
    profile = tmp_path / "ml.yaml"
    profile.write_text(
        "languages: [en, de]\nname: Ada Lovelace\nletters:\n"
        "  - id: acme\n    body: {en: I would like to join Acme., de: Ich möchte bei Acme arbeiten.}\n"
        "  - id: only-de\n    lang: de\n    date: 2026-11-25\n    body: Nur auf Deutsch.\n",
        encoding="utf-8",
    )
    docs = {doc.stem: doc for doc in documents(profile)}
    assert list(docs) == ["ml.en", "ml.de", "ml.letter-acme.en", "ml.letter-acme.de", "ml.letter-only-de.de"]
    assert "I would like to join Acme." in docs["ml.letter-acme.en"].tex
    assert "Ich möchte bei Acme arbeiten." in docs["ml.letter-acme.de"].tex
    assert "Dear Sir or Madam," in docs["ml.letter-acme.en"].tex  # the language's own opening and closing
    assert "Sehr geehrte Damen und Herren," in docs["ml.letter-acme.de"].tex
    assert "Mit freundlichen Grüßen" in docs["ml.letter-only-de.de"].tex
    assert "25. Nov. 2026" in docs["ml.letter-only-de.de"].tex


def test_tags_choose_letters_as_they_choose_entries(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        letters="letters:\n  - {id: acme, tags: [acme], body: For Acme.}\n  - {id: other, body: For the others.}\n",
    )

    def stems(**tags: tuple[str, ...]) -> list[str]:
        return [doc.stem for doc in documents(profile, Settings(**tags))]

    assert stems() == ["ada", "ada.letter-acme", "ada.letter-other"]
    assert stems(only=("acme",)) == ["ada", "ada.letter-acme"]
    assert stems(skip=("acme",)) == ["ada", "ada.letter-other"]


HOSTILE = r"\input{/etc/passwd} $x^2$ 100% & #1 ~ {unbalanced }} \def\x{y} ^^5c \newline \par"


@pytest.mark.tex
def test_hostile_strings_in_every_letter_field_are_printed_as_typed(tmp_path: Path) -> None:
    fields = (
        "recipient:\n  name: {0}\n  organization: {0}\n  address: [{0}]\ndate: {0}\nsubject: {0}\n"
        "opening: {0}\nbody: [{0}, {0}]\nclosing: {0}\nenclosures: [{0}]\n"
    )
    quoted = '"' + HOSTILE.replace("\\", "\\\\") + '"'
    profile = _profile(tmp_path, "letters:\n  acme:\n" + _indented(fields.format(quoted), 4))
    for template in ("moderncv", "ats", "sidebar"):
        built = build(profile, tmp_path / template, Settings(design={"template": template}))
        text = pdf_text(built[1].pdf)
        assert text.count(HOSTILE.replace("'", "’")) >= 9, text
        assert r"\input{/etc/passwd}" not in built[1].tex.read_text()


@pytest.mark.parametrize(
    "letter, expected",
    [
        (
            "  acme:\n    recipient: {nme: X}\n    body: Hi.\n",
            ("12", "17", "letters.acme.recipient.nme", "did you mean 'name'"),
        ),
        ("  acme:\n    subject: 5\n    body: Hi.\n", ("12", "5", "letters.acme.subject", "expected text")),
        ("  acme:\n    subject: Hi\n", ("11", "3", "letters.acme", "missing required key 'body'")),
        ("  - body: Hi.\n", ("11", "5", "letters[0]", "missing required key 'id'")),
        ("  - {id: a, body: x}\n  - {id: a, body: y}\n", ("12", "6", "letters[1].id", "already has id 'a'")),
        ("  acme:\n    id: other\n    body: x\n", ("12", "5", "letters.acme.id", "leave `id` out")),
    ],
)
def test_a_bad_letter_field_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture, letter: str, expected: tuple[str, ...]
) -> None:
    profile = _profile(tmp_path, "letters:\n" + letter)
    status, _, err = cli(capsys, "validate", profile)
    assert status == 1
    found = LOCATED.match(err.splitlines()[0])
    assert found is not None, err
    line, column, path, message = expected
    assert (found["line"], found["col"], found["path"]) == (line, column, path)
    assert message in found["message"]


def test_a_bad_field_of_a_letter_file_is_located_in_the_letter_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    _profile(tmp_path, letters="")
    letter = tmp_path / "acme.yaml"
    letter.write_text("profile: ada.yaml\nbody: Hi.\ndate: 2026-13-01\n", encoding="utf-8")
    status, _, err = cli(capsys, "build", letter, "-o", tmp_path / "build")
    assert (status, err.strip()) == (
        1,
        f"texcv: error: {letter}:3:1: date: month 13 in '2026-13-01' is not between 1 and 12",
    )
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(
    "profile_line, message",
    [
        ("profile: missing.yaml", "missing.yaml: no such file"),
        ("profile: ../outside.yaml", "acme.yaml:1:1: profile: the profile"),
        ("profile: 5", "acme.yaml:1:1: profile: expected the path of the letter's profile"),
    ],
)
def test_a_letter_file_names_a_readable_profile_in_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture, profile_line: str, message: str
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    _profile(tmp_path, letters="", name="outside")
    letter = folder / "acme.yaml"
    letter.write_text(f"{profile_line}\nbody: Hi.\n", encoding="utf-8")
    status, _, err = cli(capsys, "validate", letter)
    assert status == 1 and message in err, err


def _hide_subject(tmp_path: Path) -> None:
    """A letter template beside the profile that prints the subject where no text is extracted."""
    packaged = (ROOT / "templates" / "moderncv" / "letter.tex.j2").read_text(encoding="utf-8")
    hidden = packaged.replace(r"\textbf{((( letter.subject )))}", r"\phantom{((( letter.subject )))}")
    assert hidden != packaged
    (tmp_path / "templates" / "moderncv").mkdir(parents=True)
    (tmp_path / "templates" / "moderncv" / "letter.tex.j2").write_text(hidden, encoding="utf-8")


@pytest.mark.tex
def test_a_word_lost_from_a_letter_is_an_error_at_its_field(tmp_path: Path) -> None:
    _hide_subject(tmp_path)
    with pytest.raises(
        TexError,
        match=r"ada\.yaml:17:5: letters\.acme\.subject: 1 word\(s\) missing from the PDF's text: 'application'",
    ):
        build(_profile(tmp_path), tmp_path / "build")
    assert not (tmp_path / "build" / "ada.letter-acme.pdf").exists()


@pytest.mark.tex
def test_a_word_lost_from_a_letter_file_is_an_error_in_the_letter_file(tmp_path: Path) -> None:
    _hide_subject(tmp_path)
    _profile(tmp_path, letters="")
    letter = tmp_path / "acme.yaml"
    letter.write_text("profile: ada.yaml\n" + LETTER, encoding="utf-8")
    with pytest.raises(
        TexError, match=re.escape(f"{letter}:7:1: subject: 1 word(s) missing from the PDF's text: 'application'")
    ):
        build(letter, tmp_path / "build")


def test_an_output_that_is_the_letter_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _profile(tmp_path, letters="")
    letter = tmp_path / "acme.yaml"
    letter.write_text("profile: ada.yaml\nbody: Hi.\n", encoding="utf-8")
    out = tmp_path / "build"
    out.mkdir()
    (out / "ada.letter-acme.log").symlink_to(letter)
    status, _, err = cli(capsys, "build", letter, "-o", out)
    assert status == 1 and "is the letter file" in err and "does not write over its inputs" in err, err
    assert letter.read_text(encoding="utf-8") == "profile: ada.yaml\nbody: Hi.\n"


@pytest.mark.tex
def test_new_letter_starts_a_letter_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "new", "Ada Lovelace")[0] == 0
    status, _, err = cli(capsys, "new", "Ada Lovelace", "--letter", "acme")
    assert status == 0 and "wrote acme.yaml" in err
    assert "profile: ada-lovelace.yaml" in (tmp_path / "acme.yaml").read_text(encoding="utf-8")
    assert cli(capsys, "new", "--letter", "acme")[0] == 1  # an existing letter is kept without --force
    status, _, err = cli(capsys, "new", "--letter", "acme.v2")
    assert status == 2 and "a letter id is letters, digits, - and _" in err
    status, _, err = cli(capsys, "build", "acme.yaml")
    assert status == 0 and "wrote build/ada-lovelace.letter-acme.pdf" in err
    assert "Dear Ms Hopper," in pdf_text(tmp_path / "build" / "ada-lovelace.letter-acme.pdf")


def test_the_schema_describes_letters() -> None:
    schema = json_schema()
    assert "letters" in schema["properties"]
    letter = schema["$defs"]["letter"]
    assert letter["required"] == ["body"]
    assert {"recipient", "date", "subject", "opening", "body", "closing", "enclosures", "lang", "tags"} <= set(
        letter["properties"]
    )


def test_validate_checks_that_the_engine_can_set_every_letter(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = _profile(tmp_path, "letters:\n  acme:\n    body: 你好\ndesign: {engine: pdflatex}\n")
    status, _, err = cli(capsys, "validate", profile)
    assert status == 1 and "pdflatex cannot set" in err
    assert f"{profile}:12:5: letters.acme.body:" in err


def test_a_letter_in_a_language_the_profile_lacks_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = _profile(tmp_path, "letters:\n  acme:\n    lang: de\n    body: Hallo.\n")
    status, _, err = cli(capsys, "validate", profile)
    assert status == 1 and f"{profile}:12:5: letters.acme.lang: not one of the profile's languages (en)" in err


def test_render_to_one_file_names_the_documents_a_profile_with_letters_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    status, _, err = cli(capsys, "render", _profile(tmp_path), "-o", "-")
    assert status == 1 and "several documents (ada, ada.letter-acme)" in err


def test_a_family_without_a_letter_template_says_so(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    family = tmp_path / "templates" / "plain"
    family.mkdir(parents=True)
    (family / "cv.tex.j2").write_text("\\documentclass{article}\\begin{document}x\\end{document}\n", encoding="utf-8")
    profile = _profile(tmp_path, "letters:\n  acme: {body: Hi.}\ndesign: {template: plain}\n")
    status, _, err = cli(capsys, "render", profile)
    assert status == 5 and "the template family 'plain' has no letter.tex.j2: it cannot set cover letters" in err


def test_a_letter_without_a_date_is_dated_the_day_it_is_built(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "letters:\n  acme: {body: Hi.}\n")
    today = datetime.date.today()
    months = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]
    (_, letter) = documents(profile)
    assert f"\\date{{{months[today.month - 1]} {today.day}, {today.year}}}" in letter.tex


@pytest.mark.tex("xelatex")
def test_a_letter_is_not_blamed_for_cv_fields_it_does_not_print(tmp_path: Path) -> None:
    # The CJK font's name ends in "SC"; the CV's "scholar" holds those letters, the letter does not.
    profile = _profile(tmp_path, "letters:\n  acme: {body: 我申请贵公司的研究员职位。}\n")
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("Analyst, organization", "Google scholar, organization")
    )
    built = build(profile, tmp_path / "build")
    assert [b.pdf.name for b in built] == ["ada.pdf", "ada.letter-acme.pdf"]
    assert "我申请贵公司的研究员职位。" in pdf_text(built[1].pdf)


def test_a_batch_in_which_a_letter_and_a_cv_would_share_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    profile = _profile(tmp_path)
    clash = _profile(tmp_path, letters="", name="ada.letter-acme")
    status, _, err = cli(capsys, "build", profile, clash, "-o", tmp_path / "build")
    assert status == 1 and f"{profile} and {clash} would both write {tmp_path / 'build'}/ada.letter-acme.pdf" in err
    assert not (tmp_path / "build").exists()


@pytest.mark.tex("pdftoppm")
def test_build_png_never_replaces_an_input_with_a_letters_page(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    profile = _profile(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    (out / "ada.letter-acme-1.png").symlink_to(profile)
    status, _, err = cli(capsys, "build", profile, "--png", "-o", out)
    assert status == 1 and "is the profile" in err, err
    assert not (out / "ada.pdf").exists()


def test_a_letter_files_name_must_make_an_id(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _profile(tmp_path, letters="")
    letter = tmp_path / "acme.v2.yaml"
    letter.write_text("profile: ada.yaml\nbody: Hi.\n", encoding="utf-8")
    status, _, err = cli(capsys, "validate", letter)
    assert status == 1 and f"{letter}:1:1: the file's name 'acme.v2' is the letter's id" in err
