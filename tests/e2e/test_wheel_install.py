"""An officer's install: the wheel, installed outside the checkout, works from any folder.

The wheel is built as `make dist` builds it (the sdist first, the wheel from the sdist, so a
file missing from either shows here), then installed into a fresh virtualenv in a temporary
folder. Its dependencies are not downloaded again: the new environment reads them from this
project's own environment through a `.pth` line, which is placed after the new environment's
own site-packages, so `bot` and `mock_portals` come from the wheel and nothing from the
checkout is on the path (asserted). Then, with the temporary folder as the working folder,
`edubot flows list`, `edubot demo` (the bundled mock) and `edubot check lec/students` run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = "Scripts" if os.name == "nt" else "bin"  # where a Windows venv keeps its programs


def run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `edubot` program of a fresh virtualenv that holds the wheel."""
    base = tmp_path_factory.mktemp("officer")
    dist = base / "dist"
    env = {**os.environ, "PIP_NO_INDEX": "1"}  # nothing comes from the network
    built = run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, REPO], base, env
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("edubot-*-py3-none-any.whl")
    venv = base / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv], base, env)
    assert made.returncode == 0, made.stderr
    python = venv / SCRIPTS / ("python.exe" if os.name == "nt" else "python")
    site = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env
    )
    deps = sysconfig.get_paths()["purelib"]  # this project's environment: the dependencies
    Path(site.stdout.strip(), "_edubot_test_dependencies.pth").write_text(deps + "\n")
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python]
    pip += ["install", "--no-deps", wheel]
    done = run(pip, base, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / SCRIPTS / "edubot"


@pytest.fixture
def officer(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working folder far from the checkout, and an environment without the checkout in it."""
    folder = tmp_path / "work"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["EDUBOT_LANG"] = "en"
    return folder, env


def test_the_installed_package_is_the_wheel_not_the_checkout(
    installed: Path, officer: tuple[Path, dict[str, str]]
) -> None:
    folder, env = officer
    python = installed.with_name("python.exe" if os.name == "nt" else "python")
    code = "import bot.bundle as b, mock_portals as m; print(b.bundle_root()); print(m.__file__)"
    done = run([python, "-c", code], folder, env)
    assert done.returncode == 0, done.stderr
    root, mocks = done.stdout.splitlines()
    venv = installed.parent.parent
    assert Path(root).is_relative_to(venv) and Path(root).name == "_bundled"
    assert Path(mocks).is_relative_to(venv)
    assert not Path(root).is_relative_to(REPO)


def test_flows_list_from_any_folder(installed: Path, officer: tuple[Path, dict[str, str]]) -> None:
    folder, env = officer
    done = run([installed, "flows", "list"], folder, env)
    assert done.returncode == 0, done.stdout + done.stderr
    students = next(ln for ln in done.stdout.splitlines() if "lec/students " in ln)
    assert "เพิ่มหรือปรับปรุงข้อมูลนักเรียน" in students
    assert "esar/upload_sar" in done.stdout


def test_demo_then_a_check_by_name_from_any_folder(
    installed: Path, officer: tuple[Path, dict[str, str]]
) -> None:
    folder, env = officer
    demo = run([installed, "demo"], folder, env)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "12 record(s): added 12" in demo.stdout, demo.stdout
    report = folder / "demo-run" / "report.json"
    assert report.is_file()
    assert "_bundled" in report.read_text(encoding="utf-8")  # the flow came from the wheel
    checked = run(
        [installed, "check", "lec/students", "--data", "demo-run/demo-students.xlsx"], folder, env
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK: lec-students, 12 record(s) ready" in checked.stdout


def test_a_copied_and_edited_flow_is_the_one_that_runs(
    installed: Path, officer: tuple[Path, dict[str, str]]
) -> None:
    folder, env = officer
    copied = run([installed, "flows", "copy", "lec/students"], folder, env)
    assert copied.returncode == 0, copied.stdout + copied.stderr
    copy = Path(env["EDUBOT_CONFIG_DIR"], "flows", "lec", "students.yaml")
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("name: lec-students", "name: lec-students-mine"),
        encoding="utf-8",
    )
    data = folder / "children.xlsx"
    assert run([installed, "template", "students", data], folder, env).returncode == 0
    ran = run([installed, "run", "lec/students", "--data", data, "--dry-run"], folder, env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "lec-students-mine" in ran.stdout
    closed = "http://127.0.0.1:9"  # the doctor asks no real portal from a test
    doctor_env = {**env, "EDUBOT_LEC_URL": closed, "EDUBOT_ESAR_URL": closed}
    doctor = run([installed, "doctor"], folder, doctor_env)
    assert f"your copy {copy} runs instead of edubot's" in doctor.stdout
