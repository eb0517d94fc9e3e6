"""Recorded actions → a flow file that reads like the manual.

Fields named in the data catalogue become `${record.<key>}` (grouped into one `fill_form` per
form, which never erases a field for a blank cell); passwords and user names the portal's
stored login; any other typed field a placeholder the person binds (`binds`, else a
`${config.…}` the flow declares in `vars`). Buttons and links are found by their names; CSS
only when nothing visible names the element, with a comment that says so. A press that
confirms, submits, sends or deletes is written `irreversible: true` with the `verify:` the
flow language demands: what the person marked after it, or a placeholder to complete.

When the flow binds record fields, the steps from the page that opened the first such field
to the text marked after saving become the `for_each: record` loop, so one child recorded
adds every child of a workbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.record.catalogue import Meaning, dialog_words, is_irreversible, is_username, meaning
from bot.record.events import Clicked, ExpectMarked, FieldChanged, Goto, Recorded

TODO_VERIFY = "แก้ไข: ข้อความที่หน้านี้แสดงเมื่อกดสำเร็จแล้ว (edit: what this page shows once done)"
_RECORD_KEYS = {"lec": "national_id", "esar": "school_code"}
_RECORDS = {"lec": "student", "esar": "sar"}
DESCRIPTION = "บันทึกด้วย edubot record ตรวจก่อนใช้ (recorded with edubot record; review before use)"
_LONG = 90  # a step longer than this is written a key a line


@dataclass
class _Draft:
    key: str
    value: Any
    page: str = ""
    per_record: bool = False
    comments: list[str] = field(default_factory=list)
    in_popup: bool = False  # a press in a message box: it closes what the expect before it saw


@dataclass(frozen=True)
class Written:
    """The flow's text, the fields still to bind (their labels) and what the person must edit."""

    text: str
    unbound: tuple[str, ...]
    todo: tuple[str, ...]


def unbound_labels(steps: Sequence[Recorded], portal: str) -> list[str]:
    """The names of typed fields the catalogue does not know: the person binds these."""
    names: list[str] = []
    for step in steps:
        if not isinstance(step, FieldChanged) or step.name in names:
            continue
        if _needs_binding(step, portal):
            names.append(step.name)
    return names


def _needs_binding(step: FieldChanged, portal: str) -> bool:
    if step.control in ("password", "checkbox") or is_username(step.name):
        return False
    if meaning(step.name, portal) is not None:
        return False
    if step.control == "select":
        return step.option is None
    return not (step.control == "file" and portal == "esar")


def write_flow(
    name: str,
    portal: str,
    steps: Sequence[Recorded],
    binds: Mapping[str, str] | None = None,
    *,
    login: bool = False,
) -> Written:
    """The flow file for what was recorded; `binds`: field name → placeholder or value.

    `login`: the recording began logged in (`record --login`), so the flow begins as every
    flow that needs the login does, with `run: PORTAL/login`; the login's own steps were never
    recorded.
    """
    writer = _Writer(portal, dict(binds or {}))
    drafts = writer.drafts(_last_of_each_field(steps))
    body = _loop(drafts)
    if login:
        body.insert(0, _Draft("run", login_flow_name(portal)))
    header: dict[str, Any] = {
        "name": name,
        "portal": portal,
        "description": DESCRIPTION,
    }
    if any(d.key == "for_each" for d in body):
        header["input"] = {"records": _RECORDS[portal], "key": _RECORD_KEYS[portal]}
    if writer.config_vars:
        header["vars"] = list(writer.config_vars)
    lines = [f"{key}: {_flow_style(value)}" for key, value in header.items()]
    lines += ["steps:", *_emit(body, 2)]
    return Written("\n".join(lines) + "\n", tuple(writer.unbound), tuple(writer.todo))


def login_flow_name(portal: str) -> str:
    """The portal's login sub-flow, by name (resolved as `run:` resolves every sub-flow)."""
    return f"{portal}/login"


def _last_of_each_field(steps: Sequence[Recorded]) -> list[Recorded]:
    """A field touched twice before anything was pressed counts once, where first touched,
    with its last state."""
    out: list[Recorded] = []
    start = 0  # where the current stretch of fields began
    for step in steps:
        if not isinstance(step, FieldChanged):
            out.append(step)
            start = len(out)
            continue
        for index in range(start, len(out)):
            earlier = out[index]
            if isinstance(earlier, FieldChanged) and earlier.same_field(step):
                out[index] = step
                break
        else:
            out.append(step)
    return out


