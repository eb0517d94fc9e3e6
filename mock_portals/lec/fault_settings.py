"""What `/_mock/faults` may set, and the checks that refuse a bad setting (test-only surface).

`faults.py` applies these settings to requests; the portal's pages read the few that change a
page (`report_drops`, `school_rows_unmarked`, `rename_labels`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

DOWN_MODES = ("503", "refuse")


class FaultSettingError(ValueError):
    """A `/_mock/faults` body that names an unknown setting or a value out of range."""


@dataclass(frozen=True)
class Faults:
    """What to inject; the defaults inject nothing."""

    latency_ms: float = 0
    jitter_ms: float = 0
    error_rate: float = 0.0
    session_ttl_requests: int | None = None
    seed: int | None = None
    trickle_ms: float = 0  # an HTML page's second half arrives this long after its first
    # Not a fault but the portal's manner: answer a student save with 303 → list (Post/Redirect/
    # Get) instead of rendering the list in the save's own response (a Struts forward).
    save_redirects: bool = False
    # Portal changes a guard must notice (tests of fail-closed guards): RPT318 leaves out these
    # fields' columns (a report that shows less than the form; leaving out `national_id` makes
    # its header unrecognisable), and the LGO home lists its schools without the rows'
    # data-testid (a redesigned page on which "no unconfirmed row" proves nothing).
    report_drops: tuple[str, ...] = ()
    school_rows_unmarked: bool = False
    # A portal update that renames what the officer reads beside a field: `{"ชื่อ": "ชื่อจริง"}`
    # changes the text of every <label> reading ชื่อ, on every page and in both markups; names,
    # ids and messages stay as they were (tests of the probe's "closest candidate").
    rename_labels: dict[str, str] = field(default_factory=dict)
    # Per route (`"POST /school/confirm.do"`): the portal handles the request at once and its
    # answer leaves this much later (the confirmation is made; the browser hears nothing).
    answer_delay_ms: dict[str, float] = field(default_factory=dict)
    # Per route: the request waits this long before the portal handles it at all.
    request_delay_ms: dict[str, float] = field(default_factory=dict)
    # Per route: a gateway in front answers 504, after the portal handled the request
    # ("handled") or without passing it on ("lost"). The browser cannot tell which.
    gateway_timeout: dict[str, str] = field(default_factory=dict)
    # An outage: from the `down_from_request`-th request outside /_mock/ after this setting
    # (the first when None) for `down_for_s` seconds every request is answered 503 ("503") or
    # its connection closed without an answer ("refuse"); then the portal is back.
    down_for_s: float = 0
    down_from_request: int | None = None
    down_mode: str = "503"
    # Per route (`"GET /student/list.do"`, or `"/student/list.do"` for every method): the page
    # takes this long to build; the request waits before the portal handles it.
    slow_ms: dict[str, float] = field(default_factory=dict)
    # Share of POSTs (a number), or per route (`{"POST /student/save.do": 0.5}`), that the
    # portal handles and commits, then closes the connection without an answer.
    lost_answer_rate: float | dict[str, float] = 0.0

    @classmethod
    def from_json(cls, body: Any) -> Faults:
        """Settings from a JSON object; keys left out take their defaults."""
        if not isinstance(body, dict):
            raise FaultSettingError("Fault settings must be a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(body) - known)
        if unknown:
            raise FaultSettingError(f"Unknown fault setting {unknown}. Known: {sorted(known)}.")
        drops = body.get("report_drops", [])
        if not isinstance(drops, list) or not all(isinstance(k, str) for k in drops):
            raise FaultSettingError(
                f"Fault 'report_drops' has value {drops!r}. Not a list of keys."
            )
        faults = cls(**(body | {"report_drops": tuple(drops)}))
        faults._check()
        return faults

    def _check(self) -> None:
        for name in ("latency_ms", "jitter_ms", "trickle_ms", "down_for_s"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise FaultSettingError(f"Fault '{name}' has value {value!r}. Not a number >= 0.")
        rate = self.error_rate
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise FaultSettingError(f"Fault 'error_rate' has value {rate!r}. Not in 0..1.")
        for name in ("save_redirects", "school_rows_unmarked"):
            if not isinstance(getattr(self, name), bool):
                raise FaultSettingError(
                    f"Fault '{name}' has value {getattr(self, name)!r}. Not true or false."
                )
        for name in ("answer_delay_ms", "request_delay_ms", "slow_ms"):
            routes = getattr(self, name)
            if not isinstance(routes, dict) or not all(
                isinstance(k, str) and isinstance(v, int | float) and v >= 0
                for k, v in routes.items()
            ):
                raise FaultSettingError(
                    f"Fault '{name}' has value {routes!r}. Not a map of 'METHOD /path' to ms >= 0."
                )
        gateway = self.gateway_timeout
        if not isinstance(gateway, dict) or not all(
            isinstance(k, str) and v in ("handled", "lost") for k, v in gateway.items()
        ):
            raise FaultSettingError(
                f"Fault 'gateway_timeout' has value {gateway!r}. "
                "Not a map of 'METHOD /path' to 'handled' or 'lost'."
            )
        for name in ("session_ttl_requests", "seed"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise FaultSettingError(f"Fault '{name}' has value {value!r}. Not an int >= 0.")
        self._check_busy_portal()
        self._check_rename_labels()

    def _check_busy_portal(self) -> None:
        start = self.down_from_request
        if start is not None and (not _is_int(start) or start < 1):
            raise FaultSettingError(
                f"Fault 'down_from_request' has value {start!r}. Not an int >= 1 (or null)."
            )
        if self.down_mode not in DOWN_MODES:
            raise FaultSettingError(
                f"Fault 'down_mode' has value {self.down_mode!r}. Not '503' or 'refuse'."
            )
        lost = self.lost_answer_rate
        rates = lost.values() if isinstance(lost, dict) else [lost]
        if not all(_is_rate(r) for r in rates) or (
            isinstance(lost, dict) and not all(isinstance(k, str) for k in lost)
        ):
            raise FaultSettingError(
                f"Fault 'lost_answer_rate' has value {lost!r}. "
                "Not a number in 0..1 or a map of 'METHOD /path' to one."
            )

    def _check_rename_labels(self) -> None:
        renames = self.rename_labels
        if (
            not isinstance(renames, dict)
            or not all(_is_text(k) and _is_text(v) for k, v in renames.items())
            or any(k.strip() == v.strip() for k, v in renames.items())
        ):
            raise FaultSettingError(
                f"Fault 'rename_labels' has value {renames!r}. "
                "Not a map of a label's text to a different, non-blank text."
            )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_rate(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
