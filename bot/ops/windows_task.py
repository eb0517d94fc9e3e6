"""The command that registers one of edubot's Windows tasks (bot/ops/schedule.py uses it).

Not `schtasks /Create /SC ONCE /SD … /ST …`, for two reasons a deadline-day run would meet:
- /SD reads the date in the format of the machine's regional settings (schtasks answers e.g.
  'Invalid Start Date (Date should be in "mm/dd/yyyy" format)' on one machine and dd/mm/yyyy
  on another), so one fixed format is wrong somewhere, and a Thai Windows writes its dates in
  the Buddhist era;
- schtasks cannot change Task Scheduler's defaults (Task Scheduler schema, settingsType): a task
  does not start while a laptop runs on battery (DisallowStartIfOnBatteries, default true), is
  stopped when one is unplugged (StopIfGoingOnBatteries, default true), and a start missed
  while the computer was off or asleep is skipped (StartWhenAvailable, default false).

So the task is registered by PowerShell's ScheduledTasks module (Windows 8 and later), which
sets all three. The time is built from numbers (`[datetime]::new`), never parsed from text, so
no regional setting reads it. Without -User or -Principal the task runs as the officer who
registers it, while signed in, with the officer's Windows Credential Manager at hand.
schtasks still lists and deletes the tasks (bot/ops/schedule.py): it names them the same way.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime


def powershell_literal(text: str) -> str:
    """A PowerShell single-quoted string: nothing in it is expanded; ' is written ''."""
    return "'" + text.replace("'", "''") + "'"


def register_task_script(folder: str, name: str, program: str, when: datetime) -> str:
    """PowerShell that creates (or replaces) task `\\folder\\name` running `program` once at
    `when` (local wall-clock time), on battery too, and as soon as it can after a missed start."""
    # In parentheses: a bare [datetime]::new(…) after -At would be read as a string.
    at = f"([datetime]::new({when.year}, {when.month}, {when.day}, {when.hour}, {when.minute}, 0))"
    settings = "-AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable"
    execute = powershell_literal('"' + program + '"')  # quoted: a folder name may have spaces
    path = powershell_literal("\\" + folder + "\\")
    return "\n".join(
        [
            "$ErrorActionPreference = 'Stop'",  # any failure ends the script with exit 1
            "$ProgressPreference = 'SilentlyContinue'",  # no progress records on stderr
            f"$action = New-ScheduledTaskAction -Execute {execute}",
            f"$trigger = New-ScheduledTaskTrigger -Once -At {at}",
            f"$settings = New-ScheduledTaskSettingsSet {settings}",
            f"Register-ScheduledTask -TaskPath {path} -TaskName {powershell_literal(name)}"
            " -Action $action -Trigger $trigger -Settings $settings -Force > $null",
        ]
    )


def powershell_args(script: str) -> list[str]:
    """The command line that runs `script`; -EncodedCommand (UTF-16LE, base64) keeps Thai
    folder names and quotes intact, and no execution policy applies to it (not a file)."""
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    return ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]


def readable_error(stderr: str) -> str:
    """PowerShell's error as words: started with -EncodedCommand and its output captured, it may
    write its error stream serialized as CLIXML (`#< CLIXML <Objs …><S S="Error">…`)."""
    if "#< CLIXML" not in stderr:
        return stderr.strip()
    parts = re.findall(r'<S S="Error">(.*?)</S>', stderr, flags=re.DOTALL)
    text = "".join(html.unescape(p).replace("_x000D_", "").replace("_x000A_", " ") for p in parts)
    return " ".join(text.split())


def decoded_script(args: list[str]) -> str:
    """The script inside `powershell_args(...)` (tests and error messages read it)."""
    return base64.b64decode(args[-1]).decode("utf-16-le")


def task_program_script(folder: str, name: str) -> str:
    """PowerShell that prints the program task `\\folder\\name` runs, as base64 of its UTF-8:
    ASCII on any console code page, so a Thai folder name comes back whole."""
    return "\n".join(
        [
            "$ErrorActionPreference = 'Stop'",
            "$ProgressPreference = 'SilentlyContinue'",
            f"$task = Get-ScheduledTask -TaskPath {powershell_literal(chr(92) + folder + chr(92))}"
            f" -TaskName {powershell_literal(name)}",
            "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($task.Actions[0].Execute))",
        ]
    )


def task_program(printed: str) -> str:
    """The program's path from what `task_program_script` printed (quotes taken off)."""
    words = printed.split()
    return base64.b64decode(words[-1]).decode("utf-8").strip().strip('"') if words else ""


_QUOTED_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')


def wrapper_command(text: str) -> tuple[dict[str, str], list[str]]:
    """(the variables it sets, the `edubot run …` words) of a wrapper that
    bot/ops/schedule.windows_wrapper_script wrote; `%%` back to `%`."""
    env: dict[str, str] = {}
    words: list[str] = []
    for line in text.splitlines():
        if line.startswith('set "') and line.endswith('"') and "=" in line:
            name, _, value = line[5:-1].partition("=")
            env[name] = value.replace("%%", "%")
        elif line.startswith('"'):
            for quoted, bare in _QUOTED_OR_WORD.findall(line):
                if bare == ">>":
                    break
                words.append((quoted or bare).replace("%%", "%"))
    return env, words
