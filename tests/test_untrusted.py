"""A profile is data, even when it is untrusted: the files it names stay in its folder tree, its photo
is judged by its bytes, and a template's logic is bounded in output and time (docs/security.md)."""

from __future__ import annotations

import os
import re
import struct
import threading
import zlib
from pathlib import Path

import pytest

from texcv import cache, cli, images, render
from texcv.build import Settings, build, documents, load_profile
from texcv.errors import ProfileError, TemplateError, UserError
from texcv.templates import packaged_templates


def _chunk(name: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + name + data + zlib.crc32(name + data).to_bytes(4, "big")


def _png(width: int = 2, height: int = 2, pixels: bool = True) -> bytes:
    """A grey PNG; without `pixels` only its header claims the size (enough for texcv's checks)."""
    rows = (b"\0" + b"\x80" * width) * height if pixels else b"\0"
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def _jpeg(width: int = 8, height: int = 8) -> bytes:
    """A baseline JPEG, one grey 8×8 block: every coefficient 0, one-code Huffman tables."""
    frame = b"\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + b"\x01\x01\x11\x00"
    one_code = b"\x01" + b"\0" * 15 + b"\x00"  # one code of length 1, for symbol 0
    return (
        b"\xff\xd8"
        + _segment(0xDB, b"\0" + b"\1" * 64)
        + _segment(0xC0, frame)
        + _segment(0xC4, b"\x00" + one_code)
        + _segment(0xC4, b"\x10" + one_code)
        + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f\xff\xd9"
    )


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _profile(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cv.yaml"
    path.write_text(f"name: Ada Lovelace\n{extra}", encoding="utf-8")
    return path


def _problems(path: Path, settings: Settings | None = None) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile(path, settings)
    return [str(p) for p in info.value.problems]


# --- files a profile names stay in its folder tree ------------------------------------------------


@pytest.mark.parametrize("where", ["absolute", "dot-dot", "link", "missing"])
def test_a_photo_outside_the_profiles_folder_is_refused(tmp_path: Path, where: str) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)
    folder = tmp_path / "cv"
    folder.mkdir()
    (folder / "face.pdf").symlink_to(secret)
    named = {"absolute": str(secret), "dot-dot": "../secret.pdf", "link": "face.pdf", "missing": "../nothing.png"}[
        where
    ]
    cv = _profile(folder, f"photo: {named}\n")
    # A missing file outside is refused the same way: a profile cannot probe what exists elsewhere.
    target = tmp_path / "nothing.png" if where == "missing" else secret
    assert _problems(cv) == [
        f"{cv}:2:1: photo: photo {target} is outside the profile's folder {folder}: a profile "
        "names files only in its own folder tree (allow another folder with --allow-dir DIR)"
    ]


def test_allow_dir_lets_a_profile_name_files_in_another_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "face.pdf").write_bytes(PDF)
    cv = _profile(tmp_path / "cv", "photo: ../shared/face.pdf\ndesign: {template_dir: ../shared}\n")
    assert cli.main(["validate", str(cv)]) == 1
    assert capsys.readouterr().err.count("is outside the profile's folder") == 2
    assert cli.main(["validate", "--allow-dir", str(tmp_path / "shared"), str(cv)]) == 0
    assert load_profile(cv, Settings(allowed_dirs=(tmp_path / "shared",)))["photo"] == tmp_path / "shared" / "face.pdf"


