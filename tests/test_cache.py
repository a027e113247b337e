"""No work twice: an unchanged profile is not compiled again; any change to what makes the PDF is.
Reproducible PDFs; the previous build's .aux saves the second pass; the precompiled preamble.

The first tests replace the engine with a spy (no TeX needed); the `tex` ones run the real thing.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from helpers import PROFILES, pdf_text

import texcv.cache
import texcv.compile
import texcv.preamble
import texcv.render
import texcv.templates
from texcv.build import Settings, build
from texcv.compile import Compiled
from texcv.errors import TexError

PROFILE = textwrap.dedent(
    """\
    name: Ada Lovelace
    headline: Analyst
    photo: photo.png
    contact: {email: ada@example.org}
    sections:
      - title: Experience
        entries:
          - {title: Analyst, organization: Analytical Engine, start: 1842, end: 1843}
    """
)


@pytest.fixture(autouse=True)
def _cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "texcv"


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in engine that records each .tex it is given; the TeX installation is fixed."""
    runs: list[str] = []

    def fake_compile(tex: str, engine: str, workdir: Path, *args: object, **kwargs: object) -> Compiled:
        runs.append(tex)
        return Compiled(
            f"%PDF-fake {len(runs)}".encode(), "log", engine, 1, 1, text=[tex]
        )  # the source holds every printed word

    monkeypatch.setattr(texcv.compile, "compile_pdf", fake_compile)
    monkeypatch.setattr(texcv.cache, "tex_identity", lambda engine: f"TeX for {engine}")
    monkeypatch.setattr(
        texcv.preamble, "format_file", lambda tex, engine: contextlib.nullcontext(texcv.preamble.Precompiled(None))
    )
    return runs


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    shutil.copyfile(PROFILES / "example-photo.png", tmp_path / "photo.png")
    path = tmp_path / "ada.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def test_unchanged_profile_is_not_compiled_again(profile: Path, tmp_path: Path, engine_runs: list[str]) -> None:
    first = build(profile, tmp_path / "out")
    second = build(profile, tmp_path / "out")
    assert len(engine_runs) == 1
    assert [b.cached for b in first + second] == [False, True]
    assert second[0].pdf.read_bytes() == b"%PDF-fake 1"


def test_missing_or_changed_target_is_restored_from_the_cache(
    profile: Path, tmp_path: Path, engine_runs: list[str]
) -> None:
    pdf = build(profile, tmp_path / "out")[0].pdf
    pdf.unlink()
    build(profile, tmp_path / "out")
    assert pdf.read_bytes() == b"%PDF-fake 1"
    pdf.write_bytes(b"edited by hand")
    build(profile, tmp_path / "out")
    assert pdf.read_bytes() == b"%PDF-fake 1"
    assert len(engine_runs) == 1


def test_unchanged_output_keeps_its_time_stamp(profile: Path, tmp_path: Path, engine_runs: list[str]) -> None:
    pdf = build(profile, tmp_path / "out")[0].pdf
    stamp = pdf.stat().st_mtime_ns
    build(profile, tmp_path / "out")
    assert pdf.stat().st_mtime_ns == stamp


def _edit_profile(profile: Path) -> None:
    profile.write_text(PROFILE.replace("Analyst\n", "Analyst of engines\n"), encoding="utf-8")


def _replace_photo(profile: Path) -> None:
    (profile.parent / "photo.png").write_bytes((profile.parent / "photo.png").read_bytes() + b"\0")


def _edit_template(profile: Path) -> None:
    # A templates/ folder next to the profile overrides packaged pieces; an asset there (say, a .sty
    # a template \usepackage's) changes the PDF without changing the .tex.
    (profile.parent / "templates").mkdir(exist_ok=True)
    (profile.parent / "templates" / "texcv-extra.sty").write_text("% changed\n", encoding="utf-8")


@pytest.mark.parametrize(
    "change", [_edit_profile, _replace_photo, _edit_template], ids=["tex", "photo", "template-dir"]
)
def test_a_changed_input_is_compiled(change, profile: Path, tmp_path: Path, engine_runs: list[str]) -> None:
    build(profile, tmp_path / "out")
    change(profile)
    assert not build(profile, tmp_path / "out")[0].cached
    assert len(engine_runs) == 2


