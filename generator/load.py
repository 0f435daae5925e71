"""Read a YAML file into plain Python values, remembering the line and column of each value.

PyYAML's ``safe_load`` is not enough for data people edit by hand: it keeps the last of two
duplicate keys without a word, raises a bare ``ValueError`` with no line for ``2024-02-30``,
and its C composer crashes on deeply nested input. So we compose the node tree with libyaml
(fast), guard the nesting depth first, and build the values ourselves from the nodes, which
carry their marks.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import events, nodes

from generator.errors import Problem
from generator.text import printable
from generator.values import YAMLValue

MAX_INCIDENT_BYTES = 256 * 1024
MAX_LIST_BYTES = 4 * 1024 * 1024  # bases.yaml, actors.yaml, dataset.yaml

Loc = tuple[str | int, ...]

MAX_DEPTH = 16  # an incident needs 3 levels; this refuses bombs, not real data
_BRACKET_GUARD = 200  # more flow brackets than this and we count the depth exactly first
# libyaml when it is there (several times faster), else the pure-Python loader.
LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_constructor = yaml.constructor.SafeConstructor()
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"

# Characters YAML 1.1 does not allow in a stream (it allows tab, LF, CR, NEL and the rest).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

# What usually causes each libyaml complaint, in words a non-programmer can act on.
_SYNTAX_HINTS = (
    ("'\\t'", "a tab is not allowed here; use spaces"),
    ("mapping values are not allowed", "a value that contains ': ' must be put in quotes"),
    (
        "could not find expected ':'",
        "every line needs 'key: value'; continuation lines of a long text must be indented",
    ),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("did not find expected ',' or ']'", "a [list] is not closed with ]"),
    ("did not find expected ',' or '}'", "a {mapping} is not closed with }"),
    ("found unexpected end of stream", "a quote is not closed"),
    (
        "found unknown escape character",
        'inside "double quotes" a backslash starts an escape; use single quotes instead',
    ),
    ("found undefined alias", "'*' starts a YAML alias; put the value in quotes"),
    (
        "expected alphabetic or numeric character",
        "'&' or '*' starts YAML syntax; put the value in quotes",
    ),
    ("but found another document", "'---' starts a second document; one incident per file"),
    ("found character '@'", "a value cannot start with '@' or '`'; put it in quotes"),
    ("found character '`'", "a value cannot start with '@' or '`'; put it in quotes"),
)


@dataclass(frozen=True)
class Mark:
    line: int
    col: int


def value_at(value: object, loc: Sequence[object]) -> object:
    """The value at ``loc`` (keys and indexes) inside ``value``, or None when there is none."""
    for part in loc:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return None
    return value


@dataclass
class Document:
    """The values of one YAML file and where each of them starts."""

    path: str
    value: YAMLValue
    marks: dict[Loc, yaml.Mark] = field(default_factory=dict)  # libyaml's own 0-based marks
    key_marks: dict[Loc, yaml.Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # found while reading
    bad: set[Loc] = field(default_factory=set)  # values already reported (left out)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Where the value at ``loc`` starts (or its key, if ``key``), else its nearest parent."""
        found: yaml.Mark | None
        if key and loc in self.key_marks:
            found = self.key_marks[loc]
        else:
            while loc not in self.marks and loc:
                loc = loc[:-1]
            found = self.marks.get(loc)
        return Mark(found.line + 1, found.column + 1) if found is not None else Mark(1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        mark = self.mark(loc, key=key)
        return Problem(self.path, mark.line, mark.col, format_loc(loc), message, loc)


def format_loc(loc: Loc) -> str:
    """('sources', 0, 'url') -> 'sources[0].url'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "file"


def read_yaml(path: Path, display: str, *, max_bytes: int) -> Document:
    """Read and parse one file.

    Problems go in ``Document.problems``. If the file could not be parsed at all, the value
    is None; otherwise broken values (an impossible date, a second copy of a key) are left
    out and their locations listed in ``Document.bad``, so that checking can go on and
    report everything else in the same run.
    """
    builder = _Builder(display)
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= max_bytes else None
    except OSError as e:
        builder.at(1, 1, "file", f"cannot be read: {e.strerror}")
        return builder.document(None)
    if raw is None:
        builder.at(1, 1, "file", _too_big(size, max_bytes))
        return builder.document(None)
    return builder.document(builder.build_document(_decode(raw, builder)))


def parse_yaml(raw: bytes, display: str, *, max_bytes: int) -> Document:
    """``read_yaml`` for bytes read elsewhere (a version of a file in git's history)."""
    builder = _Builder(display)
    if len(raw) > max_bytes:
        builder.at(1, 1, "file", _too_big(len(raw), max_bytes))
        return builder.document(None)
    return builder.document(builder.build_document(_decode(raw, builder)))


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size:,} bytes; the limit is {limit:,}. "
        "A record this large is almost certainly a mistake (pasted data or a binary file)"
    )


