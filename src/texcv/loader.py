"""Stage 1: read a profile file into plain Python data, remembering where every value came from.

PyYAML is used only to scan and compose nodes; values are built here from the node tree, so no
tag is ever evaluated and no alias is ever expanded. Every refusal becomes a located Problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Problem, ProfileError

MAX_BYTES = 2 * 1024 * 1024  # a 300-publication CV is ~150 kB; anything far larger is a mistake
MAX_DEPTH = 32

Path_ = tuple  # a location in the data: ("sections", 0, "entries", 2, "title")

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the written text: dates are validated by texcv
}


@dataclass
class Source:
    """A profile file as loaded: its data, and where each value (or mapping key) sits in it."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Numbers as written where YAML reads them otherwise (07 → 7, 0777 → 511, 2019_09 → 201909):
    # messages quote what the user wrote, and dates read as such numbers are refused (schema.Date).
    written: dict[Path_, str] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column of `path`, or of its nearest located ancestor."""
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return None, None
            path = path[:-1]

    # Values given with --set KEY=VALUE: messages about them (and what is inside them) name the command line.
    command_line: set[Path_] = field(default_factory=set)
    # Another file's data placed at a path (a letter file's letter under its profile's `letters`):
    # messages about it (and what is inside it) name that file, its lines and its own field paths.
    grafts: dict[Path_, Source] = field(default_factory=dict)

    def problem(self, path: Path_, message: str) -> Problem:
        if any(path[: len(given)] == given for given in self.command_line):
            return Problem("command line", None, None, dotted(path), message)
        for at, other in self.grafts.items():
            if path[: len(at)] == at:
                return other.problem(path[len(at) :], message)
        line, column = self.locate(path)
        return Problem(self.file, line, column, dotted(path), message)

    def override(self, path: Path_, value: Any) -> None:
        """Put a value given on the command line at `path` (mappings on the way made as needed), to be
        validated with the file. ValueError says why it cannot go there."""
        if not isinstance(self.data, dict):
            raise ValueError("the file is not a mapping of keys")
        parent = self.data
        for depth, part in enumerate(path[:-1]):
            child = parent.get(part)
            if child is None:
                child = parent[part] = {}
            if not isinstance(child, dict):
                where = dotted(path[: depth + 1])
                raise ValueError(f"{where} is {'a list' if isinstance(child, list) else 'text'} in the file, not keys")
            parent = child
        parent[path[-1]] = value
        self.command_line.add(path)

    def graft(self, path: Path_, other: Source) -> None:
        """Put `other`'s data at `path` (a mapping made there as needed); its numbers keep how they were written."""
        parent = self.data
        for part in path[:-1]:
            if not isinstance(parent.get(part), dict):
                parent[part] = {}
            parent = parent[part]
        parent[path[-1]] = other.data
        self.grafts[path] = other
        self.written.update({path + where: text for where, text in other.written.items()})


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{_shown(part)}" if out else _shown(part))
    return out


def _shown(key: str) -> str:
    """A key as it can be printed: control, format and surrogate characters escaped (a key could
    otherwise send terminal escape sequences), as repr() shows values."""
    if key.isprintable():
        return key
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in key)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_problem(text: str) -> str | None:
    """YAML's "\\uDC80" escape gives half of a UTF-16 pair, which no UTF-8 file or PDF can hold."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    where = f"U+{ord(found.group()):04X} at character {found.start() + 1}"
    return (
        f"{text!r} has a lone surrogate {where}, half of a UTF-16 pair and not a character; write the character "
        "itself, or as \\U followed by 8 hex digits"
    )


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str):
        self.mark, self.message = mark, message


class _Refusals:
    """Composes nodes only; refuses aliases and excessive nesting before they cost anything.
    Mixed into a loader class, whose parser provides the events."""

    if TYPE_CHECKING:

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, "YAML aliases (*name) are not allowed in a profile; write the value out")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "YAML anchors (&name) are not allowed in a profile; write the value out")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _ComposeLoader(_Refusals, yaml.SafeLoader):
    """Pure Python: the reference, with PyYAML's most helpful error messages."""


try:  # libyaml scans and parses ~10× faster; composing stays in Python, with the refusals above
    from yaml._yaml import CParser

    class _FastComposeLoader(
        _Refusals, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
    ):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

except ImportError:  # PyYAML built without libyaml
    _FastComposeLoader = _ComposeLoader  # type: ignore[misc,assignment]


