"""Template families on the search path: where each piece comes from, and copying a family to edit.

A family is a folder of templates (`moderncv/`, `ats/`) in any directory of the search path; the
first directory that has a piece wins, so a user directory can hold a single overridden piece. An
optional `family.yaml` in the family says what it is and declares its design options: each with a
type, a default, the values it allows and a line of help. They are the one declaration that the
validator, `texcv schema`, `--set` and `templates list` read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError, UsageError, UserError, suggest
from .loader import read_data

MANIFEST = "family.yaml"
_MANIFEST_KEYS = {"description": str, "options": dict}
# An option's type: what it accepts (schema.option_spec checks values against it).
OPTION_TYPES = {
    "color": "a colour name of `values`, #RRGGBB or rgb(r,g,b)",
    "length": "a length such as 1.5cm",
    "size": "a size in points within `range` [low, high]",
    "number": "a number within `range` [low, high]",
    "enum": "one of `values`",
    "bool": "true or false",
    "font": "a name of `values` or an installed font family",
}
_OPTION_KEYS = ("type", "default", "help", "values", "range", "needs")


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


def profile_trees(source: str, allowed_dirs: Iterable[Path] = ()) -> tuple[Path, ...]:
    """The folder trees a profile may name files in: its own folder's, and those allowed on the command line."""
    return tuple(Path(folder).resolve() for folder in (Path(source).parent, *allowed_dirs))


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


def search_path(
    profile: dict | None, template_dirs: Iterable[Path] = (), allowed_dirs: Iterable[Path] = ()
) -> list[TemplateDir]:
    return [*user_dirs(profile, template_dirs, allowed_dirs), TemplateDir(packaged_templates(), "packaged with texcv")]


@dataclass
class Piece:
    name: str  # inside the family: "entries/publication.tex.j2"
    source: TemplateDir  # the directory whose copy is used
    overrides: list[TemplateDir] = field(default_factory=list)  # later directories that have it too

    def file(self, family: str) -> Path:
        return self.source.path / family / self.name


@dataclass(frozen=True)
class Option:
    """A design option a family declares: `design.NAME` in a profile, `--set design.NAME=VALUE`."""

    name: str
    type: str  # a key of OPTION_TYPES
    default: Any
    help: str
    values: tuple = ()  # enum: the values; color: the colour names besides #RRGGBB, rgb(); font: sans, roman
    range: tuple[float, float] | None = None  # size: the lowest and highest size, in points
    manifest: Path | None = None  # the family.yaml that declares it
    # A value that works only with some values of another option: {"left": {"style": ("classic", "casual")}}.
    needs: dict[str, dict[str, tuple]] = field(default_factory=dict)

    def describe(self) -> str:
        """What it accepts, in a few words: "classic | casual", "9–12 pt", "true or false"."""
        if self.type == "enum":
            return " | ".join(map(self._with_needs, self.values))
        if self.type == "color":
            return " | ".join(self.values) + " | #RRGGBB | rgb(r,g,b)"
        if self.type == "font":
            return " | ".join(self.values) + " | an installed font family"
        if self.type in ("size", "number") and self.range:
            return f"{self.range[0]:g}–{self.range[1]:g}" + (" pt" if self.type == "size" else "")
        return OPTION_TYPES[self.type]

    def _with_needs(self, value: Any) -> str:
        """ "left (style classic, casual)": a value with the other options' values it works with."""
        needs = "; ".join(
            f"{other} {', '.join(map(str, allowed))}" for other, allowed in self.needs.get(value, {}).items()
        )
        return f"{value} ({needs})" if needs else str(value)


@dataclass
class Family:
    name: str
    pieces: list[Piece]
    description: str = ""
    options: dict[str, Option] = field(default_factory=dict)


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


def declared(path: list[TemplateDir]) -> dict[str, Family]:
    """Each family that has a manifest, with the design options it declares: the first manifest on the
    search path wins, as for any piece. Read without walking the families' pieces (every build
    checks its design options); a folder that cannot be read has none."""
    found: dict[str, Family] = {}
    for directory in path:
        try:
            folders = sorted(p for p in directory.path.iterdir() if not p.name.startswith((".", "_")))
        except OSError:
            continue
        for folder in folders:
            manifest = folder / MANIFEST
            try:
                present = folder.name not in found and manifest.is_file()
            except OSError:
                continue
            if present:
                if directory.trees is not None and not any(
                    manifest.resolve().is_relative_to(t) for t in directory.trees
                ):
                    raise TemplateError(
                        f"{manifest}: a link leading out of the profile's folder {directory.trees[0]} is not followed "
                        "(allow its target's folder with --allow-dir DIR)"
                    )
                found[folder.name] = Family(folder.name, [])
                _read_manifest(found[folder.name], manifest)
    return found


def _read_manifest(family: Family, file: Path) -> None:
    try:
        data = read_data(file.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"{file}: cannot read the family manifest: {exc}") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{file}: a family manifest is a mapping with keys {', '.join(_MANIFEST_KEYS)}")
    for key, value in data.items():
        kind = _MANIFEST_KEYS.get(key)
        if kind is None or not isinstance(value, kind):
            expected = "text" if kind is str else "a mapping"
            raise TemplateError(f"{file}: {key}: expected {expected} (known keys: {', '.join(_MANIFEST_KEYS)})")
    family.description = data.get("description", "")
    family.options = {str(name): _option(file, str(name), spec) for name, spec in data.get("options", {}).items()}


def _option(file: Path, name: str, spec: Any) -> Option:
    """One declared option. Whether its default is a value it accepts is the validator's to say
    (schema.check_declarations), as for any value."""
    where = f"{file}: options.{name}"
    if not isinstance(spec, dict) or set(spec) - set(_OPTION_KEYS) or not {"type", "default", "help"} <= set(spec):
        raise TemplateError(f"{where}: expected a mapping with type, default, help (and values or range)")
    kind = spec["type"]
    if kind not in OPTION_TYPES:
        raise TemplateError(f"{where}: type {kind!r} is not one of {', '.join(OPTION_TYPES)}")
    values, bounds = spec.get("values", []), spec.get("range")
    if kind in ("enum", "color", "font") and (not isinstance(values, list) or (kind == "enum" and not values)):
        raise TemplateError(f"{where}: a {kind} option lists its `values`")
    needs = spec.get("needs", {})
    if not isinstance(needs, dict) or not all(
        isinstance(other, dict) and all(isinstance(v, list) for v in other.values()) for other in needs.values()
    ):
        raise TemplateError(f"{where}: needs: expected a mapping VALUE: {{OPTION: [values it works with]}}")
    if kind in ("size", "number") and not (
        isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, (int, float)) for b in bounds)
    ):
        raise TemplateError(f"{where}: a {kind} option gives its `range`: [lowest, highest]")
    return Option(
        name,
        kind,
        spec["default"],
        str(spec["help"]),
        tuple(values),
        tuple(bounds) if bounds else None,
        file,
        {value: {other: tuple(allowed) for other, allowed in by.items()} for value, by in needs.items()},
    )


def find(path: list[TemplateDir], name: str) -> Family:
    available = families(path)
    for family in available:
        if family.name == name:
            return family
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
