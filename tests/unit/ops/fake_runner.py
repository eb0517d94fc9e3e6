"""A stand-in for the command runner the Task Scheduler store calls (schtasks, PowerShell)."""

from __future__ import annotations

import subprocess


class FakeRunner:
    """Records the commands; answers each with the given output and exit code."""

    def __init__(self, stdout: str = "", returncode: int = 0, stderr: str = "ERROR: denied"):
        self.calls: list[list[str]] = []
        self.stdout, self.returncode, self.stderr = stdout, returncode, stderr

    def __call__(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(args)
        return subprocess.CompletedProcess(args, self.returncode, self.stdout, self.stderr)
