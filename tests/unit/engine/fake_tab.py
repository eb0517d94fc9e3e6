"""A fake tab for the runner: a tiny portal in memory instead of a browser.

`FakePortal` implements `bot.engine.tab.Tab`. It understands the few steps the runner tests'
flows use, as a portal would answer them:

- `goto index.jsp` shows the login page; any other `goto` while logged out answers as LEC's
  framework does (HTTP 401 and its "session expired" alert, then the login page);
- `fill` types; `click` on "Sign in" logs in, or leaves the portal's refusal in a popup that
  `reject_on` then reads (`refusal`);
- `click` on "Save" saves the record in hand (counted per key, so a double save shows);
- an irreversible `click` claims the run's press log as bot.engine.actions does, and counts
  the presses that reached the portal;
- `mark`, `expect` and `when: {url: ...}` / `when: {visible: {text: ...}}` as the engine does.

`failures` scripts trouble: the errors a step (by its line) raises, one per time it runs,
before the portal sees it (raised after the press for an irreversible click: its answer lost).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.engine.actions import ActionEnv, LeafStep, RunState, StepState, condition_holds
from bot.errors import EdubotError, OutcomeUnknown, PortalRejected, RunStopped, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Click, Condition, Expect, Fill, Goto, Mark, RejectOn
from bot.secrets import Secret

LOGIN_PAGE = "index.jsp"
# What a scripted step raises: an error, or what makes one when the step runs (and may change
# the portal first, e.g. end the session).
Trouble = EdubotError | Callable[[], EdubotError]
SESSION_EXPIRED_ALERT = "ไม่ได้ใช้งานเกินเวลา!!! \\n กรุณา login ใหม่"


class FakePortal:
    """A `Tab` whose page is a small portal in memory (module docstring)."""

    def __init__(self, password: str = "demo", refusal: str = "", answers_401: bool = True) -> None:
        self.password = password
        # False: the portal answers a page of an ended session with its login page only, as
        # the accessible mock LEC does (a redirect), without a 401 or an alert.
        self.answers_401 = answers_401
        self.refusal = refusal  # the popup every login gets (a locked account), if any
        self.url = "about:blank"
        self.logged_in = False
        self.popup = ""  # what the portal's popup says now
        self.ended: str | None = None  # the 401 / alert the watch would have noted
        self.typed: dict[str, str] = {}
        self.logins = 0  # "Sign in" pressed
        self.saved: Counter[str] = Counter()  # record key -> saves that reached the portal
        self.presses: list[str] = []  # irreversible presses that reached the portal
        self.failures: dict[int, list[Trouble]] = {}
        self.shows_done: Callable[[Click, Bindings], bool] = lambda click, b: False
        self.read_backs = 0
        self.steps: list[str] = []  # every leaf step performed, as "line kind"
        self.loads = 0  # before_page_load calls
        self.retries = 0  # before_retry calls
        self.records_begun = 0  # before_record calls
        self.wire: str | None = None  # what the tab saw go wrong on the wire (a 503 page)
        self.screenshots: list[Path] = []

    # --- what the test does to the portal -----------------------------------------------------

    def end_session(self) -> None:
        """The session expires (idle too long): the next page asked for gets a 401."""
        self.logged_in = False

    def fail(self, line: int, *errors: Trouble) -> None:
        self.failures.setdefault(line, []).extend(errors)

    def _trouble(self, line: int) -> EdubotError | None:
        scripted = self.failures.get(line)
        if not scripted:
            return None
        trouble = scripted.pop(0)
        return trouble if isinstance(trouble, EdubotError) else trouble()

    # --- Tab -----------------------------------------------------------------------------------

    def perform(self, step: LeafStep, env: ActionEnv, state: StepState) -> None:
        self.steps.append(f"{step.line} {step.kind}")
        if isinstance(step, Click) and step.irreversible:
            self._press(step, env, state, self._trouble(step.line))
            return
        trouble = self._trouble(step.line)
        if trouble is not None:
            raise trouble
        b = env.bindings
        match step:
            case Goto():
                self._goto(b.text(step.path))
            case Fill():
                value = b.fill_value(step.value)
                self.typed[step.locator.describe()] = (
                    value.reveal() if isinstance(value, Secret) else value
                )
            case Click():
                self._click(b.text(step.locator.name or step.locator.text or ""), b)
            case RejectOn():
                if self.popup:
                    said, self.popup = self.popup, ""
                    raise RunStopped(said) if step.stop == "run" else PortalRejected(said)
            case Mark():
                state.outcome = step.outcome
            case Expect():
                if self.url == LOGIN_PAGE:  # what a page shows is not on the login page
                    raise StepFailed(f"{step.describe()}: Timeout 15000ms exceeded")
            case _:
                raise AssertionError(f"the fake portal does not know {step.kind}")

    def holds(
        self, condition: Condition, b: Bindings, state: StepState, run: RunState | None = None
    ) -> bool:
        if condition.url is not None:
            return fnmatch.fnmatch(self.url, b.text(condition.url))
        if condition.visible is not None and condition.visible.text is not None:
            return b.text(condition.visible.text) in self.popup
        return condition_holds(None, condition, b, state, run)  # type: ignore[arg-type]

    def read_back(self, click: Click, b: Bindings, timeout_ms: int) -> bool:
        self.read_backs += 1
        return self.logged_in and self.shows_done(click, b)

    def screenshot(self, path: Path, full: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG fake")
        self.screenshots.append(path)

    def logged_out(self) -> str | None:
        return self.ended

    def forget_logout(self) -> None:
        self.ended = None

    def before_page_load(self) -> None:
        self.loads += 1

    def before_record(self) -> None:
        self.records_begun += 1

    def before_retry(self) -> None:
        self.retries += 1

    def trouble_seen(self) -> str | None:
        return self.wire

    def forget_trouble(self) -> None:
        self.wire = None

    # --- the portal ---------------------------------------------------------------------------

    def _goto(self, path: str) -> None:
        if path.startswith(LOGIN_PAGE):
            self.url = LOGIN_PAGE
        elif not self.logged_in:
            # e401.jsp: HTTP 401, its alert (dismissed by the tab), then the login page.
            if self.answers_401:
                self.ended = f"HTTP 401 ({path}); the portal's alert “{SESSION_EXPIRED_ALERT}”"
            self.url = LOGIN_PAGE
        else:
            self.url = path

    def _click(self, name: str, b: Bindings) -> None:
        if name == "Sign in":
            self.logins += 1
            if self.refusal:
                self.popup = self.refusal
            elif self.typed.get("label “Password”") != self.password:
                self.popup = "รหัสผ่านไม่ถูกต้อง"
            else:
                self.logged_in, self.url = True, "home.do"
        elif name == "Save":
            if not self.logged_in:
                self._goto("save.do")
                raise StepFailed("click Save: the page went to the login page")
            self.saved[(b.record or {})["national_id"]] += 1
        else:
            raise AssertionError(f"the fake portal has no button {name!r}")

    def _press(
        self, step: Click, env: ActionEnv, state: StepState, lost: EdubotError | None
    ) -> None:
        b = env.bindings
        if env.run.presses.done(step, b):
            return  # as actions._click: shown done, not pressed again
        if not env.run.presses.claim(step, b):
            raise OutcomeUnknown("pressed twice")
        state.pressed = (step, b)
        self.presses.append((b.record or {}).get("national_id", ""))
        if lost is not None:
            raise lost
