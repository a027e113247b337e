"""Template families on the search path: where each piece comes from, and copying a family to edit.

A family is a folder of templates (`moderncv/`, `ats/`) in any directory of the search path; the
first directory that has a piece wins, so a user directory can hold a single overridden piece. An
optional `family.yaml` in the family says what it is and which styles and colours it offers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from .errors import TemplateError, UsageError, UserError

MANIFEST = "family.yaml"
_MANIFEST_KEYS = {"description": str, "styles": list, "colors": list}


def packaged_templates() -> Path:
    """Default templates: inside the installed package, or the source tree's templates/."""
    packaged = Path(str(files("texcv"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class TemplateDir:
    path: Path
    origin: str  # how it got on the search path
    # A directory a profile names stays in the profile's folder tree (or an --allow-dir): templates
    # whose links resolve outside these trees are not read. None: the user's own choice, anywhere.
    trees: tuple[Path, ...] | None = None


def user_dirs(
    profile: dict | None, template_dirs: Iterable[Path] = (), allowed_dirs: Iterable[Path] = ()
) -> list[TemplateDir]:
    """Template directories before the packaged ones, in lookup order: command line, then the
    profile's design.template_dir, then a templates/ folder next to the profile."""
    dirs = [TemplateDir(Path(d).resolve(), "--template-dir") for d in template_dirs]
    missing = [str(d.path) for d in dirs if not d.path.is_dir()]
    if missing:
        raise UsageError(f"--template-dir: no such directory: {', '.join(missing)}")
    if profile is not None:
        from .schema import profile_trees  # loaded with the profile

        trees = profile_trees(profile["source"], allowed_dirs)
        if profile["design"]["template_dir"] is not None:
            named = profile["design"]["template_dir"]
            # Outside every tree only when given with --set design.template_dir: the user's choice.
            confined = any(named.is_relative_to(tree) for tree in trees)
            dirs.append(TemplateDir(named, "design.template_dir", trees if confined else None))
        local = Path(profile["source"]).resolve().parent / "templates"
        if local.is_dir():  # next to the profile's real file: its folder is one of the trees too
            dirs.append(TemplateDir(local, "templates/ next to the profile", (local.parent, *trees)))
    unique: dict[Path, TemplateDir] = {}
    for d in dirs:
        unique.setdefault(d.path, d)
    return list(unique.values())


def search_path(profile: dict | None, template_dirs: Iterable[Path] = ()) -> list[TemplateDir]:
    return [*user_dirs(profile, template_dirs), TemplateDir(packaged_templates(), "packaged with texcv")]


@dataclass
class Piece:
    name: str  # inside the family: "entries/publication.tex.j2"
    source: TemplateDir  # the directory whose copy is used
    overrides: list[TemplateDir] = field(default_factory=list)  # later directories that have it too

    def file(self, family: str) -> Path:
        return self.source.path / family / self.name


@dataclass
class Family:
    name: str
    pieces: list[Piece]
    description: str = ""
    styles: list[str] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)


def families(path: list[TemplateDir]) -> list[Family]:
    """Every family on the search path, with the winning copy of each of its pieces."""
    found: dict[str, dict[str, Piece]] = {}
    for directory in path:
        for folder in sorted(p for p in directory.path.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            pieces = found.setdefault(folder.name, {})
            for file in sorted(folder.rglob("*")):
                name = file.relative_to(folder).as_posix()
                if not file.is_file() or any(part.startswith((".", "_")) for part in name.split("/")):
                    continue
                if name in pieces:
                    pieces[name].overrides.append(directory)
                else:
                    pieces[name] = Piece(name, directory)
    out = []
    for name, pieces in sorted(found.items()):
        family = Family(name, sorted(pieces.values(), key=lambda p: (p.name.count("/"), p.name)))
        if MANIFEST in pieces:
            _read_manifest(family, pieces[MANIFEST].file(name))
        out.append(family)
    return out


def _read_manifest(family: Family, file: Path) -> None:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"{file}: cannot read the family manifest: {exc}") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{file}: a family manifest is a mapping with keys {', '.join(_MANIFEST_KEYS)}")
    for key, value in data.items():
        kind = _MANIFEST_KEYS.get(key)
        if kind is None or not isinstance(value, kind):
            raise TemplateError(
                f"{file}: {key}: expected {'text' if kind is str else 'a list'} (known keys: {', '.join(_MANIFEST_KEYS)})"
            )
        setattr(family, key, value if kind is str else [str(v) for v in value])


def find(path: list[TemplateDir], name: str) -> Family:
    available = families(path)
    for family in available:
        if family.name == name:
            return family
    from .schema import suggest

    names = [f.name for f in available]
    raise UserError(
        f"no template family {name!r} on the search path (families: {', '.join(names)}){suggest(name, names)}"
    )


def export(family: Family, target: Path, force: bool = False, new_name: str | None = None) -> list[tuple[Path, Piece]]:
    """Copy every piece of `family` (the copies in use) into target/<new_name or its name>/.
    Refuses to replace existing files unless `force`; returns what was written."""
    destination = target / (new_name or family.name)
    copies = [(destination / piece.name, piece) for piece in family.pieces]
    existing = [str(file) for file, _ in copies if file.exists()]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise UserError(f"not overwriting {len(existing)} existing file(s): {shown} (use --force to replace them)")
    for file, piece in copies:
        source = piece.file(family.name)
        if file.exists() and file.samefile(source):  # exporting a family onto its own directory
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, file)
    return copies
