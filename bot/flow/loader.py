"""Read a YAML flow into a `Flow`, with errors that name file:line, the step and the fix.

This is the only module that reads YAML flows. Parsing keeps each mapping's line number, turns
the one-key-per-step shorthand into the shape of `bot.flow.model`, inlines `run:` sub-flows, and
lets pydantic validate the result.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.data.inputs import require_file
from bot.errors import FlowError
from bot.flow import params
from bot.flow.model import STEP_KINDS, Flow
from bot.flow.yaml_lines import parse_yaml as _parse_yaml
from bot.flows_catalogue import flows_root, resolve_flow, subflow_candidates

_COMMON = ("label", "optional", "timeout_ms")
_LOCATOR_KEYS = (
    "role", "name", "label", "text", "placeholder", "testid", "css", "exact", "has_text", "within",
)  # fmt: skip

IRREVERSIBLE_EXAMPLE = (
    "click: {role: button, name: ยืนยันข้อมูล, irreversible: true,\n"
    "             dialog: {accept: ยืนยันข้อมูล},\n"
    '             verify: {goto: school/home.do, visible: {text: "สถานะ: ยืนยันข้อมูลแล้ว", '
    "exact: false}}}"
)

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
    "popup": "- popup: {expect: บันทึกข้อมูลเรียบร้อย, press: ตกลง, errors: [ไม่สามารถบันทึกข้อมูลได้]}",
    "run": "- run: lec/login      # a part with parameters: - run: lec/confirm\n"
    "                                 with: {button: ยืนยันข้อมูล, ...}",
    "when": "- when: {visible: {text: ไม่พบข้อมูล}}\n    steps: [...]\n    else: [...]",
    "for_each": "- for_each: record\n    steps: [...]",
}


@dataclass(frozen=True)
class _Call:
    """A `run:` step that runs a sub-flow: its name, the `with:` values, and where it is."""

    name: str
    given: Any
    line: int
    fail: Callable[[int | None, str, str], FlowError]


class _Reader:
    """Turns parsed YAML of one file into model-shaped dicts, remembering where it is."""

    def __init__(
        self, path: Path, root: Path, stack: tuple[Path, ...], caller: _Call | None = None
    ) -> None:
        self.path, self.root, self.stack, self.caller = path, root, stack, caller
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
        params_line = self.header_lines.get("params", line)
        out["params"] = params.declared(data.get("params"), params_line, self.fail)
        caller = self.caller
        if caller is None:  # a flow run on its own: its parameters' defaults, if it has them all
            run_name = self.path.resolve().relative_to(self.root).with_suffix("").as_posix()
            values = params.bind(run_name, out["params"], None, params_line, self.fail)
        else:
            values = params.bind(caller.name, out["params"], caller.given, caller.line, caller.fail)
        steps = params.substitute(data["steps"], values, line, self.fail)
        out["steps"] = self.steps(steps, line)
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
        unknown = [k for k in item if k not in (*STEP_KINDS, *_COMMON, "steps", "else", "with")]
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
        if "with" in item and kind != "run":
            unknown.append("with")  # parameters go only to a sub-flow
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
                given = item.get("with")
                steps = self.subflow(arg, line, given)
                return {"flow": arg, "arguments": dict(given or {}), "steps": steps}
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
            case "popup":
                return _popup(arg)
            case _:
                return _split_locator(arg)

    def subflow(self, name: Any, line: int, given: Any) -> list[dict[str, Any]]:
        if not isinstance(name, str) or not name:
            raise self.fail(
                line, "`run:` needs the name of a flow", "write e.g. " + EXAMPLES["run"]
            )
        candidates = subflow_candidates(self.path, self.root, name)
        target = next((c for c in candidates if c.is_file()), None)
        if target is None:
            raise self.fail(
                line,
                f"sub-flow `{name}` not found (looked for {candidates[-1]})",
                "name a flow relative to the flows folder, without .yaml, e.g. lec/login",
            )
        if target.resolve() in self.stack:
            raise self.fail(line, f"sub-flow `{name}` runs itself in a loop", "remove the cycle")
        call = _Call(name, {} if given is None else given, line, self.fail)
        sub = _Reader(target, self.root, (*self.stack, target.resolve()), call)
        shaped = sub.flow(_parse_yaml(target))
        try:  # so an error in a sub-flow names the sub-flow's file
            _validate(target, shaped, sub.header_lines)
        except FlowError as exc:
            if not given:
                raise
            # The mistake may be a value the caller gave: name where it was given too.
            raise FlowError(
                exc.path, exc.line, f"{exc.problem} (with the values given at {self.path}:{line})",
                exc.fix,
            ) from None  # fmt: skip
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


def _popup(arg: Any) -> dict[str, Any]:
    """`popup: TEXT` or `{expect: X, press: ตกลง, errors: [Y]}`; a text or a list for each."""
    if not isinstance(arg, dict):
        arg = {"expect": arg}  # pydantic tells what is wrong with anything but text
    lists = ("expect", "errors")
    return {k: [v] if k in lists and isinstance(v, str) else v for k, v in arg.items()}


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


def _step_at(data: Any, loc: tuple[int | str, ...]) -> tuple[dict[str, Any] | None, str]:
    """Follow a pydantic error location into the shaped data: the innermost step and the rest."""
    node: Any = data
    step: dict[str, Any] | None = None
    rest: list[str] = []
    for part in loc:
        if isinstance(node, dict) and "kind" in node and "line" in node:
            step, rest = node, []
        rest.append(str(part))  # a field that is missing is named too
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    else:
        if isinstance(node, dict) and "kind" in node and "line" in node:
            step, rest = node, []
    return step, ".".join(rest)


def load_flow(path: Path | str) -> Flow:
    """Read and validate a flow file (and the sub-flows it runs)."""
    path = resolve_flow(path, strict=True)  # or a flow's name: bot/flows_catalogue.py
    require_file(path, "ไฟล์โฟลว์", "flow file", "*.yaml")
    reader = _Reader(path, flows_root(path), (path.resolve(),))
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
    # Drop only the union tag after a list index: a field may share a kind's name (`expect`).
    raw = first["loc"]
    loc = tuple(
        p for i, p in enumerate(raw) if not (p in STEP_KINDS and isinstance(raw[i - 1], int))
    )
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


def is_part(path: Path | str) -> bool:
    """A flow that runs only inside others (`run:` + `with:`): a parameter has no default.

    Such a flow is checked through the flows that run it; loaded on its own it is refused. A
    file that cannot be read is no part: loading it says what is wrong.
    """
    try:
        data = _parse_yaml(Path(path))
    except FlowError:
        return False
    spec = data.get("params") if isinstance(data, dict) else None
    return isinstance(spec, dict) and any(
        not (isinstance(p, dict) and "default" in p) for p in spec.values()
    )
