"""Which requests of a portal only read, told by the command they carry.

Some portals are built on a framework where one URL serves a whole entity and a parameter
names what to do (LEC's Struts pages: `cmd=goCreate` opens a blank form, `cmd=doSave`
stores it), so neither the method nor the path says whether a request changes anything. A
portal's folder describes its commands (bot/portals/lec/commands.py); `edubot probe` lets a
request carrying only read commands through and stops every other. A portal without such
commands (e-SAR) has the empty table: its POSTs are all stopped, its GETs all pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PortalCommands:
    """A portal's command parameter, the commands that only read, and how its pages send them."""

    field: str = ""  # the parameter naming the command ("cmd"); "" when the portal has none
    reads: frozenset[str] = frozenset()  # commands that change nothing the portal stores
    # Whole scripts of a button or link (its onclick, or a `javascript:` href) that send one
    # command and do nothing else: a regex with a group `cmd`, or with a fixed command.
    scripts: tuple[tuple[re.Pattern[str], str], ...] = ()
    # Names of fields that only narrow a list (a search box), sent only with a read command.
    search_fields: tuple[str, ...] = ()  # name prefixes

    def only_reads(self, commands: list[str]) -> bool:
        """True when at least one command was sent and every one of them only reads."""
        return bool(commands) and all(command in self.reads for command in commands)

    def command_of_script(self, script: str) -> str | None:
        """The command a button's whole script sends, when it is one the table knows; else None.

        The script must be exactly one known call: anything more (a `confirm()`, a check
        before a save, two calls) is not understood, and a press that is not understood is
        not made."""
        for pattern, fixed in self.scripts:
            match = pattern.fullmatch(script.strip())
            if match:
                return fixed or match.group("cmd")
        return None

    def is_search_field(self, name: str) -> bool:
        return any(name.startswith(prefix) for prefix in self.search_fields)


NO_COMMANDS = PortalCommands()
