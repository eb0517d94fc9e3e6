"""Read a YAML flow into a `Flow`, with errors that name file:line, the step and the fix.

This is the only module that reads YAML flows. Parsing keeps each mapping's line number, turns
the one-key-per-step shorthand into the shape of `bot.flow.model`, inlines `run:` sub-flows, and
lets pydantic validate the result.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.data.inputs import require_file
from bot.errors import FlowError
from bot.flow.model import IRREVERSIBLE_EXAMPLE, STEP_KINDS, Flow

_COMMON = ("label", "optional", "timeout_ms")
_LOCATOR_KEYS = (
    "role", "name", "label", "text", "placeholder", "testid", "css", "exact", "has_text", "within",
)  # fmt: skip

# A correct example of each step, shown when a step of that kind is malformed.
EXAMPLES = {
    "goto": "- goto: student/list.do",
    "fill": '- fill: {label: ชื่อ, value: "${record.first_name}"}',
    "fill_form": '- fill_form: {ชื่อ: "${record.first_name}", นามสกุล: "${record.last_name}"}',
    "select": '- select: {label: ระดับชั้น, option: "${record.grade}"}',
    "check": "- check: {label: Remember me}",
    "click": "- click: {role: button, name: บันทึก}",
    "expect": "- expect: {text: บันทึกข้อมูลเรียบร้อย}",
    "reject_on": "- reject_on: {css: .alert-danger}",
    "upload": '- upload: {label: ไฟล์รายงาน SAR (PDF), file: "${record.pdf}"}',
    "screenshot": "- screenshot: after-save   # or {name: receipt, testid: status-row}",
    "mark": "- mark: added",
    "snapshot": "- snapshot: {download: report/rpt318.do}",
    "verify": "- verify: snapshot",
    "require": "- require: {records: equal, message: บันทึกข้อมูลให้ครบก่อนยืนยัน}",
    "extract": '- extract: {name: schools, rows: {css: "tr[data-testid^=school-]"}}',
    "run": "- run: lec/login",
    "when": "- when: {visible: {text: ไม่พบข้อมูล}}\n    steps: [...]\n    else: [...]",
    "for_each": "- for_each: record\n    steps: [...]",
}


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


def _parse_yaml(path: Path) -> Any:
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


class _Reader:
    """Turns parsed YAML of one file into model-shaped dicts, remembering where it is."""

    def __init__(self, path: Path, root: Path, stack: tuple[Path, ...]) -> None:
        self.path, self.root, self.stack = path, root, stack
        self.header_lines: dict[str, int] = {}

    def fail(self, line: int | None, problem: str, fix: str = "") -> FlowError:
        return FlowError(str(self.path), line, problem, fix)

    def flow(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(
                1,
                "a flow must be a mapping with name, portal and steps",
                "start the file with `name: ...`, `portal: lec` and `steps:`",
            )
        line = getattr(data, "line", 1)
        for required in ("name", "portal", "steps"):
            if required not in data:
                raise self.fail(
                    line, f"the flow has no `{required}:`", f"add `{required}:` at the top"
                )
        self.header_lines = dict(getattr(data, "key_lines", {}))
        out: dict[str, Any] = {k: v for k, v in data.items() if k != "steps"}
        out["steps"] = self.steps(data["steps"], line)
        out["path"] = str(self.path)
        return out

    def steps(self, items: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(items, list) or not items:
            raise self.fail(
                line,
                "`steps:` must be a non-empty list of steps",
                "write each step on its own line starting with '- ', e.g. " + EXAMPLES["goto"],
            )
        lines = getattr(items, "item_lines", [line] * len(items))
        return [self.step(item, item_line) for item, item_line in zip(items, lines, strict=True)]

    def step(self, item: Any, item_line: int) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise self.fail(
                item_line,
                f"a step must be a mapping like `- click: ...`, got {item!r}",
                "write e.g. " + EXAMPLES["click"],
            )
        line: int = getattr(item, "line", item_line)
        kinds = [k for k in item if k in STEP_KINDS]
        unknown = [k for k in item if k not in STEP_KINDS and k not in (*_COMMON, "steps", "else")]
        if unknown and not kinds:
            guess = difflib.get_close_matches(str(unknown[0]), STEP_KINDS, n=1)
            hint = f"did you mean `{guess[0]}`? " if guess else ""
            raise self.fail(
                line, f"unknown step `{unknown[0]}`", f"{hint}steps are: {', '.join(STEP_KINDS)}"
            )
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            raise self.fail(
                line,
                f"a step needs exactly one action key (found: {found})",
                "split it into one list item per action, e.g.\n    " + EXAMPLES["click"],
            )
        kind = kinds[0]
        if unknown:
            raise self.fail(
                line,
                f"`{kind}` step has an unknown key `{unknown[0]}`",
                f"a {kind} step looks like:\n    {EXAMPLES[kind]}",
            )
        common = {k: item[k] for k in _COMMON if k in item}
        shaped = self.shape(kind, item, line)
        return {"kind": kind, **common, **shaped, "line": line}

    def shape(self, kind: str, item: dict[str, Any], line: int) -> dict[str, Any]:
        arg = item[kind]
        match kind:
            case "goto":
                return {"path": arg}
            case "screenshot":
                if isinstance(arg, dict):
                    rest = {k: v for k, v in arg.items() if k != "name"}
                    return {"name": arg.get("name"), **({"locator": rest} if rest else {})}
                return {"name": arg}
            case "mark":
                return {"outcome": arg}
            case "snapshot":
                return {"download": arg} if isinstance(arg, str) else dict(arg)
            case "verify":
                return {"against": arg}
            case "extract":
                spec = dict(arg) if isinstance(arg, dict) else {"name": arg}
                for key in ("rows", "text"):
                    if key in spec:
                        spec[key] = _as_locator(spec[key])
                return spec
            case "require":
                if not isinstance(arg, dict):
                    return {"condition": arg}
                extra = {k: arg[k] for k in ("message", "list", "school") if k in arg}
                rest = {k: v for k, v in arg.items() if k not in ("message", "list", "school")}
                return {"condition": _condition(rest), **extra}
            case "run":
                return {"flow": arg, "steps": self.subflow(arg, line)}
            case "fill_form":
                if isinstance(arg, dict) and "fields" in arg:
                    return dict(arg)
                return {"fields": arg}
            case "expect":
                return _expectation(arg)
            case "when":
                out: dict[str, Any] = {"condition": _condition(arg)}
                out["steps"] = self.steps(item.get("steps"), line)
                if "else" in item:
                    out["otherwise"] = self.steps(item["else"], line)
                return out
            case "for_each":
                return {"over": arg, "steps": self.steps(item.get("steps"), line)}
            case "click":
                return _click(arg)
            case _:
                return _split_locator(arg)

    def subflow(self, name: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(name, str) or not name:
            raise self.fail(
                line, "`run:` needs the name of a flow", "write e.g. " + EXAMPLES["run"]
            )
        candidates = [self.path.parent / f"{name}.yaml", self.root / f"{name}.yaml"]
        target = next((c for c in candidates if c.is_file()), None)
        if target is None:
            raise self.fail(
                line,
                f"sub-flow `{name}` not found (looked for {candidates[-1]})",
                "name a flow relative to the flows folder, without .yaml, e.g. lec/login",
            )
        if target.resolve() in self.stack:
            raise self.fail(line, f"sub-flow `{name}` runs itself in a loop", "remove the cycle")
        sub = _Reader(target, self.root, (*self.stack, target.resolve()))
        shaped = sub.flow(_parse_yaml(target))
        _validate(
            target, shaped, sub.header_lines
        )  # so an error in a sub-flow names the sub-flow's file
        steps: list[dict[str, Any]] = shaped["steps"]
        return steps


def _split_locator(arg: Any) -> dict[str, Any]:
    """`{label: ชื่อ, value: x}` → `{locator: {label: ชื่อ}, value: x}`; a bare string is text."""
    if isinstance(arg, str):
        return {"locator": {"text": arg}}
    if not isinstance(arg, dict):
        return {"locator": arg}
    locator = {k: v for k, v in arg.items() if k in _LOCATOR_KEYS}
    rest = {k: v for k, v in arg.items() if k not in _LOCATOR_KEYS}
    return {"locator": locator, **rest}


def _click(arg: Any) -> dict[str, Any]:
    """A click's locator and options; `verify: {text: X}` is short for `verify: {visible: ...}`."""
    shaped = _split_locator(arg)
    verify = shaped.get("verify")
    if isinstance(verify, dict):
        if "visible" in verify:
            verify = {**verify, "visible": _as_locator(verify["visible"])}
        else:
            seen = {k: v for k, v in verify.items() if k != "goto"}
            verify = {**({"goto": verify["goto"]} if "goto" in verify else {}), "visible": seen}
        shaped["verify"] = verify
    elif isinstance(verify, str):
        shaped["verify"] = {"visible": {"text": verify}}
    return shaped


