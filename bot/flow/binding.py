"""`${record.x}`, `${secret.lec.password}`, `${config.x}`: resolving a flow's placeholders.

Binding happens value by value, at the moment an action needs it, and never edits a step. A
secret resolves to a `Secret`, and only `Fill.value` may hold one (`fill_value`); anywhere else a
secret is refused, so it cannot end up in a URL, a locator or a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from bot.errors import InputError
from bot.flow.model import (
    Click,
    Condition,
    Expect,
    Extract,
    Fill,
    FillForm,
    Flow,
    Goto,
    Locator,
    Popup,
    RejectOn,
    Require,
    Screenshot,
    Select,
    Step,
    Upload,
    When,
)  # fmt: skip
from bot.i18n import say
from bot.secrets import Credentials, Secret

PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
NAMESPACES = ("record", "secret", "config")
_REFERENCE = re.compile(
    r"^(record|secret|config)\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$"
)


class BindingError(InputError):
    """A placeholder names something that does not exist, or a secret where none may go."""


@dataclass(frozen=True)
class Bindings:
    """What placeholders resolve to for one record (or none, outside `for_each`)."""

    record: Mapping[str, str] | None = None
    credentials: Mapping[str, Credentials] = field(default_factory=dict)
    config: Mapping[str, str] = field(default_factory=dict)

    def with_record(self, record: Mapping[str, str]) -> Bindings:
        return Bindings(record, self.credentials, self.config)

    def text(self, template: str) -> str:
        """Resolve a template that must not contain a secret."""
        value = self._resolve(template)
        if isinstance(value, Secret):
            raise BindingError(
                f"{template!r} puts a secret where it could be shown; secrets go only in a "
                '`fill` value, e.g. - fill: {label: รหัสผ่าน, value: "${secret.lec.password}"}'
            )
        return value

    def fill_value(self, template: str) -> str | Secret:
        """Resolve a `fill` value, which alone may be a secret."""
        return self._resolve(template)

    def _resolve(self, template: str) -> str | Secret:
        whole = PLACEHOLDER.fullmatch(template)
        if whole:
            return self._lookup(whole.group(1))

        def one(match: re.Match[str]) -> str:
            value = self._lookup(match.group(1))
            if isinstance(value, Secret):
                raise BindingError(
                    f"{template!r} mixes a secret into other text; a secret must be the whole value"
                )
            return value

        return PLACEHOLDER.sub(one, template)

    def _lookup(self, reference: str) -> str | Secret:
        namespace, _, name = reference.partition(".")
        if namespace == "record":
            if self.record is None:
                raise BindingError(f"${{{reference}}} is used outside `for_each: record`")
            if name not in self.record:
                raise BindingError(f"${{{reference}}}: records have no field {name!r}")
            return self.record[name]
        if namespace == "config":
            if name not in self.config:
                known = ", ".join(sorted(self.config)) or "none"
                raise BindingError(
                    f"${{{reference}}}: "
                    + say(
                        f"ไม่มีค่า {name} ระบุด้วย --var {name}=...",
                        f"no config value {name!r} (known: {known}); "
                        f"set it with --var {name}=VALUE",
                    )
                )
            return self.config[name]
        if namespace == "secret":
            portal, _, what = name.partition(".")
            creds = self.credentials.get(portal)
            if creds is None:
                raise BindingError(f"${{{reference}}}: no credentials were loaded for {portal!r}")
            if what == "username":
                return creds.username
            if what == "password":
                return creds.password
            raise BindingError(f"${{{reference}}}: a secret is `username` or `password`")
        raise BindingError(f"${{{reference}}}: placeholders start with {', '.join(NAMESPACES)}")


@dataclass(frozen=True)
class Reference:
    """One placeholder in a flow, where it stands, and whether a secret may stand there."""

    step: Step
    namespace: str
    name: str
    text: str
    secret_allowed: bool


def _locator_texts(loc: Locator | None) -> Iterator[str]:
    if loc is not None:
        fields = (loc.name, loc.label, loc.text, loc.placeholder, loc.testid, loc.css, loc.has_text)
        yield from (value for value in fields if value)
        yield from _locator_texts(loc.within)


def _condition_texts(cond: Condition) -> Iterator[str]:
    yield from _locator_texts(cond.visible)
    yield from _locator_texts(cond.not_visible)
    for anchor in cond.anchor or ():
        yield from _locator_texts(anchor)
    if cond.url:
        yield cond.url


def _texts(step: Step) -> Iterator[tuple[str, bool]]:
    """Every template string of a step, with whether a secret may appear in it."""
    match step:
        case Fill():
            yield from ((t, False) for t in _locator_texts(step.locator))
            yield step.value, True
        case FillForm():
            for label, value in step.fields.items():
                yield label, False
                yield value, False
        case Goto():
            yield step.path, False
        case Select():
            yield from ((t, False) for t in _locator_texts(step.locator))
            yield step.option, False
        case Upload():
            yield from ((t, False) for t in _locator_texts(step.locator))
            yield step.file, False
        case Extract():
            yield from ((t, False) for t in _locator_texts(step.rows))
            yield from ((t, False) for t in _locator_texts(step.text))
        case Screenshot():
            yield step.name, False
            yield from ((t, False) for t in _locator_texts(step.locator))
        case Click() | RejectOn():
            yield from ((t, False) for t in _locator_texts(step.locator))
        case Expect():
            for loc in step.any or ():
                yield from ((t, False) for t in _locator_texts(loc))
            yield from ((t, False) for t in _locator_texts(step.visible))
            yield from ((t, False) for t in _locator_texts(step.not_visible))
            if step.url:
                yield step.url, False
        case Popup():
            yield from ((t, False) for t in (*step.expect, *step.errors, step.press))
        case When():
            yield from ((t, False) for t in _condition_texts(step.condition))
        case Require():
            yield from ((t, False) for t in _condition_texts(step.condition))
            if step.school:
                yield step.school, False
        case _:
            return


def references(flow: Flow) -> list[Reference]:
    """Every placeholder in the flow (sub-flows included), for checks before any browser opens."""
    found: list[Reference] = []
    for step in flow.walk():
        for text, secret_ok in _texts(step):
            for match in PLACEHOLDER.finditer(text):
                ref = _REFERENCE.match(match.group(1).strip())
                namespace, name = (ref.group(1), ref.group(2)) if ref else ("", match.group(1))
                found.append(Reference(step, namespace, name, text, secret_ok))
    return found
