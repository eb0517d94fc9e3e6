"""Flow and Step: the declarative model a YAML flow is validated into.

One key per step, as in Maestro: `- click: {role: button, name: บันทึก}`. The loader turns that
into `Click(locator=Locator(role="button", name="บันทึก"))`; the runner dispatches on the type
with an exhaustive `match`. Every model is frozen: binding makes new objects, never edits these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from bot.flow.header import InputSpec as InputSpec
from bot.flow.header import Param as Param
from bot.flow.header import Relogin as Relogin
from bot.flow.locator import ARIA_ROLES as ARIA_ROLES
from bot.flow.locator import Condition as Condition
from bot.flow.locator import FrozenModel as _Model
from bot.flow.locator import Locator as Locator
from bot.i18n import say


class _Step(_Model):
    label: str | None = None  # a human name for reports; else describe() is used
    optional: bool = False  # a failure is a warning, the record goes on
    timeout_ms: int | None = Field(None, gt=0)
    line: int = 0  # where the step starts in its flow file, for error messages

    def describe(self) -> str:
        return self.label or self._describe()

    def _describe(self) -> str:
        raise NotImplementedError  # every concrete step overrides this


class Goto(_Step):
    kind: Literal["goto"] = "goto"
    path: str  # relative to the portal's base URL

    def _describe(self) -> str:
        return f"open {self.path}"


class Fill(_Step):
    kind: Literal["fill"] = "fill"
    locator: Locator
    value: str

    def _describe(self) -> str:
        return f"fill {self.locator.describe()}"


class FillForm(_Step):
    """Fill many labelled fields at once; remembers whether any value changed."""

    kind: Literal["fill_form"] = "fill_form"
    fields: dict[str, str]  # form label -> value
    # Kept for flows that state it: an empty value now always leaves the field alone.
    skip_empty: bool = False
    typing: bool = False  # type field by field (slower) for inputs that react to keystrokes

    def _describe(self) -> str:
        return f"fill {len(self.fields)} form fields"


class Select(_Step):
    kind: Literal["select"] = "select"
    locator: Locator
    option: str

    def _describe(self) -> str:
        return f"choose “{self.option}” in {self.locator.describe()}"


class Check(_Step):
    kind: Literal["check"] = "check"
    locator: Locator
    checked: bool = True

    def _describe(self) -> str:
        return f"{'tick' if self.checked else 'untick'} {self.locator.describe()}"


class DialogAnswer(_Model):
    """Accept a native dialog only when its text holds `accept`; any other is dismissed."""

    accept: str = Field(min_length=1)


class ReadBack(_Model):
    """How to read whether an irreversible click took effect when its answer never came.

    `goto` opens the page that shows the portal's state (else the page as it is); `visible` is
    what that page shows only once the click took effect (e.g. the status "ยืนยันข้อมูลแล้ว").
    """

    goto: str | None = None
    visible: Locator


class Click(_Step):
    kind: Literal["click"] = "click"
    locator: Locator
    # The answer to a JS confirm() it opens: a plain accept/dismiss, or accept only a dialog
    # whose text holds the words given (`dialog: {accept: ยืนยันข้อมูล}`).
    dialog: Literal["accept", "dismiss"] | DialogAnswer | None = None
    irreversible: bool = False  # a guarded step: needs --confirm on a real portal
    verify: ReadBack | None = None  # how to read its outcome when its answer is lost

    @model_validator(mode="after")
    def _irreversible_reads_its_outcome(self) -> Click:
        if self.verify is not None and not self.irreversible:
            raise ValueError(
                "`verify` belongs to an irreversible click only; remove it or add "
                "`irreversible: true`"
            )
        if not self.irreversible:
            return self
        if self.verify is None:
            why = say(
                "ปุ่มที่ย้อนกลับไม่ได้ต้องบอกวิธีอ่านผลจากระบบ",
                "an irreversible click must say how to read from the portal whether it took "
                "effect, so that a lost answer is never pressed again",
            )
            raise ValueError(
                f"{why}: add `verify: {{goto: PAGE, visible: WHAT IT SHOWS WHEN DONE}}`"
            )
        if self.dialog == "accept":
            why = say(
                "ปุ่มที่ย้อนกลับไม่ได้ต้องระบุข้อความของกล่องยืนยันที่จะตอบตกลง",
                "an irreversible click must name the words of the dialog it accepts, so that "
                "a different question is dismissed",
            )
            raise ValueError(f"{why}: write `dialog: {{accept: ยืนยันข้อมูล}}`")
        return self

    @property
    def expected_dialog(self) -> str | None:
        """The words a dialog must hold to be accepted (None: any, or none expected)."""
        return self.dialog.accept if isinstance(self.dialog, DialogAnswer) else None

    def _describe(self) -> str:
        return f"click {self.locator.describe()}"


class Expect(_Step):
    """Wait until the page shows something; `any` settles a page that has several outcomes."""

    kind: Literal["expect"] = "expect"
    visible: Locator | None = None
    not_visible: Locator | None = None
    url: str | None = None
    any: tuple[Locator, ...] | None = Field(None, min_length=2)

    @model_validator(mode="after")
    def _exactly_one(self) -> Expect:
        chosen = (self.visible, self.not_visible, self.url, self.any)
        if sum(x is not None for x in chosen) != 1:
            raise ValueError("expect needs exactly one of text, visible, not_visible, url, any")
        return self

    def _describe(self) -> str:
        if self.any:
            return "expect one of " + " / ".join(loc.describe() for loc in self.any)
        if self.visible:
            return f"expect {self.visible.describe()}"
        if self.not_visible:
            return f"expect no {self.not_visible.describe()}"
        return f"expect the address {self.url}"


class RejectOn(_Step):
    """If this element shows, the portal refused the record; its text is the reason.

    `stop: run` is for a refusal no record can get past (the school is confirmed and locked):
    the whole run ends there, in the portal's words, instead of each record failing in turn.
    """

    kind: Literal["reject_on"] = "reject_on"
    locator: Locator
    stop: Literal["record", "run"] = "record"

    def _describe(self) -> str:
        what = "the run" if self.stop == "run" else "the record"
        return f"stop {what} if the portal shows {self.locator.describe()}"


class Popup(_Step):
    """Read the portal's message box (role=dialog, `.swal2-popup`, or a native alert/confirm
    opened while the step waits), judge its title and text, and press its button: words of
    `errors` fail the record in the portal's words; words of `expect` are success and `press`
    is pressed; any other text is not accepted blindly (nothing pressed, the record fails)."""

    kind: Literal["popup"] = "popup"
    expect: tuple[str, ...] = Field(min_length=1)
    press: str = Field("ตกลง", min_length=1)
    errors: tuple[str, ...] = ()

    def _describe(self) -> str:
        return f"answer the popup “{self.expect[0]}” with {self.press}"


class Upload(_Step):
    kind: Literal["upload"] = "upload"
    locator: Locator
    file: str

    def _describe(self) -> str:
        return f"upload into {self.locator.describe()}"


class TakeSnapshot(_Step):
    """Read what the portal holds once, from its own export, to decide per record what to do."""

    kind: Literal["snapshot"] = "snapshot"
    download: str  # path of the export, relative to the portal, e.g. report/rpt318.do
    key: str = "national_id"

    def _describe(self) -> str:
        return f"read the portal's records from {self.download}"


class Verify(_Step):
    """Compare the record with the portal's snapshot field by field: verified, or failed."""

    kind: Literal["verify"] = "verify"
    against: Literal["snapshot"] = "snapshot"

    def _describe(self) -> str:
        return "compare the record with the portal's copy"