def _as_locator(arg: Any) -> Any:
    return {"text": arg} if isinstance(arg, str) else arg


def _expectation(arg: Any) -> dict[str, Any]:
    if isinstance(arg, str):
        return {"visible": {"text": arg}}
    if isinstance(arg, dict) and not {"visible", "not_visible", "url", "any"} & arg.keys():
        timeout = {"timeout_ms": arg["timeout_ms"]} if "timeout_ms" in arg else {}
        return {"visible": {k: v for k, v in arg.items() if k != "timeout_ms"}, **timeout}
    if isinstance(arg, dict):
        out = dict(arg)
        for key in ("visible", "not_visible"):
            if key in out:
                out[key] = _as_locator(out[key])
        if isinstance(out.get("any"), list):
            out["any"] = [_as_locator(x) for x in out["any"]]
        return out
    return {"visible": arg}


def _condition(arg: Any) -> Any:
    if isinstance(arg, dict):
        if "text" in arg and len(arg) == 1:
            return {"visible": {"text": arg["text"]}}
        out = {k: _as_locator(v) if k in ("visible", "not_visible") else v for k, v in arg.items()}
        if "anchor" in out:  # one locator or a list of them (any one shows the page)
            anchors = out["anchor"] if isinstance(out["anchor"], list) else [out["anchor"]]
            out["anchor"] = [_as_locator(a) for a in anchors]
        return out
    return arg


