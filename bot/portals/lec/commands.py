"""LEC's commands: which of its framework's requests only read.

Facts (docs/lec-portal-facts.md, from the vendor's framework starter): an entity page is one
URL whose form carries a hidden `cmd`; `struts.js`'s `doCmd(cmd, index)` sets it (and
`data_index`) and submits the form by POST, `doGoto(pos)` submits `cmd=list` with a list
position; Struts reads `cmd` from the query as from the form. `BaseDomainAction` stores data
only on `doSave` and `doDelete`; `list`, `listAll`, `resetSearch`, `goCreate`, `goView`,
`goUpdate` and `exportExcel` show a list, a form or a file and store nothing (Struts copies
the posted fields into the session's form bean, which the portal keeps until a save, so a
search or a blank form changes nothing the portal stores). Every other command — `doSave`,
`doDelete`, the login's `doLogin`/`doSetNode`/`doSavePassword`/`doLogout`, a confirmation, one
this table has never seen — is not a read.
"""

from __future__ import annotations

import re

from bot.portals.commands import PortalCommands

# `doCmd('goCreate')`, `doCmd('goUpdate', 3)`, `javascript:doCmd('goView', 0);`
_DO_CMD = re.compile(r"(?:javascript:)?\s*doCmd\(\s*(['\"])(?P<cmd>\w+)\1\s*(?:,\s*\d+\s*)?\)\s*;?")
# `doGoto(0)`, `javascript:doGoto(20)`: the list at a position (cmd=list)
_DO_GOTO = re.compile(r"(?:javascript:)?\s*doGoto\(\s*\d+\s*\)\s*;?")

COMMANDS = PortalCommands(
    field="cmd",
    reads=frozenset(
        {"list", "listAll", "resetSearch", "goCreate", "goView", "goUpdate", "exportExcel"}
    ),
    scripts=((_DO_CMD, ""), (_DO_GOTO, "list")),
    # `_cursor.jsp` posts `searchCondition.position` and `searchCondition.pageSize`: a list's
    # search condition is the form bean's `searchCondition`, so are its search boxes.
    search_fields=("searchCondition.",),
)
