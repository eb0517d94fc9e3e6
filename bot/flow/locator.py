"""Where a flow looks on the page: `Locator` (how a person finds an element) and `Condition`
(what `when:` and `require:` test).

Split from `bot.flow.model`, which re-exports both: steps are built from these.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ARIA_ROLES = (
    "alert", "button", "cell", "checkbox", "combobox", "dialog", "heading", "link", "listbox",
    "option", "radio", "row", "status", "tab", "table", "textbox",
)  # fmt: skip


class FrozenModel(BaseModel):
    """Every flow model: frozen (binding makes new objects) and strict about its keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Locator(FrozenModel):
    """How to find an element, as a person would: role + name, label, text; CSS last."""

    role: Literal[ARIA_ROLES] | None = None  # type: ignore[valid-type]
    name: str | None = None
    label: str | None = None
    text: str | None = None
    placeholder: str | None = None
    testid: str | None = None
    css: str | None = None
    exact: bool = True
    has_text: str | None = None  # keep only elements that contain this text
    within: Locator | None = None  # look inside this element only (e.g. one table row)

    @model_validator(mode="after")
    def _one_strategy(self) -> Locator:
        strategies = [
            k for k in ("role", "label", "text", "placeholder", "testid", "css") if getattr(self, k)
        ]
        if len(strategies) != 1:
            raise ValueError(
                "a locator needs exactly one of role, label, text, placeholder, testid, css "
                f"(got {', '.join(strategies) or 'none'})"
            )
        if self.name is not None and self.role is None:
            raise ValueError("`name` only goes with `role`, e.g. {role: button, name: บันทึก}")
        return self

    def describe(self) -> str:
        return (
            self._own()
            + (f" with “{self.has_text}”" if self.has_text else "")
            + (f" in {self.within.describe()}" if self.within else "")
        )

    def _own(self) -> str:
        if self.role:
            return f"{self.role} “{self.name}”" if self.name else str(self.role)
        for key in ("label", "text", "placeholder", "testid", "css"):
            value = getattr(self, key)
            if value:
                return f"{key} “{value}”"
        return "?"  # unreachable: the validator demands one strategy


class Condition(FrozenModel):
    """What `when:` tests; exactly one of its fields is set."""

    visible: Locator | None = None
    not_visible: Locator | None = None
    url: str | None = None  # glob on the current URL, e.g. "*/index.jsp*"
    changed: bool | None = None  # did the last fill_form change any field?
    # The current record against the portal's snapshot (see the `snapshot` step). On a retry the
    # snapshot may be stale, so no `record:` condition holds: flows fall back to searching.
    record: Literal["absent", "equal", "different"] | None = None
    # Every record of the input against the snapshot (only outside `for_each`, in `require`).
    records: Literal["equal"] | None = None
    # What the page positively shows when the `visible`/`not_visible` element is absent (any one
    # of these): absence alone proves nothing on a page that changed, so without an anchor in
    # sight the step fails instead of judging. A guard in front of an irreversible step that
    # judges by absence needs one (`edubot check` warns otherwise).
    anchor: tuple[Locator, ...] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        set_fields = [k for k, v in self if v is not None and k != "anchor"]
        if len(set_fields) != 1:
            raise ValueError(
                "a condition needs exactly one of visible, not_visible, url, changed, record, "
                "records"
            )
        if self.anchor is not None and self.visible is None and self.not_visible is None:
            raise ValueError("`anchor` goes only with `visible` or `not_visible`")
        return self

    def describe(self) -> str:
        if self.visible:
            return f"{self.visible.describe()} is visible"
        if self.not_visible:
            return f"{self.not_visible.describe()} is not visible"
        if self.url is not None:
            return f"the address matches {self.url}"
        if self.record is not None:
            return f"the portal's copy of the record is {self.record}"
        if self.records is not None:
            return "every record equals the portal's copy"
        return f"the form {'changed' if self.changed else 'did not change'}"


Locator.model_rebuild()
