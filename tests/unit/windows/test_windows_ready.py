"""Windows differs: browser folders, the console's code page, path lengths. Pure tests."""

from __future__ import annotations

import ast
import io
import shutil
from pathlib import Path, PurePath, PureWindowsPath

import pytest

from bot import bundle
from bot.browser import find as launch  # the browser search
from bot.browser.platform_paths import (
    find_windows_browser,
    playwright_cache,
    windows_browser_paths,
)
from bot.text_streams import is_utf8, use_utf8_output

WINDOWS_ENV = {
    "ProgramFiles": r"C:\Program Files",
    "ProgramFiles(x86)": r"C:\Program Files (x86)",
    "LOCALAPPDATA": r"D:\Users\somchai\AppData\Local",  # Windows on a D: drive
}


def test_windows_browser_paths_cover_both_program_folders_and_the_users_own() -> None:
    paths = windows_browser_paths(WINDOWS_ENV)
    assert paths[0] == (
        "chrome",
        PureWindowsPath(r"C:\Program Files\Google\Chrome\Application\chrome.exe"),
    )
    assert (
        "chrome",
        PureWindowsPath(r"D:\Users\somchai\AppData\Local\Google\Chrome\Application\chrome.exe"),
    ) in paths
    assert (
        "msedge",
        PureWindowsPath(r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
    ) in paths
    assert [kind for kind, _ in paths].index("msedge") == 3  # every Chrome before any Edge


def test_a_per_user_chrome_is_found_before_edge() -> None:
    installed = {
        r"D:\Users\somchai\AppData\Local\Google\Chrome\Application\chrome.exe",
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    }
    found = find_windows_browser(WINDOWS_ENV, installed.__contains__, "win32")
    assert found == (
        "chrome",
        r"D:\Users\somchai\AppData\Local\Google\Chrome\Application\chrome.exe",
    )


def test_edge_alone_is_found_and_driven_as_a_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    edge = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
    assert find_windows_browser(WINDOWS_ENV, {edge}.__contains__, "win32") == ("msedge", edge)
    monkeypatch.delenv("EDUBOT_BROWSER", raising=False)
    monkeypatch.setattr(launch, "find_windows_browser", lambda: ("msedge", edge))
    monkeypatch.setattr(launch, "_CHROME_PATHS", ())
    monkeypatch.setattr(shutil, "which", lambda name: None)
    choice = launch.find_browser(headless=False)
    assert choice == launch.BrowserChoice("chromium", executable=edge)


def test_no_windows_search_on_other_systems() -> None:
    assert find_windows_browser(WINDOWS_ENV, lambda path: True, "linux") is None


@pytest.mark.parametrize("code_page", ["cp874", "cp1252", "ascii"])
def test_redirected_output_in_a_windows_code_page_writes_thai_as_utf8(code_page: str) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=code_page)
    use_utf8_output(stream)
    stream.write("✓ เบราว์เซอร์ — ok\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "✓ เบราว์เซอร์ — ok\n"


def test_a_utf8_stream_and_a_capture_are_left_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    use_utf8_output(stream)
    assert stream.errors == "strict"
    capture = io.StringIO()
    use_utf8_output(capture)  # no reconfigure: nothing to do, and no error
    assert is_utf8("UTF8") and is_utf8("utf-8") and not is_utf8("cp874") and not is_utf8(None)


def test_installed_files_keep_well_within_windows_path_limit() -> None:
    # Windows refuses paths over 260 characters unless long paths are switched on. A pipx
    # install puts the packages at about C:\\Users\\NAME\\pipx\\venvs\\edubot\\Lib\\site-packages
    # (~60-80 characters); what the wheel installs under it must leave room for a long name.
    import bot
    import mock_portals

    root = bundle.bundle_root()
    inside = [
        f"bot/_bundled/{p.relative_to(root).as_posix()}"
        for folder in (root / "flows", root / "config")
        for p in folder.rglob("*")
    ]
    for package in (bot, mock_portals):
        top = Path(str(package.__file__)).parent
        inside += [f"{top.name}/{p.relative_to(top).as_posix()}" for p in top.rglob("*")]
    longest = max(inside, key=len)
    assert len(longest) < 100, longest


def test_the_user_folder_is_the_roaming_profile_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("EDUBOT_CONFIG_DIR")
    seen: dict[str, object] = {}

    def config_dir(appname: str, **options: object) -> str:
        seen.update(options, appname=appname)
        return r"C:\Users\somchai\AppData\Roaming\edubot"

    monkeypatch.setattr(platformdirs, "user_config_dir", config_dir)
    assert str(bundle.user_dir()).endswith("edubot")
    assert seen == {"appname": "edubot", "appauthor": False, "roaming": True}


def test_playwrights_own_browsers_are_looked_for_where_each_system_keeps_them() -> None:
    home = PurePath("/home/somchai")
    local = {"LOCALAPPDATA": r"C:\Users\somchai\AppData\Local"}
    assert str(playwright_cache(local, "win32", Path(home))).endswith("ms-playwright")
    assert r"AppData\Local" in str(playwright_cache(local, "win32", Path(home)))
    mac = playwright_cache({}, "darwin", Path(home))
    assert mac == Path(home, "Library", "Caches", "ms-playwright")
    assert playwright_cache({}, "linux", Path(home)) == Path(home, ".cache", "ms-playwright")
    moved = {"PLAYWRIGHT_BROWSERS_PATH": "/srv/pw", **local}
    assert playwright_cache(moved, "win32", Path(home)) == Path("/srv/pw")


def test_doctor_names_windows_credential_manager_as_the_keyring() -> None:
    import keyring
    from keyring.backends import Windows

    from bot.ops.doctor import check_keyring, keyring_backend

    previous = keyring.get_keyring()
    keyring.set_keyring(Windows.WinVaultKeyring())  # type: ignore[no-untyped-call]
    try:
        name = keyring_backend()
    finally:
        keyring.set_keyring(previous)
    assert name == "keyring.backends.Windows.WinVaultKeyring"
    result = check_keyring(name, {})
    assert result.status == "ok"
    assert result.detail == name


def test_private_files_are_written_without_posix_only_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows' Python has no os.fchmod before 3.13 (nor os.geteuid at all): `edubot template`
    # and `edubot demo` write the workbook through write_private, which must not need it.
    import os
    import stat

    from bot.data.files import write_private

    monkeypatch.delattr(os, "fchmod", raising=False)
    existing = tmp_path / "children.xlsx"
    existing.write_bytes(b"old")
    existing.chmod(0o644)
    write_private(existing, b"new")
    assert existing.read_bytes() == b"new"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600  # where the bits mean something


def test_root_is_asked_only_where_the_system_knows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delattr(os, "geteuid", raising=False)  # as on Windows
    assert launch.is_root() is False


def test_mock_serve_waits_in_steps_that_ctrl_c_can_interrupt_on_windows() -> None:
    from bot.cli.admin import wait_until_stopped

    class Stop:
        def __init__(self) -> None:
            self.timeouts: list[float | None] = []

        def wait(self, timeout: float | None = None) -> bool:
            self.timeouts.append(timeout)
            return len(self.timeouts) == 3  # set (SIGTERM) while the third wait runs

    stop = Stop()
    wait_until_stopped(stop, poll_s=0.5)  # type: ignore[arg-type]
    assert stop.timeouts == [0.5, 0.5, 0.5]  # never a wait without a timeout


def test_a_port_windows_keeps_for_itself_is_a_refusal_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import contextlib

    import typer

    from bot.cli import admin

    def reserved(asgi: object, port: int) -> object:
        raise OSError(10013, "An attempt was made to access a socket in a forbidden way")

    monkeypatch.setattr(admin, "serve_in_thread", reserved)
    with contextlib.ExitStack() as stack, pytest.raises(typer.Exit) as stopped:
        admin._serve_on(stack, object(), 8001, "--lec-port")
    assert stopped.value.exit_code == 2
    assert "--lec-port" in capsys.readouterr().err


# What Windows' Python lacks (or cannot honour: fork, SIGKILL-style signals), and the folder
# only POSIX has. A use that guards itself is listed with the guard that makes it safe.
POSIX_ONLY_ATTRIBUTES = {
    "os": {"fchmod", "fchown", "getuid", "geteuid", "fork", "killpg", "setsid", "getpgid"},
    "signal": {"SIGKILL", "SIGHUP", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD"},
}
POSIX_ONLY_MODULES = {"fcntl", "pwd", "grp", "resource", "termios"}
GUARDED = {("bot/browser/find.py", "os.geteuid"): 'hasattr(os, "geteuid")'}


def posix_only_uses(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_ONLY_ATTRIBUTES.get(node.value.id, ()):
                found.append(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name in POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in POSIX_ONLY_MODULES:
            found.append(f"import {node.module}")
        elif isinstance(node, ast.keyword) and node.arg == "preexec_fn":
            found.append("preexec_fn")
        elif isinstance(node, ast.Constant) and str(node.value).startswith("/tmp"):
            found.append(repr(node.value))
    return found


def test_no_posix_only_call_in_what_an_officer_runs() -> None:
    repo = Path(__file__).resolve().parents[3]
    found = []
    for package in ("bot", "mock_portals"):
        for path in sorted((repo / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            where = path.relative_to(repo).as_posix()
            for use in posix_only_uses(ast.parse(text)):
                guard = GUARDED.get((where, use))
                if not (guard and guard in text):
                    found.append(f"{where}: {use}")
    assert found == []


def test_the_scan_sees_what_it_looks_for() -> None:
    code = (
        "import os, fcntl\nos.fchmod(1, 0)\nsubprocess.run(a, preexec_fn=os.setsid)\np = '/tmp/x'"
    )
    assert posix_only_uses(ast.parse(code)) != []
    assert sorted(posix_only_uses(ast.parse(code))) == sorted(
        ["import fcntl", "os.fchmod", "preexec_fn", "os.setsid", "'/tmp/x'"]
    )
