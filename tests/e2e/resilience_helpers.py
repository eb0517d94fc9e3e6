"""Helpers for the resilience tests: a wire log of the mock's form posts, and run bookkeeping.

`SaveLog` wraps the mock LEC as ASGI middleware, outside the mock's own fault middleware, so it
sees every student save the browser sent (also those the faults answer with 500) and the status
each got: `POST /student/save.do` on the accessible rendering, `POST /student/student.do` with
`cmd=doSave` on the framework's (the vendor framework's one URL per entity). That turns "entered
exactly once" into something a test can count: one insert answered with the list and its
"saved" flash per national ID. It can also answer the next few posts to a path with the mock's
own 500 page, to place one transient fault exactly where a test wants it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.data.records import STUDENT_FIELDS, Student
from mock_portals.lec.faults import SERVER_ERROR_HTML, buffer_body
from mock_portals.serve import ServedApp

MUNICIPAL_SCHOOL = "3040010002"
SAVE_PATH = "/student/save.do"
FW_STUDENT_PATH = "/student/student.do"  # the framework rendering's: every command, saves too
LOGIN_PATH = "/login.do"
SERVER_ERROR = "ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง"  # the mock's 500 page
SAVED_FLASH = "บันทึกข้อมูลเรียบร้อย"


@dataclass(frozen=True)
class Post:
    """One form post as it crossed the wire."""

    national_id: str
    # The portal is asked to add: no student id in the form (accessible); no child with this ID
    # on the portal before the post (framework: add or edit is the session's, not the form's).
    insert: bool
    status: int
    location: str  # where a redirect sent the browser
    flashed_saved: bool = False  # the answer carried the portal's "saved" flash

    @property
    def stored(self) -> bool:
        """The portal saved it: the list with its "saved" flash, rendered in the save's own
        answer (or, with `save_redirects`, a 303 to it) — not the form again, not the login."""
        if self.status == 303:
            return self.location.endswith("saved=1")
        return self.status == 200 and self.flashed_saved


@dataclass
class SaveLog:
    """ASGI middleware: logs each student save post, and can fail the next posts to a path."""

    app: ASGIApp
    posts: list[Post] = field(default_factory=list)
    fail_next: Counter[str] = field(default_factory=Counter)  # path → posts left to answer 500
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        with self._lock:
            inject = self.fail_next[path] > 0
            if inject:
                self.fail_next[path] -= 1
        if inject:
            await HTMLResponse(SERVER_ERROR_HTML, status_code=500)(scope, receive, send)
            return
        if path not in (SAVE_PATH, FW_STUDENT_PATH):
            await self.app(scope, receive, send)
            return
        body, replay = await buffer_body(receive)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        framework = path == FW_STUDENT_PATH
        if framework and form.get("cmd") != "doSave":
            await self.app(scope, replay, send)
            return
        if framework:
            national_id = form.get("formData.nationalId", "")
            insert = national_id not in self._held()
        else:
            national_id, insert = form.get("national_id", ""), not form.get("id", "")
        status, location, answer = 0, "", bytearray()

        async def send_logged(message: Message) -> None:
            nonlocal status, location
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = dict(message.get("headers", []))
                location = headers.get(b"location", b"").decode("latin-1")
            elif message["type"] == "http.response.body":
                answer.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, replay, send_logged)
        flashed = SAVED_FLASH.encode() in answer
        post = Post(national_id, insert, status, location, flashed)
        with self._lock:
            self.posts.append(post)

    def _held(self) -> set[str]:
        """The national IDs the wrapped mock holds now, over every school."""
        portal = self.app.state.portal  # type: ignore[attr-defined]  # the mock's Starlette app
        return {s.values["national_id"] for s in portal.db.students()}

    def snapshot(self) -> list[Post]:
        with self._lock:
            return list(self.posts)

    def inserts_stored(self) -> Counter[str]:
        """National ID → how many add posts the portal accepted."""
        return Counter(p.national_id for p in self.snapshot() if p.insert and p.stored)

    def updates_stored(self) -> Counter[str]:
        return Counter(p.national_id for p in self.snapshot() if not p.insert and p.stored)


def mock_state(lec: ServedApp) -> dict[str, Any]:
    response = httpx.get(f"{lec.url}/_mock/state", timeout=30)
    response.raise_for_status()
    state: dict[str, Any] = response.json()
    return state


def set_faults(lec: ServedApp, **faults: float | int | str | dict[str, float]) -> None:
    httpx.post(f"{lec.url}/_mock/faults", json=faults, timeout=30).raise_for_status()


def stored_ids(lec: ServedApp) -> Counter[str]:
    """National ID → how many students the mock holds with it, over every school."""
    return Counter(s["national_id"] for s in mock_state(lec)["students"])


def school_students(lec: ServedApp) -> dict[str, dict[str, Any]]:
    students = mock_state(lec)["students"]
    return {s["national_id"]: s for s in students if s["school_code"] == MUNICIPAL_SCHOOL}


def field_mismatches(lec: ServedApp, kids: Iterable[Student]) -> list[str]:
    """Every `ID.field: stored != wanted` where the mock differs from the data file."""
    stored = school_students(lec)
    wrong = []
    for kid in kids:
        row = stored.get(kid.national_id)
        if row is None:
            wrong.append(f"{kid.national_id}: missing")
            continue
        values = kid.as_portal_values()
        wrong += [
            f"{kid.national_id}.{spec.key}: {row[spec.key]!r} != {values[spec.key]!r}"
            for spec in STUDENT_FIELDS
            if row[spec.key] != values[spec.key]
        ]
    return wrong


def read_report(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return data


def assert_report_accounts_for(report: dict[str, Any], count: int) -> None:
    """Each record once, in file order, with a known status; totals add up to the records."""
    records = report["records"]
    assert [r["index"] for r in records] == list(range(1, count + 1))
    statuses = Counter(r["status"] for r in records)
    totals = report["totals"]
    assert totals["records"] == count
    assert sum(v for k, v in totals.items() if k != "records") == count
    assert {k: v for k, v in totals.items() if k != "records" and v} == dict(statuses)
    assert report["exit_code"] == (1 if statuses["failed"] else 0)
    for record in records:
        if record["status"] == "failed":
            assert record["message"].strip(), record
            assert record["screenshot"], record
        if record["status"] == "skipped":
            assert record["attempts"] == 0, record


def wait_until(
    condition: Callable[[], bool], deadline_s: float, what: str, alive: Callable[[], bool]
) -> None:
    """Poll `condition` until it holds; fail after `deadline_s` or when `alive()` turns false."""
    deadline = time.monotonic() + deadline_s
    while not condition():
        if not alive():
            raise AssertionError(f"the run ended before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {deadline_s:.0f} s waiting for {what}")
        threading.Event().wait(0.05)  # the poll interval; the wait itself is the condition