def test_another_engine_or_tex_installation_is_compiled(
    profile: Path, tmp_path: Path, engine_runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(profile, tmp_path / "out")
    build(profile, tmp_path / "out", Settings(design={"engine": "lualatex"}))
    monkeypatch.setattr(texcv.cache, "tex_identity", lambda engine: "TeX Live 2099")
    build(profile, tmp_path / "out")
    assert len(engine_runs) == 3


def test_packaged_template_change_is_compiled(
    profile: Path, tmp_path: Path, engine_runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(profile, tmp_path / "out")
    copy = tmp_path / "packaged"
    shutil.copytree(texcv.templates.packaged_templates(), copy)
    (copy / "moderncv" / "unused-asset.txt").write_text("new", encoding="utf-8")
    monkeypatch.setattr(texcv.templates, "packaged_templates", lambda: copy)
    build(profile, tmp_path / "out")
    assert len(engine_runs) == 2


def test_no_cache_compiles_again(profile: Path, tmp_path: Path, engine_runs: list[str]) -> None:
    build(profile, tmp_path / "out")
    assert not build(profile, tmp_path / "out", Settings(use_cache=False))[0].cached
    assert len(engine_runs) == 2


def test_unwritable_cache_is_no_error(
    profile: Path, tmp_path: Path, engine_runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "not-a-dir").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    build(profile, tmp_path / "out")
    assert build(profile, tmp_path / "out")[0].pdf.read_bytes() == b"%PDF-fake 2"


def test_cli_reports_cached(
    profile: Path, tmp_path: Path, engine_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from texcv.cli import main

    assert main(["build", str(profile), "-o", str(tmp_path / "out")]) == 0
    assert main(["build", str(profile), "-o", str(tmp_path / "out")]) == 0
    assert main(["build", str(profile), "-o", str(tmp_path / "out"), "--no-cache"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line.endswith(", cached)") for line in lines if "wrote" in line] == [False, True, False]


# --- with TeX ------------------------------------------------------------------------------------

TWO_PAGES = "name: Ada Lovelace\nsections:\n  - title: Experience\n    entries:\n" + "".join(
    (
        f"      - {{title: Analyst {i}, organization: Engine, start: 18{i:02d}, "
        f"description: {'Calculated numbers. ' * 12}}}\n"
    )
    for i in range(16)
)


@pytest.mark.tex
def test_same_input_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    first = build(profile, tmp_path / "a", Settings(use_cache=False))[0]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))  # no .aux, no format: from scratch
    second = build(profile, tmp_path / "b", Settings(use_cache=False))[0]
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert b"/CreationDate (D:19700101000000Z)" in first.pdf.read_bytes()
    profile.write_text(TWO_PAGES.replace("Ada", "Ida"), encoding="utf-8")
    other = build(profile, tmp_path / "c")[0]
    assert _trailer_id(other.pdf) != _trailer_id(first.pdf)  # the /ID follows the content, not the date


def _trailer_id(pdf: Path) -> bytes:
    match = re.search(rb"/ID ?\[<([0-9A-Fa-f]+)>", pdf.read_bytes())
    assert match, "no /ID in the trailer"
    return match.group(1)


@pytest.mark.tex("xelatex")
def test_same_input_gives_the_same_bytes_with_xelatex(tmp_path: Path) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text("name: Ada Lovelace\nsections: [{title: Work, entries: [Analyst]}]\n", encoding="utf-8")
    first = build(profile, tmp_path / "a", Settings(design={"engine": "xelatex"}, use_cache=False))[0]
    second = build(profile, tmp_path / "b", Settings(design={"engine": "xelatex"}, use_cache=False))[0]
    assert first.pdf.read_bytes() == second.pdf.read_bytes()


@pytest.mark.tex
def test_an_edited_multipage_cv_takes_one_pass_but_no_cache_ignores_the_last_aux(tmp_path: Path) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    first = build(profile, tmp_path / "out")[0]
    profile.write_text(TWO_PAGES.replace("Analyst 3", "Analyst three"), encoding="utf-8")
    edited = build(profile, tmp_path / "out")[0]
    assert first.pages == 2  # in 1 or 2 passes: 1 when its format was dumped meanwhile (build._compile)
    assert (edited.pages, edited.passes, edited.cached) == (2, 1, False)
    assert "1/2" in pdf_text(edited.pdf)
    again = build(profile, tmp_path / "out", Settings(use_cache=False))[0]
    assert (again.pages, again.passes, again.cached) == (2, 2, False)
    assert again.pdf.read_bytes() == edited.pdf.read_bytes()


@pytest.mark.tex
def test_a_cv_shrunk_to_one_page_loses_its_page_numbers(tmp_path: Path) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    build(profile, tmp_path / "out")
    profile.write_text(TWO_PAGES.split("      - {title: Analyst 3,")[0], encoding="utf-8")
    shrunk = build(profile, tmp_path / "out")[0]
    assert (shrunk.pages, shrunk.passes) == (1, 2)  # the seeded .aux still said 2 pages
    assert "1/2" not in pdf_text(shrunk.pdf)


@pytest.mark.tex
def test_precompiled_preamble_gives_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache_home: Path
) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    with_format = build(profile, tmp_path / "a")[0]
    assert len(list((_cache_home / "formats").glob("*.fmt"))) == 1
    build(profile, tmp_path / "c", Settings(design={"style": "casual"}))
    assert len(list((_cache_home / "formats").glob("*.fmt"))) == 2  # another design, another format
    monkeypatch.setattr(
        texcv.preamble, "format_file", lambda tex, engine: contextlib.nullcontext(texcv.preamble.Precompiled(None))
    )
    without = build(profile, tmp_path / "b", Settings(use_cache=False))[0]
    assert pdf_text(with_format.pdf) == pdf_text(without.pdf)
    assert with_format.pages == without.pages == 2


@pytest.mark.tex
def test_a_preamble_that_cannot_be_precompiled_is_compiled_as_usual(
    _cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "\\documentclass{no-such-class}\n" + texcv.compile.PREAMBLE_END + "\n\\begin{document}x\\end{document}\n"
    with texcv.preamble.format_file(broken, "pdflatex") as precompiled:
        assert precompiled.dumping and precompiled.path() is None
    assert len(list((_cache_home / "formats").glob("*.failed"))) == 1
    for engine in ("pdflatex", "xelatex"):  # a failed format is not tried again; xelatex: pdflatex only
        with texcv.preamble.format_file(broken, engine) as precompiled:
            assert not precompiled.dumping and precompiled.path() is None


@pytest.mark.tex
def test_tex_search_variables_are_part_of_the_installation_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached PDF or format made while TeX saw other files (TEXINPUTS, fontconfig) is not reused."""
    from texcv import cache

    monkeypatch.delenv("TEXINPUTS", raising=False)
    plain = cache.tex_identity("pdflatex")
    monkeypatch.setenv("TEXINPUTS", "/somewhere//:")
    assert cache.tex_identity("pdflatex") != plain


# --- a damaged cache never fails a build or serves a damaged PDF ------------------------------------


@pytest.mark.tex
@pytest.mark.parametrize("damage", ["truncate pdf", "flipped bytes", "meta list", "meta missing key"])
def test_a_damaged_cached_pdf_is_rebuilt_not_served(tmp_path: Path, _cache_home: Path, damage: str) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    first = build(profile, tmp_path / "out")[0]
    (pdf,) = (_cache_home / "pdf").glob("*.pdf")
    meta = pdf.with_suffix(".json")
    if damage == "truncate pdf":
        pdf.write_bytes(pdf.read_bytes()[:1000])
    elif damage == "flipped bytes":
        data = bytearray(pdf.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 8] = b"XXXXXXXX"
        pdf.write_bytes(bytes(data))
    elif damage == "meta list":
        meta.write_text("[1, 2]")
    else:
        record = json.loads(meta.read_text())
        del record["sha256"]
        meta.write_text(json.dumps(record))
    (tmp_path / "out" / "ada.pdf").unlink()
    again = build(profile, tmp_path / "out")[0]
    assert not again.cached
    assert again.pdf.read_bytes() == first.pdf.read_bytes()
    assert build(profile, tmp_path / "out")[0].cached  # the entry was replaced by a whole one


@pytest.mark.tex
def test_cache_files_of_the_wrong_shape_are_ignored(tmp_path: Path, _cache_home: Path) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    build(profile, tmp_path / "out")
    for record in (*(_cache_home / "aux").glob("*.json"), *_cache_home.glob("tex-*.json")):
        record.write_text('["valid JSON", "of the wrong shape"]')
    for bytecode in (_cache_home / "templates").rglob("*.jinja"):
        bytecode.write_bytes(bytecode.read_bytes()[:12])  # cut after Jinja's magic number
    assert build(profile, tmp_path / "out", Settings(use_cache=False))[0].pages == 2


@pytest.mark.tex
def test_a_poisoned_aux_file_is_retried_without_it(tmp_path: Path, _cache_home: Path) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    build(profile, tmp_path / "out")
    (record,) = (_cache_home / "aux").glob("*.json")
    record.write_text('{"cv.aux": "\\\\relax\\n\\\\undefinedcommand\\n"}')
    profile.write_text(TWO_PAGES.replace("Analyst 3", "Analyst three"), encoding="utf-8")
    built = build(profile, tmp_path / "out")[0]
    assert built.pages == 2 and "Analyst three" in pdf_text(built.pdf)
    assert "undefinedcommand" not in record.read_text()  # replaced by the good build's files


@pytest.mark.tex
def test_an_error_inside_the_aux_file_is_reported_as_such(tmp_path: Path) -> None:
    """A template that writes a broken line into the .aux fails on the next pass: the message
    names the .aux, not the document."""
    family = tmp_path / "tpl" / "moderncv"
    family.mkdir(parents=True)
    (family / "header.tex.j2").write_text(
        '((* include "default/moderncv/header.tex.j2" *))\n'
        "\\makeatletter\\AtBeginDocument{\\immediate\\write\\@auxout{\\string\\undefinedinaux}}\\makeatother\n",
        encoding="utf-8",
    )
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    with pytest.raises(
        TexError, match=r"pdflatex failed reading the previous pass's cv.aux \(line \d+\): Undefined control sequence"
    ):
        build(profile, tmp_path / "out", Settings(template_dirs=(tmp_path / "tpl",)))


@pytest.mark.tex
def test_a_format_the_engine_cannot_load_is_removed_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home = tmp_path / "own-cache"  # not the formats the other tests share
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    profile = tmp_path / "ada.yaml"
    profile.write_text(TWO_PAGES, encoding="utf-8")
    first = build(profile, tmp_path / "a")[0]
    (fmt,) = (cache_home / "texcv" / "formats").glob("*.fmt")
    fmt.write_bytes(fmt.read_bytes()[: fmt.stat().st_size // 3])  # as a dump cut short by a full disk left it
    again = build(profile, tmp_path / "b", Settings(use_cache=False))[0]
    assert any(
        f"could not load the precompiled preamble {fmt}" in w and "removed it from the cache" in w
        for w in again.warnings
    ), again.warnings
    assert pdf_text(again.pdf) == pdf_text(first.pdf)
    third = build(profile, tmp_path / "c", Settings(use_cache=False))[0]  # dumps it anew
    assert third.warnings == [] and third.pdf.read_bytes() == first.pdf.read_bytes()


@pytest.mark.tex
def test_a_dump_cut_short_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dump stopped by a full disk or `ulimit -f` may exit before the kernel stops it, or leave a
    file behind: only one that decompresses to its end becomes the format."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))
    tex = "\\documentclass{article}\n" + texcv.compile.PREAMBLE_END + "\n\\begin{document}x\\end{document}\n"
    with texcv.preamble.format_file(tex, "pdflatex") as precompiled:
        fmt = precompiled.path()
    assert fmt is not None and texcv.preamble._is_whole(fmt)
    cut = tmp_path / "cut.fmt"
    cut.write_bytes(fmt.read_bytes()[:4096])
    assert not texcv.preamble._is_whole(cut)
    assert not texcv.preamble._is_whole(tmp_path / "missing.fmt")


def test_a_format_in_use_is_never_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import os

    formats = tmp_path / "formats"
    formats.mkdir()
    for name in ("in-use", "idle"):
        (formats / f"{name}.fmt").write_bytes(b"x")
    lock = os.open(formats / "in-use.lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_SH)  # what a build holds while its engine runs
    try:
        texcv.preamble.prune(formats, keep=0)
    finally:
        os.close(lock)
    assert sorted(p.name for p in formats.glob("*.fmt")) == ["in-use.fmt"]
