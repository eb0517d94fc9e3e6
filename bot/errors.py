"""The whole exception tree of edubot, and the exit code each maps to.

    EdubotError                 base; never raised itself
    ├── InputError              exit 2: the officer's input is wrong; nothing was sent
    │   ├── FlowError           a flow file is malformed (names file:line, the step and the fix)
    │   ├── DataError           a data file has bad rows (carries every problem found)
    │   ├── ConfigError         config/ or an environment variable is wrong
    │   └── SafetyError         a run would break a safety rule (dry-run wall, http, guarded step)
    ├── CredentialsError        exit 2: no usable username/password for a portal
    ├── PortalError             raised while running; fails one record, the run goes on
    │   ├── StepFailed          a step could not be performed or an expectation did not hold
    │   ├── PortalRejected      the portal refused the data with a message of its own
    │   │   ├── RunStopped      …and will take no record at all (a locked school): stop the run
    │   │   └── LoginRefused    …at the login: the username or password is wrong
    │   │       └── AccountBlocked  …the account is locked or its password must be changed
    │   ├── SessionExpired      the portal sent us back to its login page
    │   ├── PreconditionFailed  a guarded step's precondition does not hold; the run stops
    │   └── OutcomeUnknown      an irreversible click's outcome cannot be read; the run stops
    └── InternalError           exit 3: a bug in edubot

Messages are full sentences that name the bad value and say how to fix it. They never contain a
secret: secrets are `Secret` objects whose str() is masked.
"""

from __future__ import annotations

from enum import IntEnum

from bot.i18n import say


class ExitCode(IntEnum):
    """Process exit codes: 0 done, 1 records failed, 2 bad input (nothing sent), 3 internal."""

    DONE = 0
    SOME_RECORDS_FAILED = 1
    BAD_INPUT = 2
    INTERNAL = 3


class EdubotError(Exception):
    """Base of every error edubot raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(EdubotError):
    """The officer's input (flow, data, config, arguments) is wrong; nothing was sent."""

    exit_code = ExitCode.BAD_INPUT


class FlowError(InputError):
    """A flow file is malformed."""

    def __init__(self, path: str, line: int | None, problem: str, fix: str = "") -> None:
        self.path, self.line, self.problem, self.fix = path, line, problem, fix
        where = f"{path}:{line}" if line else path
        # The problem names YAML keys and step kinds, which read the same in either language.
        text = say(f"โฟลว์ {where} ใช้ไม่ได้", f"Failed to parse flow {where}") + f": {problem}"
        super().__init__(f"{text}\n  {say('วิธีแก้', 'Fix')}: {fix}" if fix else text)


class DataError(InputError):
    """A data file has rows that cannot be sent; `problems` lists every one."""

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class ConfigError(InputError):
    """A configuration file or environment variable is wrong."""


class SafetyError(InputError):
    """The run would break a safety rule; stopped before any request."""


class CredentialsError(EdubotError):
    """No usable credentials for a portal."""

    exit_code = ExitCode.BAD_INPUT


class PortalError(EdubotError):
    """Something went wrong on the portal while handling one record."""

    exit_code = ExitCode.SOME_RECORDS_FAILED


class StepFailed(PortalError):
    """A step could not be performed, or an expectation did not hold."""

    # Where in the flows the failing step is, noted by the runner as the error rises: its line,
    # and the flow it was read from when that is another flow's (`run: lec/save`).
    flow_line: int | None = None
    flow_name: str | None = None


class ValueNotAccepted(StepFailed):
    """The page has the field but would not take the record's value (no such option, a field
    read-only): the child's data, not the flow."""


class PortalRejected(PortalError):
    """The portal refused the data and said why (its message is kept verbatim)."""


class RunStopped(PortalRejected):
    """The portal will take no record this run (a confirmed, locked school; a closed round):
    the run stops at once with the portal's words instead of trying every record."""


class FlowDoesNotFit(RunStopped):
    """The first records of a run all failed at the same step, and the portal gave no reason:
    the flow does not fit the page. The run stops rather than fail every child the same way."""


class LoginRefused(PortalRejected):
    """The portal refused the login (its words kept): a wrong username or password."""


class AccountBlocked(LoginRefused):
    """The portal refused the login for the account's state (locked, password expired or to be
    changed): a person must act on the portal. edubot never changes a password, and never types
    this one again in the run (portals count failed logins)."""


class BrowserDidNotStart(PortalError):
    """Chrome closed while starting, twice (a busy or low-memory machine, a security tool): the
    run stops before any record, like a portal that cannot be reached, and a re-run finishes."""


class SessionExpired(PortalError):
    """The portal sent the browser back to its login page mid-run."""


class PreconditionFailed(PortalError):
    """What must be true on the portal before an irreversible step is not; nothing was pressed."""


class OutcomeUnknown(PortalError):
    """An irreversible click was pressed and whether it took effect cannot be read: the run
    stops, and the button is never pressed again (not on a retry, not by another worker)."""


class InternalError(EdubotError):
    """A bug in edubot."""