class _Writer:
    def __init__(self, portal: str, binds: dict[str, str]) -> None:
        self.portal, self.binds = portal, binds
        self.config_vars: list[str] = []
        self.unbound: list[str] = []
        self.todo: list[str] = []

    def drafts(self, steps: Sequence[Recorded]) -> list[_Draft]:
        out: list[_Draft] = []
        for index, step in enumerate(steps):
            match step:
                case Goto():
                    out.append(_Draft("goto", step.path, page=step.path))
                case FieldChanged():
                    self._field(step, out)
                case Clicked():
                    out += self._click(step, _marked_after(steps, index))
                case ExpectMarked():
                    text: Any = step.text if step.exact else {"text": step.text, "exact": False}
                    out.append(_Draft("expect", text, page=step.page))
        return out

    # ---- fields --------------------------------------------------------------------------
    def _field(self, step: FieldChanged, out: list[_Draft]) -> None:
        locator, comments = _locator(step.by, step.name, step.why, None)
        found = meaning(step.name, self.portal)
        if step.control == "password":
            value = f"${{secret.{self.portal}.password}}"
            out.append(_Draft("fill", {**locator, "value": value}, step.page, False, comments))
        elif step.control != "checkbox" and is_username(step.name):
            value = f"${{secret.{self.portal}.username}}"
            out.append(_Draft("fill", {**locator, "value": value}, step.page, False, comments))
        elif step.control == "checkbox":
            checked = {} if step.checked is not False else {"checked": False}
            out.append(_Draft("check", {**locator, **checked}, step.page, False, comments))
        elif step.control == "file":
            key = found.key if found else "pdf" if self.portal == "esar" else None
            file = f"${{record.{key}}}" if key else self._placeholder(step.name)
            out.append(_Draft("upload", {**locator, "file": file}, step.page, bool(key), comments))
        elif found is not None and step.by == "label" and not _picks_a_sar_field(step, found):
            self._form_field(step, f"${{record.{found.key}}}", out)
        elif found is not None:
            what = "option" if step.control == "select" else "value"
            action = "select" if step.control == "select" else "fill"
            bound = {**locator, what: f"${{record.{found.key}}}"}
            out.append(_Draft(action, bound, step.page, True, comments))
        elif step.control == "select" and step.option is not None:
            out.append(
                _Draft("select", {**locator, "option": step.option}, step.page, False, comments)
            )
        else:
            value = self._placeholder(step.name)
            action, what = ("select", "option") if step.control == "select" else ("fill", "value")
            per_record = value.startswith("${record.")
            out.append(_Draft(action, {**locator, what: value}, step.page, per_record, comments))

    def _form_field(self, step: FieldChanged, value: str, out: list[_Draft]) -> None:
        """Record fields on one page go into one `fill_form`, in the order they were filled."""
        last = out[-1] if out else None
        if last is not None and last.key == "fill_form" and last.page == step.page:
            last.value[step.name] = value
        else:
            out.append(_Draft("fill_form", {step.name: value}, step.page, True))

    def _placeholder(self, name: str) -> str:
        given = self.binds.get(name, "").strip()
        if given:
            return given if given.startswith("${") else f"${{{given}}}"
        if name in self.unbound:  # the same field on another page: the same value
            return f"${{config.{self.config_vars[self.unbound.index(name)]}}}"
        variable = f"field_{len(self.config_vars) + 1}"
        self.config_vars.append(variable)
        self.unbound.append(name)
        return f"${{config.{variable}}}"

    # ---- clicks --------------------------------------------------------------------------
    def _click(self, step: Clicked, marked: ExpectMarked | None) -> list[_Draft]:
        locator, comments = _locator(step.by, step.name, step.why, step.role)
        # The page read the box's words only where the box asks (ยืนยัน / ยกเลิก): a message
        # box's ตกลง under ยืนยันข้อมูลเรียบร้อย closes it, it confirms nothing.
        irreversible = step.irreversible or is_irreversible(step.name)
        said = dialog_words(step.popup or "")
        if said and not irreversible and step.by == "role":
            return [_Draft("popup", {"expect": said, "press": step.name}, step.page)]
        out: list[_Draft] = []
        if said:
            out.append(_Draft("expect", {"text": said, "exact": False}, step.page))
        value: dict[str, Any] = dict(locator)
        if step.dialog:
            value["dialog"] = {"accept": step.dialog}
        elif step.dismissed:
            value["dialog"] = "dismiss"
        if irreversible:
            value["irreversible"] = True
            shown = marked.text if marked is not None else TODO_VERIFY
            value["verify"] = {"goto": step.page, "visible": {"text": shown, "exact": False}}
            comments.append(
                "ย้อนกลับไม่ได้: ตรวจ verify ว่าเป็นสิ่งที่หน้านั้นแสดงเมื่อกดสำเร็จแล้ว (irreversible: "
                "check that verify names what the page shows once the press took effect)"
            )
            if marked is None:
                self.todo.append(f"verify of “{step.name}”")
        out.append(_Draft("click", value, step.page, False, comments, in_popup=bool(step.popup)))
        return out