@pytest.mark.parametrize("command", ["build", "render", "validate"])
def test_allow_dir_is_documented(command: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    assert re.search(
        r"--allow-dir DIR\s+let profiles name files \(photo, design.template_dir\)", capsys.readouterr().out
    )


def test_a_design_template_dir_outside_the_profiles_folder_is_refused(tmp_path: Path) -> None:
    cv = _profile(tmp_path / "cv", f"design: {{template_dir: {packaged_templates()}}}\n")
    (problem,) = _problems(cv)
    assert problem.startswith(
        f"{cv}:2:10: design.template_dir: folder {packaged_templates()} is outside the profile's folder {cv.parent}:"
    )


def _linked_family(tmp_path: Path, templates: Path) -> Path:
    """A moderncv family outside the profile's folder, reached by a link from `templates`."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "cv.tex.j2").write_text(
        "\\documentclass{article}\\begin{document}from elsewhere\\end{document}\n", encoding="utf-8"
    )
    templates.mkdir(parents=True)
    (templates / "moderncv").symlink_to(outside, target_is_directory=True)
    return outside


@pytest.mark.parametrize("named_by", ["design.template_dir", "templates/ next to the profile"])
def test_links_out_of_a_profiles_template_directory_are_not_followed(tmp_path: Path, named_by: str) -> None:
    folder = tmp_path / "cv"
    cv = _profile(folder, "design: {template_dir: mine}\n" if named_by == "design.template_dir" else "")
    outside = _linked_family(tmp_path, folder / ("mine" if named_by == "design.template_dir" else "templates"))
    with pytest.raises(
        TemplateError, match=r"cv\.tex\.j2: a link leading out of the profile's folder .* is not followed"
    ):
        documents(cv)
    (allowed,) = documents(cv, Settings(allowed_dirs=(outside,)))
    assert "from elsewhere" in allowed.tex


def test_links_in_a_command_line_template_directory_are_followed(tmp_path: Path) -> None:
    cv = _profile(tmp_path / "cv")
    _linked_family(tmp_path, tmp_path / "mine")
    (doc,) = documents(cv, Settings(template_dirs=(tmp_path / "mine",)))
    assert "from elsewhere" in doc.tex


# --- template directories are hashed as a stream, within caps -------------------------------------


def test_a_template_directory_with_too_many_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(cache, "MAX_TEMPLATE_FILES", 5)
    for i in range(6):
        (tmp_path / "many" / str(i)).mkdir(parents=True)
        (tmp_path / "many" / str(i) / "file").write_text("x", encoding="utf-8")
    cv = _profile(tmp_path / "cv")
    assert cli.main(["build", "--template-dir", str(tmp_path / "many"), "-o", str(tmp_path / "out"), str(cv)]) == 5
    err = capsys.readouterr().err
    assert (
        f"template directory {tmp_path / 'many'}: more than 5 files; a template directory holds template families"
        in err
    )
    assert "Traceback" not in err and not (tmp_path / "out" / "cv.pdf").exists()


def test_a_template_directory_with_too_many_bytes_is_refused_before_reading_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks_read = []
    monkeypatch.setattr(cache, "_BLOCK", 1000)
    monkeypatch.setattr(cache, "MAX_TEMPLATE_BYTES", 3000)
    (tmp_path / "big").mkdir()
    with open(tmp_path / "big" / "huge", "wb") as f:
        f.truncate(10**9)  # sparse: a gigabyte that takes no disk
    real_blocks = cache._blocks
    monkeypatch.setattr(cache, "_blocks", lambda path: (blocks_read.append(b) or b for b in real_blocks(path)))
    with pytest.raises(TemplateError, match=r"template directory .*big: more than \d+ MB of files"):
        cache.files_digest([tmp_path / "big"])
    assert len(blocks_read) == 4  # read as a stream, and only up to the cap


def test_pipes_and_links_out_of_a_template_directory_are_not_read(tmp_path: Path) -> None:
    folder, outside = tmp_path / "t", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    os.mkfifo(folder / "pipe")  # opening a pipe would wait for a writer for ever
    os.mkfifo(outside / "pipe")
    (folder / "link").symlink_to(outside / "pipe")
    (outside / "secret").write_text("one", encoding="utf-8")
    (folder / "secret").symlink_to(outside / "secret")
    digests = []
    hashing = threading.Thread(target=lambda: digests.append(cache.files_digest([folder])), daemon=True)
    hashing.start()
    hashing.join(10)
    assert digests, "files_digest opened a pipe"
    stat = (outside / "secret").stat()
    (outside / "secret").write_text("two", encoding="utf-8")
    os.utime(outside / "secret", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time: not read, so the same
    assert cache.files_digest([folder]) == digests[0]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux /proc")
def test_proc_self_as_a_template_directory_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    cv = _profile(tmp_path / "cv")
    assert cli.main(["build", "--template-dir", "/proc/self", "-o", str(tmp_path / "out"), str(cv)]) == 5
    assert re.search(r"template directory /proc/\d+: more than (\d+ files|\d+ MB of files)", capsys.readouterr().err)


# --- photos are judged by their bytes -------------------------------------------------------------


@pytest.mark.tex
@pytest.mark.parametrize(
    "name, data, copy",
    [("photo", _png(), "photo.png"), ("x.p_ng", _png(), "photo.png"), ("me.png", _jpeg(), "photo.jpg")],
)
def test_a_photos_type_comes_from_its_bytes_not_its_name(tmp_path: Path, name: str, data: bytes, copy: str) -> None:
    (tmp_path / name).write_bytes(data)
    cv = _profile(tmp_path, f"photo: {name}\n")
    (built,) = build(cv, tmp_path / "out")
    assert f"\\photo[64pt][0.4pt]{{{copy}}}" in built.tex.read_text(encoding="utf-8")
    assert built.pages == 1


def test_valid_photos_pass_the_checks() -> None:
    assert images.kind_of(_png()) == "png" and images.kind_of(_jpeg()) == "jpg" and images.kind_of(PDF) == "pdf"
    assert images._png_size(_png(3, 2)) == (3, 2) and images._jpeg_size(_jpeg(640, 480)) == (640, 480)


_BAD_PHOTOS = {
    "unknown type": (b"GIF89a" + b"\0" * 100, "photo is not a PNG, JPEG or PDF image"),
    "truncated PNG": (_png()[:-12], "photo is truncated (a PNG ends with an IEND chunk; this one stops before it)"),
    "truncated JPEG": (
        _jpeg()[:-2],
        "photo is truncated (a JPEG ends with an end-of-image marker; this one stops before it)",
    ),
    "JPEG cut in its data": (_jpeg()[:-3], "photo is truncated (a JPEG ends with an end-of-image marker"),
    "truncated PDF": (PDF[:-8], "photo is truncated (a PDF ends with %%EOF; this one does not)"),
    "huge PNG": (
        _png(10000, 6000, pixels=False),
        "photo is too large: 10000×6000 pixels (at most 50 megapixels; scale it down)",
    ),
    "huge JPEG": (_jpeg(65000, 65000), "photo is too large: 65000×65000 pixels (at most 50 megapixels"),
}


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
@pytest.mark.parametrize("kind", list(_BAD_PHOTOS))
def test_a_bad_photo_is_a_located_error_before_tex_runs(tmp_path: Path, kind: str, engine: str) -> None:
    data, message = _BAD_PHOTOS[kind]
    (tmp_path / "face.png").write_bytes(data)
    cv = _profile(tmp_path, f"photo: face.png\ndesign: {{engine: {engine}}}\n")
    with pytest.raises(ProfileError) as info:
        build(cv, tmp_path / "out")
    (problem,) = map(str, info.value.problems)
    assert problem.startswith(f"{cv}:2:1: photo: {message}") and problem.endswith(str(tmp_path / "face.png"))
    assert not (tmp_path / "out").exists()  # nothing was typeset


def test_a_photo_over_20_mb_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open(tmp_path / "face.png", "wb") as f:
        f.write(_png())
        f.truncate(21 * 2**20)
    cv = _profile(tmp_path, "photo: face.png\n")
    real_open = Path.open
    monkeypatch.setattr(
        Path,
        "open",
        lambda self, *a, **k: (
            pytest.fail("the photo was opened") if self.name == "face.png" else real_open(self, *a, **k)
        ),
    )
    assert _problems(cv) == [f"{cv}:2:1: photo: photo is too large: 21.0 MB (at most 20 MB): {tmp_path / 'face.png'}"]


# --- a template's logic is bounded ---------------------------------------------------------------


def _template_printing(tmp_path: Path, body: str) -> Path:
    """A profile whose template (given with --template-dir) is `body`."""
    family = tmp_path / "t" / "moderncv"
    family.mkdir(parents=True)
    (family / "cv.tex.j2").write_text(f"start\n{body}\n", encoding="utf-8")
    return _profile(tmp_path / "cv")


@pytest.mark.parametrize(
    "body, message",
    [
        ('((( "x" * 10**8 )))', "text * 100000000 would make 100000000 characters (at most 10485760)"),
        ("((( ([1, 2] * 10**7)|length )))", "a list * 10000000 would make 20000000 items (at most 100000)"),
        ("((( 10 ** (10 ** 9) )))", "10 ** 1000000000 is too large a number (at most 100000 bits)"),
        ("((* for i in range(10**6) *))x((* endfor *))", "template made a value too large: Range too big"),
    ],
)
def test_one_expression_cannot_build_a_huge_value(tmp_path: Path, body: str, message: str) -> None:
    cv = _template_printing(tmp_path, body)
    with pytest.raises(TemplateError) as info:
        documents(cv, Settings(template_dirs=(tmp_path / "t",)))
    assert str(info.value).startswith(f"{tmp_path / 't' / 'moderncv' / 'cv.tex.j2'}:2: ") and message in str(info.value)


def test_a_templates_output_is_capped(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cv = _template_printing(
        tmp_path,
        '((* for i in range(99999) *))((* for j in range(99999) *))((( "x" * 1000 )))((* endfor *))((* endfor *))',
    )
    assert cli.main(["render", "-o", "-", "--template-dir", str(tmp_path / "t"), str(cv)]) == 5
    out, err = capsys.readouterr()
    template = tmp_path / "t" / "moderncv" / "cv.tex.j2"
    stopped = "template wrote more than 10 MB of LaTeX; stopped (a loop that never ends?)"
    assert err == f"texcv: error: {template}:2: {stopped}\n"
    assert out == ""


def test_a_templates_render_time_is_capped_even_when_it_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_SECONDS", 0.5)
    cv = _template_printing(
        tmp_path, "((* for i in range(99999) *))((* for j in range(99999) *))((* endfor *))((* endfor *))"
    )
    with pytest.raises(TemplateError, match=r"cv\.tex\.j2:2: template still running after 0\.5 s; stopped"):
        documents(cv, Settings(template_dirs=(tmp_path / "t",)))


def test_outside_the_main_thread_render_time_is_checked_between_pieces_of_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_SECONDS", 0.5)
    cv = _template_printing(
        tmp_path, '((* for i in range(99999) *))((* for j in range(99999) *))((( "" )))((* endfor *))((* endfor *))'
    )
    errors: list[BaseException] = []

    def run() -> None:
        try:
            documents(cv, Settings(template_dirs=(tmp_path / "t",)))
        except TemplateError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(30)
    template = tmp_path / "t" / "moderncv" / "cv.tex.j2"
    stopped = "template still running after 0.5 s; stopped (a loop that never ends?)"
    assert [str(e) for e in errors] == [f"{template}:2: {stopped}"]


def test_a_photo_replaced_after_validation_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "face.png").write_bytes(b"GIF89a")
    with pytest.raises(
        UserError, match=r"face\.png: the photo changed while texcv ran and is no longer a PNG, JPEG or PDF image"
    ):
        images.extension(tmp_path / "face.png")


def test_a_folder_as_photo_is_named_a_folder(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\nphoto: pictures\nsections: []\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"cv.yaml:2:1: photo: .*pictures is a folder; photo names an image file"):
        load_profile(profile)