def _decode(raw: bytes, builder: _Builder) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        builder.at(
            1, 1, "file", "starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )
        return ""
    if b"\x00" in raw:
        line, col = _position(raw, raw.index(b"\x00"))
        builder.at(line, col, "file", "contains a NUL byte: this is a binary file, not YAML text")
        return ""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _position(raw, e.start)
        builder.at(
            line, col, "file", f"is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save it as UTF-8"
        )
        return ""


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


class _Builder:
    """Builds Python values from a node tree, collecting marks and problems."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self.marks: dict[Loc, yaml.Mark] = {}
        self.key_marks: dict[Loc, yaml.Mark] = {}
        self.bad: set[Loc] = set()
        self.fatal = False  # a structural problem: the file's values cannot be used at all
        self._seen: set[int] = set()

    def at(self, line: int, col: int, fld: str, message: str) -> Problem:
        problem = Problem(self.display, line, col, fld, message)
        self.problems.append(problem)
        return problem

    def at_node(self, node: nodes.Node, loc: Loc, message: str, *, bad: bool = True) -> None:
        m = node.start_mark
        self.problems.append(
            Problem(self.display, m.line + 1, m.column + 1, format_loc(loc), message, loc)
        )
        if bad:
            self.bad.add(loc)

    def document(self, value: YAMLValue) -> Document:
        return Document(self.display, value, self.marks, self.key_marks, self.problems, self.bad)

    def build_document(self, text: str) -> YAMLValue:
        if self.problems:
            return None
        if not text.strip():
            self.at(1, 1, "file", "the file is empty; an incident is a mapping of fields")
            return None
        checks = (self._check_characters, self._check_indentation, self._check_structure)
        if not all(check(text) for check in checks):
            return None
        try:
            root = yaml.compose(text, Loader=LOADER)
        except yaml.MarkedYAMLError as e:
            self._syntax_problem(e)
            return None
        except yaml.YAMLError as e:  # errors without a position, e.g. from the reader
            self.at(1, 1, "syntax", str(e).splitlines()[0])
            return None
        if root is None:
            self.at(1, 1, "file", "the file has only comments; an incident is a mapping of fields")
            return None
        value = self._build(root, (), 0)
        if value is None and not self.problems:  # `~` or `null`: never drop a file silently
            self.at(
                1,
                1,
                "file",
                "the file holds only an empty value; an incident is a mapping of fields",
            )
        return None if self.fatal else value

    def _check_indentation(self, text: str) -> bool:
        for number, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                self.at(
                    number,
                    indent.index("\t") + 1,
                    "syntax",
                    "a tab is used for indentation; YAML needs spaces (set your editor to "
                    "insert spaces)",
                )
                return False
        return True

    def _check_characters(self, text: str) -> bool:
        """YAML allows no control characters but tab and line breaks; say where one is."""
        m = _NON_PRINTABLE.search(text)
        if m is None:
            return True
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        self.at(
            line,
            col,
            "file",
            f"contains the control character U+{ord(m.group()):04X}, "
            "which YAML does not allow; delete it (it often comes from copying out of a "
            "PDF or a spreadsheet)",
        )
        return False

    def _check_structure(self, text: str) -> bool:
        """Refuse anchors, aliases and deep nesting before libyaml's composer sees them.

        libyaml's composer is recursive (deep input crashes the interpreter) and expands
        aliases (a few lines can stand for gigabytes). The event parser is iterative, so it
        is used to look first, but only when the text could hold either.
        """
        if (
            "&" not in text
            and "*" not in text
            and (text.count("[") + text.count("{") <= _BRACKET_GUARD)
        ):
            return True
        depth = 0
        try:
            for event in yaml.parse(text, Loader=LOADER):
                m = event.start_mark
                assert m is not None  # libyaml marks every event
                if isinstance(event, events.AliasEvent) or getattr(event, "anchor", None):
                    self.at(
                        m.line + 1,
                        m.column + 1,
                        "syntax",
                        "YAML anchors (&name) and aliases (*name) are not allowed; write "
                        "the value out, or put text starting with & or * in quotes",
                    )
                    return False
                if isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
                    depth += 1
                    if depth > MAX_DEPTH:
                        self.at(
                            m.line + 1,
                            m.column + 1,
                            "syntax",
                            f"nested more than {MAX_DEPTH} levels deep; records are flat",
                        )
                        return False
                elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                    depth -= 1
        except yaml.MarkedYAMLError as e:
            self._syntax_problem(e)
            return False
        return True

    def _syntax_problem(self, e: yaml.MarkedYAMLError) -> None:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or "").strip()
        context = (e.context or "").strip()
        message = f"{context}: {problem}" if context and problem else (problem or context)
        hint = next((h for pattern, h in _SYNTAX_HINTS if pattern in message), "")
        self.at(line, col, "syntax", f"{message}{'; ' + hint if hint else ''}")

    # The three methods below run for every value of every file: they keep libyaml's marks
    # as they are (converted only for a message) and take plain strings, the commonest
    # value, without the constructor.

    def _build(self, node: nodes.Node, loc: Loc, depth: int) -> YAMLValue:
        self.marks[loc] = node.start_mark
        if depth > MAX_DEPTH:  # block nesting (bounded by the size limit) is caught here
            m = node.start_mark
            self.at(
                m.line + 1,
                m.column + 1,
                "syntax",
                f"nested more than {MAX_DEPTH} levels deep; records are flat",
            )
            self.fatal = True
            return None
        if id(node) in self._seen:  # an alias; _check_structure refuses them first
            self.at_node(node, loc, "YAML aliases are not allowed")
            self.fatal = True
            return None
        self._seen.add(id(node))
        if isinstance(node, nodes.ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, nodes.MappingNode):
            return self._mapping(node, loc, depth)
        if node.tag != _SEQ:
            self._bad_tag(node, loc)
            return None
        return [self._build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]

    def _mapping(self, node: nodes.MappingNode, loc: Loc, depth: int) -> YAMLValue:
        if node.tag != _MAP:
            self._bad_tag(node, loc)
            return None
        result: dict[str, YAMLValue] = {}
        first_seen: dict[str, nodes.Node] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, loc) if isinstance(key_node, nodes.ScalarNode) else None
            if not isinstance(key, str):
                self.at_node(key_node, loc, "every key must be a plain name such as 'date'")
                continue
            child = (*loc, key)
            if key in first_seen:
                self.at_node(
                    key_node,
                    child,
                    f"duplicate key: '{key}' is already set on line "
                    f"{first_seen[key].start_mark.line + 1}; YAML would silently keep only "
                    "the last one. Remove one of them",
                    bad=False,
                )
                continue
            first_seen[key] = key_node
            self.key_marks[child] = key_node.start_mark
            result[key] = self._build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: nodes.Node, loc: Loc) -> YAMLValue:
        tag = node.tag
        if tag == _STR:
            text: str = node.value
            return text
        if tag not in _SCALAR_TAGS:
            self._bad_tag(node, loc)
            return None
        try:
            value: YAMLValue = _constructor.yaml_constructors[tag](_constructor, node)
            return value
        except Exception:
            # (`!!bool "maybe"` is a KeyError, `!!timestamp "hello"` a TypeError)
            shown = printable(str(node.value))
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            if tag == "tag:yaml.org,2002:timestamp":
                self.at_node(node, loc, f"'{shown}' is not a real date (check the day and month)")
            else:
                kind = tag.rsplit(":", 1)[-1]
                self.at_node(
                    node,
                    loc,
                    f"cannot read '{shown}' as {kind}; remove the '!!{kind}' tag or fix the value",
                )
            return None

    def _bad_tag(self, node: nodes.Node, loc: Loc) -> None:
        self.at_node(node, loc, f"the YAML tag '{node.tag}' is not allowed; write plain values")
        return None