class Require(_Step):
    """Stop the whole run, changing nothing, unless the condition holds (a guarded step's gate).

    `records: equal` holds when every record of the input equals the portal's snapshot; with
    `list: true` the text of each element a failing `visible`/`not_visible` matched is named.
    """

    kind: Literal["require"] = "require"
    condition: Condition
    message: str
    list: bool = False
    # With `records: equal`: the school (code) being confirmed. Records whose school_code names
    # another school are not its children and are left out of the comparison.
    school: str | None = None

    def _describe(self) -> str:
        return f"require that {self.condition.describe()}"


class Extract(_Step):
    """Read what the page shows into the run's results: table rows (cell texts) or one text.

    For facts about schools and the round (status pages), never children's data. `columns`
    names a table's columns by their header text (the header row is read first): whoever reads
    the rows (`edubot status`) finds each cell by its header, so a reordered table reads right.
    """

    kind: Literal["extract"] = "extract"
    name: str
    rows: Locator | None = None
    text: Locator | None = None
    columns: dict[str, str] | None = None  # key -> the column's header text

    @model_validator(mode="after")
    def _one_source(self) -> Extract:
        if (self.rows is None) == (self.text is None):
            raise ValueError("extract reads either `rows` (a table's rows) or `text`")
        if self.columns is not None and self.rows is None:
            raise ValueError("`columns` goes with `rows` (a table read from its header row)")
        return self

    def _describe(self) -> str:
        return f"read {self.name} from the page"


