"""What texcv can use on this machine: TeX engines, LaTeX packages, fonts and tools, each found
(with its version) or missing (with the Debian package that brings it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import packages


@dataclass(frozen=True)
class Need:
    name: str
    kind: str  # "program", "tex" (a file kpsewhich finds) or "font" (a fontconfig family)
    package: str  # the Debian package that provides it
    used_for: str
    required: bool  # needed by the default build (Latin script, pdflatex, icons on)


NEEDS = (
    Need("pdflatex", "program", packages.ENGINES["pdflatex"], "the default engine (Latin scripts)", True),
    Need("moderncv.cls", "tex", packages.LATEX, "every CV: the moderncv class", True),
    Need("fontawesome5.sty", "tex", packages.ICONS, "header icons (design.icons: true, the default)", True),
    Need("lmodern.sty", "tex", packages.LATIN_MODERN, "the fonts under pdflatex", True),
    Need(
        "xelatex", "program", packages.ENGINES["xelatex"], "Chinese, Japanese, Korean and other non-Latin text", False
    ),
    Need("xeCJK.sty", "tex", packages.CJK_TEX, "CJK text under xelatex", False),
    Need(
        "Noto Sans", "font", packages.NOTO_CORE, "Greek, Cyrillic, Hebrew, Arabic, Indic, Thai and other scripts", False
    ),
    Need("Noto Sans CJK SC", "font", packages.NOTO_CJK, "CJK text (Noto CJK fonts)", False),
    Need("lualatex", "program", packages.ENGINES["lualatex"], "design.engine: lualatex", False),
    Need("tgpagella.sty", "tex", packages.TEX_GYRE, "style banking (TeX Gyre Pagella)", False),
    Need("ebgaramond.sty", "tex", packages.ICONS, "style fancy (EB Garamond)", False),
    Need("EB Garamond Initials", "font", packages.EB_GARAMOND_INITIALS, "style fancy under xelatex or lualatex", False),
    Need("pdftoppm", "program", packages.POPPLER, "PNG previews (--png)", False),
    Need("pdftotext", "program", packages.POPPLER, "reading back every PDF built (the text-layer check)", True),
)


@dataclass(frozen=True)
class Finding:
    need: Need
    found: str | None  # version or location; None when missing

    @property
    def install(self) -> str:
        return packages.install(self.need.package)


def examine() -> list[Finding]:
    tex_files = _kpsewhich([need.name for need in NEEDS if need.kind == "tex"])
    fonts = _font_families()
    found = {
        "program": lambda need: _program_version(need.name),
        "tex": lambda need: _file_version(tex_files[need.name]) if need.name in tex_files else None,
        "font": lambda need: "installed" if need.name in fonts else None,
    }
    return [Finding(need, found[need.kind](need)) for need in NEEDS]


def _run(program: str, *args: str) -> str | None:
    path = shutil.which(program)
    if path is None:
        return None
    try:
        done = subprocess.run(
            [path, *args], capture_output=True, text=True, errors="replace", timeout=30, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr


def _program_version(program: str) -> str | None:
    # pdftoppm and pdftotext print their version on stderr with -v; TeX engines take --version.
    out = _run(program, "-v" if program.startswith("pdfto") else "--version")
    if out is None:
        return None
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    return lines[0] if lines else "installed"


def _kpsewhich(names: list[str]) -> dict[str, Path]:
    out = _run("kpsewhich", *names) or ""
    paths = [Path(line.strip()) for line in out.splitlines() if line.strip()]
    return {path.name: path for path in paths if path.name in names}


_PROVIDES = re.compile(
    r"\\Provides(?:Class|Package|ExplPackage|File)\s*\{[^}]*\}\s*(?:\[([^\]]*)\]|\{([^}]*)\}\s*\{([^}]*)\})"
)
_VERSION = re.compile(r"v?(\d+(?:\.\d+)+[a-z]?)")
_DATE = re.compile(r"\d{4}[-/]\d{2}[-/]\d{2}")


def _file_version(path: Path) -> str:
    """`2.3.1 (2022-02-21)` from the file's \\Provides… line, else its path."""
    try:
        head = path.read_text("latin-1")[:20000]
    except OSError:
        return str(path)
    match = _PROVIDES.search(head)
    if not match:
        return str(path)
    info = " ".join(group for group in match.groups() if group)
    version, date = _VERSION.search(_DATE.sub("", info)), _DATE.search(info)
    if version is None:
        return date.group(0) if date else str(path)
    return version.group(1) + (f" ({date.group(0)})" if date else "")


def _font_families() -> set[str]:
    out = _run("fc-list", ":", "family") or ""
    return {family.strip() for line in out.splitlines() for family in line.split(",")}


def scripts() -> tuple[list[str], list[str]]:
    """The scripts this machine can set besides Latin, and those it cannot, grouped by the install command."""
    from .scripts import settable_scripts

    can, cannot = settable_scripts()
    by_package: dict[str, list[str]] = {}
    for script in cannot:
        by_package.setdefault(script.package, []).append(script.name)
    return ["Latin", *(s.name for s in can)], [
        f"{', '.join(names)} ({packages.install(package)})" for package, names in by_package.items()
    ]


def hyphenation() -> tuple[list[str], list[str]]:
    """The languages whose hyphenation patterns this TeX has, and those it lacks, grouped by the
    install command (TeX reads the patterns named in language.dat into its formats)."""
    from .words import packaged_hyphenation

    found = _kpsewhich(["language.dat"])
    installed = _pattern_names(found["language.dat"]) if "language.dat" in found else set()
    by_package: dict[str, list[str]] = {}
    have = ["en"]
    for code, patterns in packaged_hyphenation().items():
        if patterns in installed:
            have.append(code)
        else:
            by_package.setdefault(packages.HYPHENATION[patterns], []).append(code)
    return have, [f"{', '.join(codes)} ({packages.install(package)})" for package, codes in by_package.items()]


def _pattern_names(language_dat: Path) -> set[str]:
    """The names language.dat gives patterns: each line's first word, and =aliases."""
    try:
        lines = language_dat.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    return {line.split()[0].lstrip("=") for line in lines if line.strip() and not line.startswith("%")}