def _flows_root(path: Path) -> Path:
    for parent in path.resolve().parents:
        if parent.name == "flows":
            return parent
    return path.resolve().parent


def _step_at(data: Any, loc: tuple[int | str, ...]) -> tuple[dict[str, Any] | None, str]:
    """Follow a pydantic error location into the shaped data: the innermost step and the rest."""
    node: Any = data
    step: dict[str, Any] | None = None
    rest: list[str] = []
    for part in loc:
        if isinstance(node, dict) and "kind" in node and "line" in node:
            step, rest = node, []
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if not (isinstance(part, str) and part in STEP_KINDS):
            rest.append(str(part))
    if isinstance(node, dict) and "kind" in node and "line" in node:
        step, rest = node, []
    return step, ".".join(rest)


def load_flow(path: Path | str) -> Flow:
    """Read and validate a flow file (and the sub-flows it runs)."""
    path = Path(path)
    require_file(path, "ไฟล์โฟลว์", "flow file", "*.yaml")
    reader = _Reader(path, _flows_root(path), (path.resolve(),))
    shaped = reader.flow(_parse_yaml(path))
    return _validate(path, shaped, reader.header_lines)


def _validate(path: Path, shaped: dict[str, Any], header_lines: dict[str, int]) -> Flow:
    try:
        return Flow.model_validate(shaped)
    except ValidationError as exc:
        raise _explain(path, shaped, exc, header_lines) from None


def _explain(
    path: Path, shaped: dict[str, Any], exc: ValidationError, header_lines: dict[str, int]
) -> FlowError:
    first = exc.errors()[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p in STEP_KINDS))
    step, field = _step_at(shaped, loc)
    message = first["msg"].removeprefix("Value error, ")
    if step is None:
        where = ".".join(str(p) for p in loc)
        line = header_lines.get(str(loc[0]), 1) if loc else 1
        got = f" (got {first['input']!r})" if first["type"] != "missing" else ""
        return FlowError(
            str(path),
            line,
            f"`{where}`: {message}{got}",
            "see the flow header in README (name, portal, description, input, steps)",
        )
    kind = str(step["kind"])
    got = f" (got {first['input']!r})" if first["type"] != "missing" else ""
    where = f" at `{field}`" if field else ""
    example = EXAMPLES[kind]
    if kind == "click" and step.get("irreversible"):
        example = "- " + IRREVERSIBLE_EXAMPLE  # the guarded click's own shape
    return FlowError(
        str(path),
        int(step["line"]),
        f"`{kind}` step{where}: {message}{got}",
        f"a {kind} step looks like:\n    {example}",
    )