class Screenshot(_Step):
    """Keep a picture of the page, or of one element (a receipt: the status row)."""

    kind: Literal["screenshot"] = "screenshot"
    name: str
    locator: Locator | None = None

    def _describe(self) -> str:
        return f"screenshot {self.name}"


class Mark(_Step):
    """Set the record's outcome: what the report says happened to it."""

    kind: Literal["mark"] = "mark"
    outcome: Literal["added", "updated", "unchanged", "verified", "submitted", "skipped"]

    def _describe(self) -> str:
        return f"mark the record {self.outcome}"


class RunFlow(_Step):
    """Run another flow's steps here (e.g. `run: lec/login`), with the parameters it declares
    given under `with:` (the loader has put them in place in `steps`)."""

    kind: Literal["run"] = "run"
    flow: str
    arguments: dict[str, Any] = Field(default_factory=dict)  # `with:` in YAML
    steps: tuple[Step, ...] = ()  # filled by the loader from flows/<flow>.yaml

    def _describe(self) -> str:
        return f"run {self.flow}"


class When(_Step):
    kind: Literal["when"] = "when"
    condition: Condition
    steps: tuple[Step, ...]
    otherwise: tuple[Step, ...] = ()  # `else:` in YAML

    def _describe(self) -> str:
        return f"when {self.condition.describe()}"


class ForEach(_Step):
    kind: Literal["for_each"] = "for_each"
    over: Literal["record"] = "record"
    steps: tuple[Step, ...]

    def _describe(self) -> str:
        return "for each record"


Step = Annotated[
    Goto | Fill | FillForm | Select | Check | Click | Expect | RejectOn | Popup | Upload
    | Screenshot | Mark | TakeSnapshot | Verify | Require | Extract | RunFlow | When | ForEach,
    Field(discriminator="kind"),
]  # fmt: skip

STEP_KINDS = (
    "goto", "fill", "fill_form", "select", "check", "click", "expect", "reject_on", "popup",
    "upload", "screenshot", "mark", "snapshot", "verify", "require", "extract", "run", "when",
    "for_each",
)  # fmt: skip


class Flow(_Model):
    """A validated flow file."""

    name: str
    portal: Literal["lec", "esar"]
    description: str = ""
    # `verify`: the flow exists to read the portal back, so every run reads it; the journal
    # never skips one of its records as done in an earlier run. `change` (the default): it
    # enters or changes data, and records verified earlier with unchanged data are skipped.
    # `status`: the flow `edubot status` runs to read the round's state (one per portal).
    purpose: Literal["change", "verify", "status"] = "change"
    input: InputSpec | None = None
    relogin: Relogin | None = None
    # `--var` values the flow cannot run without (e.g. the LGO's org): refused before login.
    vars: tuple[str, ...] = ()
    # The mock's demo account a dry run logs in with (`lgo` for LGO-level flows); a real
    # portal uses the stored login or `--account`, never this.
    account: str | None = None
    # What `${param.NAME}` stands for in the steps: a flow with parameters is a part, run by
    # other flows with `run:` and `with:` (e.g. lec/confirm).
    params: dict[str, Param] = Field(default_factory=dict)
    # `roster`: the flow's data file lists a school's children, and `edubot status` counts them
    # as the children "in the file" (the flows that enter children declare it).
    roster: bool = False
    steps: tuple[Step, ...]
    path: str = ""

    def walk(self) -> list[Step]:
        """Every step, depth first, sub-flows and branches included."""
        return list(_walk(self.steps))

    def irreversible_steps(self) -> list[Click]:
        """The flow's guarded steps (see `irreversible_steps`)."""
        return irreversible_steps(self.steps)


def irreversible_steps(steps: Sequence[Step]) -> list[Click]:
    """The guarded steps among `steps` (clicks marked irreversible: confirm, submit), branches
    and sub-flows included: the one answer to "does this flow do something irreversible?"."""
    return [s for s in _walk(tuple(steps)) if isinstance(s, Click) and s.irreversible]


def _walk(steps: tuple[Step, ...]) -> list[Step]:
    out: list[Step] = []
    for step in steps:
        out.append(step)
        if isinstance(step, When):
            out += _walk(step.steps) + _walk(step.otherwise)
        elif isinstance(step, ForEach | RunFlow):
            out += _walk(step.steps)
    return out


for _cls in (ReadBack, Click, RunFlow, When, ForEach):
    _cls.model_rebuild()
