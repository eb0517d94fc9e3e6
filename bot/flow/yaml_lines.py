"""Parse a flow's YAML keeping where everything is: each mapping's and list item's line.

The loader names `file:line` in every error; these node types carry the lines it needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.errors import FlowError


class _LineMap(dict[str, Any]):
    """A YAML mapping that remembers the line it started on."""

    line: int = 0
    key_lines: dict[str, int]


class _LineList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


# libyaml's parser, when PyYAML has it: ~4× faster, and a run loads its flows before its first
# page. It places some syntax errors a line off, so a file it cannot read is read again by
# `_LineLoader`, whose messages name the line the officer must fix.
class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[_LineList]:
    data = _LineList()
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LineMap]:
    data = _LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if str(key) in data.key_lines:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
        data.key_lines[str(key)] = key_node.start_mark.line + 1
    data.update({str(k): v for k, v in loader.construct_mapping(node).items()})


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line


def parse_yaml(path: Path) -> Any:
    """The file's YAML as `_LineMap`/`_LineList` nodes; a FlowError naming the line if bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FlowError(str(path), None, "the file does not exist", "check the path") from None
    except UnicodeDecodeError:
        raise FlowError(str(path), None, "the file is not UTF-8 text", "save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_FastLineLoader)
    except (yaml.YAMLError, _DuplicateKey):
        pass  # said below, from the line-exact loader
    try:
        return yaml.load(text, Loader=_LineLoader)
    except _DuplicateKey as dup:
        raise FlowError(
            str(path), dup.line, f"the key {dup.key!r} appears twice in one mapping",
            "give each step its own list item, starting with '- '",
        ) from None  # fmt: skip
    except yaml.MarkedYAMLError as exc:
        # At the end of the file the problem mark is past the last line; the context (the
        # bracket or block left open) is where the officer has to look.
        mark = exc.problem_mark
        if exc.context_mark and "stream end" in str(exc.problem):
            mark = exc.context_mark
        line = mark.line + 1 if mark else None
        raise FlowError(
            str(path),
            line,
            f"this is not valid YAML ({exc.problem})",
            "check the indentation (spaces, not tabs) and put a space after each '-' and ':'",
        ) from None
