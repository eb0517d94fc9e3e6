"""Parameters of sub-flows: one block written once, filled in by each flow that runs it.

The caller gives values under `with:` beside `run:`; the sub-flow declares each parameter in its
header under `params:` with what it means (and a `default` when it may be left out), and uses it
as `${param.NAME}` in its steps:

    # flows/lec/confirm_school.yaml            # flows/lec/confirm.yaml
    - run: lec/confirm                         params:
      with:                                      button: ชื่อปุ่ม (the button's name)
        button: ยืนยันข้อมูล                       ...
        ...                                    steps:
                                                 - click: {role: button, name: "${param.button}"}

Values are put in place when the flow is loaded, before it is validated, so a wrong value is
told like any other flow error. A placeholder that is the whole value takes the value as it is
(a locator mapping, `null`); inside longer text the value must be text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.errors import FlowError
from bot.flow.yaml_lines import _LineList, _LineMap

PARAM = re.compile(r"\$\{\s*param\.([^}\s]*)\s*\}")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PARAMS_EXAMPLE = (
    "params:\n      button: ชื่อปุ่มที่กด (the button's name)\n"
    "      row: {about: แถวของปุ่ม (the row the button is in), default: null}"
)

Fail = Callable[[int | None, str, str], FlowError]


def declared(header: Any, line: int, fail: Fail) -> dict[str, dict[str, Any]]:
    """The `params:` of a flow's header as `Param` fields: NAME → {about, default, required}."""
    if header is None:
        return {}
    if not isinstance(header, dict) or not header:
        raise fail(line, "`params:` must map each parameter to what it means", PARAMS_EXAMPLE)
    out: dict[str, dict[str, Any]] = {}
    for name, spec in header.items():
        if not _NAME.match(name):
            raise fail(line, f"parameter name {name!r} is not a plain name", PARAMS_EXAMPLE)
        if isinstance(spec, str):
            out[name] = {"about": spec, "required": True}
        elif isinstance(spec, dict) and set(spec) <= {"about", "default"} and "about" in spec:
            out[name] = {
                "about": spec["about"],
                "default": spec.get("default"),
                "required": "default" not in spec,
            }
        else:
            raise fail(
                line,
                f"parameter `{name}` must say what it means: text, or {{about: ..., default: ...}}",
                PARAMS_EXAMPLE,
            )
    return out


def bind(
    flow: str,
    params: Mapping[str, Mapping[str, Any]],
    given: Any,
    line: int,
    fail: Fail,
) -> dict[str, Any]:
    """The values of `flow`'s parameters from the caller's `with:` (None: run on its own)."""
    if given is None and params and any(p["required"] for p in params.values()):
        needed = ", ".join(n for n, p in params.items() if p["required"])
        raise fail(
            line,
            f"`{flow}` is a part of other flows: it needs the parameters {needed}",
            f"run it from another flow with `run: {flow}` and `with: {{...}}`; " + _listing(params),
        )
    given = {} if given is None else given
    if not isinstance(given, dict):
        raise fail(line, "`with:` must map parameter names to values", _listing(params))
    if given and not params:
        raise fail(line, f"`{flow}` takes no parameters", "remove `with:` from this step")
    for name in given:
        if name not in params:
            guess = difflib.get_close_matches(str(name), list(params), n=1)
            hint = f"did you mean `{guess[0]}`? " if guess else ""
            raise fail(line, f"`{flow}` has no parameter `{name}`", hint + _listing(params))
    for name, param in params.items():
        if param["required"] and name not in given:
            raise fail(
                line,
                f"`{flow}` needs the parameter `{name}` ({param['about']})",
                f"add it under `with:`, e.g. with: {{{name}: ...}}",
            )
    return {name: given.get(name, param.get("default")) for name, param in params.items()}


def _listing(params: Mapping[str, Mapping[str, Any]]) -> str:
    if not params:
        return "this flow declares no `params:`"
    return "its parameters are: " + "; ".join(f"{n} — {p['about']}" for n, p in params.items())


def substitute(node: Any, values: Mapping[str, Any], line: int, fail: Fail) -> Any:
    """`node` with every `${param.NAME}` replaced by its value; lines are kept for errors."""
    if isinstance(node, _LineMap):
        out = _LineMap()
        out.line, out.key_lines = node.line, dict(node.key_lines)
        for key, value in node.items():
            out[key] = substitute(value, values, node.key_lines.get(key, node.line), fail)
        return out
    if isinstance(node, _LineList):
        items = _LineList()
        items.item_lines = list(node.item_lines)
        items.extend(
            substitute(v, values, at, fail) for v, at in zip(node, node.item_lines, strict=True)
        )
        return items
    if isinstance(node, str) and "${" in node:
        return _text(node, values, line, fail)
    return node


def _text(text: str, values: Mapping[str, Any], line: int, fail: Fail) -> Any:
    for name in PARAM.findall(text):
        if name not in values:
            known = ", ".join(values) or "none"
            raise fail(
                line,
                f"`${{param.{name}}}` is not a parameter of this flow (its parameters: {known})",
                "declare it in the header:\n    " + PARAMS_EXAMPLE,
            )
    whole = PARAM.fullmatch(text.strip())
    if whole:
        return values[whole.group(1)]

    def one(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        if not isinstance(value, str | int | float):
            raise fail(
                line,
                f"`${{param.{match.group(1)}}}` stands inside text but its value is not text",
                "give text for it under `with:`, or use the placeholder as the whole value",
            )
        return str(value)

    return PARAM.sub(one, text)
