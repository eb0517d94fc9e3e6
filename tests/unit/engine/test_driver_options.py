"""The NODE_OPTIONS edubot gives Playwright's driver: Node accepts them and preloads driver_gc.js,
also from a folder whose name has a space or a backslash (the path is quoted and escaped)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright._impl._driver import compute_driver_executable

from bot.browser.launch import DRIVER_GC_SCRIPT, driver_node_options
from bot.browser import launch as browser

# What the driver's Node sees at start: the modules preloaded by --require.
PROBE = "console.log(JSON.stringify(Object.keys(require.cache)))"


def in_driver_node(script: str, node_options: str) -> str:
    """Run `script` in the Node that Playwright's driver uses, with `node_options`; its output."""
    node = compute_driver_executable()[0]
    done = subprocess.run(
        [node, "-e", script],
        env={**os.environ, "NODE_OPTIONS": node_options},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr  # e.g. "… is not allowed in NODE_OPTIONS"
    return done.stdout


def preloaded(node_options: str) -> list[str]:
    found: list[str] = json.loads(in_driver_node(PROBE, node_options))
    return found


def test_the_driver_preloads_the_gc_script() -> None:
    assert DRIVER_GC_SCRIPT.is_file()
    assert str(DRIVER_GC_SCRIPT) in preloaded(driver_node_options())
    assert "--max-semi-space-size=1" in driver_node_options()


@pytest.mark.parametrize("folder", ["with space", 'quote"and\\backslash'])
def test_the_script_path_survives_node_options_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    moved = tmp_path / folder / "driver_gc.js"
    moved.parent.mkdir()
    shutil.copy(DRIVER_GC_SCRIPT, moved)
    monkeypatch.setattr(browser, "DRIVER_GC_SCRIPT", moved)
    assert str(moved) in preloaded(driver_node_options())


def test_the_gc_script_sets_a_flag_v8_knows() -> None:
    # setFlagsFromString ignores a misspelt flag silently; V8 lists the ones it knows.
    node = compute_driver_executable()[0]
    known = subprocess.run(
        [node, "--v8-options"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    script = DRIVER_GC_SCRIPT.read_text(encoding="utf-8")
    flag = script.split('setFlagsFromString("', 1)[1].split('"', 1)[0]
    assert flag == "--optimize-for-size"
    assert "--optimize-for-size" in known.replace("--optimize_for_size", "--optimize-for-size")


# Garbage that lives a while and is dropped, as the driver's protocol messages are: by default
# V8 lets the heap grow to ~280 MB before collecting it, with --optimize-for-size ~50 MB.
CHURN = """
setImmediate(() => {
  let peak = 0; const live = [];
  for (let round = 0; round < 300; round++) {
    const batch = [];
    for (let i = 0; i < 8000; i++) batch.push({id: i, text: "payload-" + i + "-" + round});
    live.push(batch);
    if (live.length > 20) live.shift();
    peak = Math.max(peak, process.memoryUsage().heapTotal);
  }
  setImmediate(() => console.log(peak));
});
"""


def peak_heap_mb(node_options: str) -> float:
    return int(in_driver_node(CHURN, node_options)) / 2**20


def test_the_gc_flag_holds_the_heap_down_though_set_after_the_driver_loads() -> None:
    """driver_gc.js sets the flag a turn of the event loop late (a faster start); V8 still
    obeys it for every collection after."""
    without = peak_heap_mb("--max-semi-space-size=1")
    with_script = peak_heap_mb(driver_node_options())
    assert with_script < without / 2, (with_script, without)