def read_data(text: str) -> Any:
    """YAML that texcv reads as plain data without locations (family manifests, locale files):
    safe, and through libyaml when PyYAML has it (a manifest: 0.4 ms instead of 2)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_text(path: Path) -> str:
    """The file's text, or a ProfileError naming exactly why it cannot be read."""
    name = str(path)

    def fail(message: str) -> ProfileError:
        return ProfileError([Problem(name, None, None, "", message)])

    if not path.exists():
        raise fail("no such file")
    if path.is_dir():
        raise fail("is a directory, not a profile file")
    limit = f"profiles are limited to {MAX_BYTES // (1024 * 1024)} MB"
    try:
        size = path.stat().st_size  # 0 for a pipe (texcv build <(…)) or a device: only reading tells
        if size > MAX_BYTES:
            raise fail(f"file is {size / 1e6:.1f} MB; {limit}")
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # a pipe is read once, and never past the limit
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"more than {MAX_BYTES // (1024 * 1024)} MB (reading stopped there); {limit}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw[: exc.start].decode("utf-8", errors="replace"))
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}){_utf16_hint(raw)}; save the file as UTF-8"
        raise ProfileError([Problem(name, line, column, "", message)]) from None
    if not text.strip():
        raise fail("file is empty")
    return text


def _line_column(before: str) -> tuple[int, int]:
    """Line and column (from 1) of the character that follows `before`."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _utf16_hint(raw: bytes) -> str:
    """UTF-16 text has a NUL next to every ASCII character (or starts with a byte order mark)."""
    return " (it looks like UTF-16)" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200] else ""


def load(path: Path | str) -> Source:
    path = Path(path)
    return parse(read_text(path), str(path))


def parse(text: str, name: str) -> Source:
    # NFC first: a decomposed "café" would otherwise escape, hyphenate and compare differently.
    text = unicodedata.normalize("NFC", text)
    doc = Source(name, None)
    try:
        node, loader = _compose(text)
    except _Refused as exc:
        raise ProfileError([_at(name, exc.mark, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ProfileError([_at(name, exc.problem_mark, _syntax_message(exc))]) from None
    except yaml.reader.ReaderError as exc:  # a control character: its position is an index into the text
        raise ProfileError([_control_character(name, text, exc)]) from None
    if node is None:
        raise ProfileError([Problem(name, None, None, "", "file has no content")])
    problems: list[Problem] = []
    doc.data = _build(node, (), doc, problems, loader)
    if problems:
        raise ProfileError(problems)
    return doc


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The root node, and the loader that composed it (its constructor builds plain scalars)."""
    if not yaml.reader.Reader.NON_PRINTABLE.search(text):
        fast = _FastComposeLoader(text)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            pass  # read again by the Python parser below, for its error messages
    loader = _ComposeLoader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


def _control_character(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    line, column = _line_column(text[: exc.position])
    if exc.character == 0 and _utf16_hint(text.encode("utf-8")):
        return Problem(name, line, column, "", "NUL characters: the file looks like UTF-16; save it as UTF-8")
    message = f"character U+{exc.character:04X} is not allowed in a profile (YAML forbids it); remove it"
    return Problem(name, line, column, "", message)


def _at(name: str, mark: yaml.Mark | None, message: str) -> Problem:
    if mark is None:
        return Problem(name, None, None, "", message)
    return Problem(name, mark.line + 1, mark.column + 1, "", message)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    if "'\\t'" in problem or "\\t" in problem:
        return "tab character used for indentation; YAML indents with spaces"
    context = f" ({exc.context})" if exc.context else ""
    return f"YAML syntax error: {problem}{context}"


def _build(node: yaml.Node, path: Path_, doc: Source, problems: list[Problem], loader: yaml.SafeLoader) -> Any:
    doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            problems.append(doc.problem(path, f"YAML tag {node.tag!r} is not allowed in a profile"))
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(_at(doc.file, key_node.start_mark, "YAML merge keys (<<) are not allowed in a profile"))
                continue
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR):
                problems.append(
                    _at(doc.file, key_node.start_mark, f"{dotted(path) + ': ' if path else ''}keys must be plain text")
                )
                continue
            key = key_node.value
            child = path + (key,)
            if (surrogate := _surrogate_problem(key)) is not None:
                problems.append(_at(doc.file, key_node.start_mark, f"{dotted(child)}: {surrogate}"))
                continue
            if key in out:
                first = doc.marks[child][0]
                problems.append(
                    _at(doc.file, key_node.start_mark, f"{dotted(child)}: duplicate key (first given on line {first})")
                )
                continue
            doc.marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, child, doc, problems, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.append(doc.problem(path, f"YAML tag {node.tag!r} is not allowed in a profile"))
            return None
        return [_build(item, path + (i,), doc, problems, loader) for i, item in enumerate(node.value)]
    if node.tag not in _PLAIN_TAGS:
        problems.append(doc.problem(path, f"YAML tag {node.tag!r} is not allowed in a profile"))
        return None
    if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
        if (surrogate := _surrogate_problem(node.value)) is not None:
            problems.append(doc.problem(path, surrogate))
        return node.value
    value = loader.construct_object(node)  # int, float, bool or null: standard tags only
    if isinstance(value, (int, float)) and not isinstance(value, bool) and node.value != str(value):
        doc.written[path] = node.value
    return value