def _picks_a_sar_field(step: FieldChanged, found: Meaning) -> bool:
    """A SAR's school, year or level chosen from a list: a `select` step, which also finds an
    option by its value or a word of its text (the school picker's `3040010002 โรงเรียน…` for
    3040010002), where `fill_form` takes the option's whole text. A manifest must give the
    school, year and level, so fill_form's leaving a blank cell's field alone is not needed."""
    return found.records == "sar" and step.control == "select"


def _marked_after(steps: Sequence[Recorded], index: int) -> ExpectMarked | None:
    """The text the person marked after a click, before they did anything else but close the
    message box it answered with (the framework's ตกลง): the page's own state, once shown."""
    for later in steps[index + 1 :]:
        if isinstance(later, ExpectMarked):
            return later
        closes_a_box = (
            isinstance(later, Clicked)
            and bool(later.popup)
            and not (later.irreversible or is_irreversible(later.name))
        )
        if not (isinstance(later, Goto) or closes_a_box):
            return None
    return None


def _locator(by: str, name: str, why: str, role: str | None) -> tuple[dict[str, Any], list[str]]:
    if by == "role" and role:
        return {"role": role, "name": name}, []
    if by in ("label", "placeholder"):
        return {by: name}, []
    reason = f" ({why})" if why else ""
    # A comment in the flow file, read by whoever edits it: both languages, one line each.
    return {"css": name}, [
        f"CSS: ไม่มีข้อความบนหน้าที่ระบุช่องนี้ได้ตัวเดียว{reason}",
        "CSS: nothing visible names this element alone; prefer words the page shows if it has some",
    ]


def _loop(drafts: list[_Draft]) -> list[_Draft]:
    """The per-record stretch of the steps wrapped in `for_each: record`."""
    bound = [i for i, d in enumerate(drafts) if d.per_record]
    if not bound:
        return drafts
    first, last = bound[0], bound[-1]
    start = next((i for i in range(first - 1, -1, -1) if drafts[i].key in ("goto", "click")), first)
    head = drafts[:start]
    body = drafts[start : last + 1]
    if drafts[start].key == "click":  # each record starts on the page where the form opens
        page = drafts[start].page
        if head and head[-1].key == "goto" and head[-1].value == page:
            body.insert(0, head.pop())
        else:
            body.insert(0, _Draft("goto", page, page))
    tail = drafts[last + 1 :]
    end = next((i for i, d in enumerate(tail) if d.key == "goto"), len(tail))
    stretch = tail[:end]
    marked = [i for i, d in enumerate(stretch) if d.key in ("expect", "popup")]
    clicks = [i for i, d in enumerate(stretch) if d.key == "click"]
    cut = marked[-1] + 1 if marked else clicks[0] + 1 if clicks else 0
    while cut < len(stretch) and stretch[cut].in_popup:
        cut += 1  # the box's button goes with the words it showed
    body += stretch[:cut]
    loop = _Draft("for_each", body, comments=["ทีละรายการในไฟล์ข้อมูล (once per record of the data)"])
    return [*head, loop, *tail[cut:]]


def _flow_style(value: Any) -> str:
    text = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10**6
    )
    return text.removesuffix("\n...\n").strip()


def _emit(drafts: list[_Draft], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for draft in drafts:
        lines += [f"{pad}# {comment}" for comment in draft.comments]
        if draft.key == "for_each":
            lines += [f"{pad}- for_each: record", f"{pad}  steps:", *_emit(draft.value, indent + 4)]
        elif draft.key == "fill_form":
            lines.append(f"{pad}- fill_form:")
            lines += [
                f"{pad}    {_flow_style(label)}: {_flow_style(value)}"
                for label, value in draft.value.items()
            ]
        elif isinstance(draft.value, dict) and len(_flow_style(draft.value)) > _LONG:
            lines.append(f"{pad}- {draft.key}:")  # one key a line: a long step reads better
            lines += [f"{pad}    {k}: {_flow_style(v)}" for k, v in draft.value.items()]
        else:
            lines.append(f"{pad}- {draft.key}: {_flow_style(draft.value)}")
    return lines
