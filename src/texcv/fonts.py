"""Installed font families a design may name (design.font: "EB Garamond"), from fontconfig.

A named family is set by fontspec (xelatex, lualatex) from the files of its four faces, chosen here:
the upright, bold and italic faces must exist (a CV without them would lose its emphasis silently);
a bold italic is taken when there is one. Web fonts (WOFF) are never chosen: xdvipdfmx cannot embed
them, though fontconfig lists them beside the OpenType files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

# fontconfig's weights and slants (fontconfig.h): regular 80, semibold 180, bold 200; roman 0.
REGULAR, SEMIBOLD, BOLD = 80, 180, 200
ROMAN = 0
NORMAL_WIDTH = 100
# Formats xelatex and lualatex embed, best first; files in them that they do not (web fonts).
FORMATS = ("CFF", "TrueType", "Type 1")
WEB_FONTS = (".woff", ".woff2")
# Files whose path the templates print as it is: no character TeX or fontspec would read otherwise.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9./_+-]+")


@dataclass(frozen=True)
class Face:
    names: tuple[str, ...]  # the family names fontconfig gives, the main one first: ("EB Garamond", "EB Garamond 12")
    weight: int
    slant: int
    width: int  # 100: normal; 87: semi-condensed
    format: str  # one of FORMATS
    file: str

    @property
    def bold(self) -> bool:
        return self.weight >= SEMIBOLD

    @property
    def italic(self) -> bool:
        return self.slant > ROMAN


@dataclass(frozen=True)
class Faces:
    """The files of a family's faces, all in one folder (fontspec's Path)."""

    family: str
    folder: str  # ends with /
    regular: str
    bold: str
    italic: str
    bold_italic: str

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.folder + name for name in (self.regular, self.bold, self.italic, self.bold_italic))


class FontProblem(ValueError):
    """A named family that is not installed, or lacks a face a CV needs."""


@lru_cache(maxsize=4)
def fontconfig(program: str, *args: str) -> str:
    """What a fontconfig tool (fc-list, fc-query) prints; nothing when it cannot run."""
    try:
        return subprocess.run(
            [program, *args], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _read(program: str) -> tuple[Face, ...]:
    """Every installed face in a file TeX embeds: one fc-list call per process."""
    out = fontconfig(program, "-f", "%{family}\t%{weight}\t%{slant}\t%{width}\t%{fontformat}\t%{variable}\t%{file}\n")
    faces = []
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) != 7:
            continue
        names, weight, slant, width, form, variable, file = fields
        numbers = (weight, slant, width or str(NORMAL_WIDTH))
        # A variable font's weight is a range: fontspec cannot pick its instances from a file by weight.
        if (
            form not in FORMATS
            or variable == "True"
            or file.lower().endswith(WEB_FONTS)
            or not _PLAIN_PATH.fullmatch(file)
        ):
            continue
        if all(n.isdigit() for n in numbers):
            family = tuple(n.strip() for n in names.split(","))
            faces.append(Face(family, int(weight), int(slant), int(numbers[2]), form, file))
    return tuple(faces)


def installed() -> tuple[Face, ...]:
    program = shutil.which("fc-list")
    return _read(program) if program else ()


def family_names() -> list[str]:
    """The main name of every installed family, sorted."""
    return sorted({face.names[0] for face in installed()})


def canonical(name: str) -> str | None:
    """The installed family called `name` (any of its names, any case, spaces or none: "TeX Gyre Pagella" is
    TeXGyrePagella), by its main name."""
    wanted = _key(name)
    return next((face.names[0] for face in installed() if wanted in map(_key, face.names)), None)


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def faces(family: str) -> Faces:
    """The faces a CV sets `family` in; FontProblem naming the face it lacks."""
    own = [face for face in installed() if face.names[0] == family]
    if not own:
        raise FontProblem(f"no installed font family {family!r}")
    folders: dict[str, list[Face]] = {}
    for face in own:
        folders.setdefault(str(PurePosixPath(face.file).parent), []).append(face)
    chosen = [_faces(family, folder, found) for folder, found in sorted(folders.items())]
    complete = [faces for faces in chosen if isinstance(faces, Faces)]
    if complete:
        return complete[0]
    lacking = {name for result in chosen if isinstance(result, str) for name in result.split(", ")}
    styles = ", ".join(sorted({_style(face) for face in own}))
    raise FontProblem(
        f"font {family!r} has no {' and no '.join(sorted(lacking))} face (installed: {styles}); "
        "a CV needs bold and italic: choose a family that has them"
    )


def _style(face: Face) -> str:
    return {(False, False): "upright", (True, False): "bold", (False, True): "italic"}.get(
        (face.bold, face.italic), "bold italic"
    )


def _faces(family: str, folder: str, found: list[Face]) -> Faces | str:
    """The four faces among those of one folder, or the names of the ones it lacks ("bold, italic")."""
    bold = _closest([f for f in found if f.bold and not f.italic], BOLD)
    # Optical sizes of one family (EB Garamond 08, 12) come as separate names: the bold face's first.
    names = bold.names if bold else ()
    upright = _closest([f for f in found if not f.bold and not f.italic], REGULAR, names)
    italic = _closest([f for f in found if not f.bold and f.italic], REGULAR, names)
    bold_italic = _closest([f for f in found if f.bold and f.italic], BOLD, names) or bold
    lacking = [name for name, face in (("upright", upright), ("bold", bold), ("italic", italic)) if face is None]
    if upright is None or bold is None or italic is None or bold_italic is None:
        return ", ".join(lacking)
    return Faces(
        family,
        folder.rstrip("/") + "/",
        *(PurePosixPath(f.file).name for f in (upright, bold, italic, bold_italic)),
    )


def _closest(candidates: list[Face], weight: int, names: tuple[str, ...] = ()) -> Face | None:
    """The face nearest `weight`, one named like `names` first, then normal width, then the best format."""
    return min(
        candidates,
        key=lambda f: (
            f.names != names,
            abs(f.weight - weight),
            abs(f.width - NORMAL_WIDTH),
            FORMATS.index(f.format),
            f.file,
        ),
        default=None,
    )
