"""The one build step pyproject.toml cannot say: ship the top-level flows/ and config/ inside the
package, as bot/_bundled/flows and bot/_bundled/config, so that an installed edubot (a wheel,
pipx) works from any folder. Everything else about the build is in pyproject.toml.

An editable install (`pip install -e .`, `make`) copies nothing: bot/bundle.py then reads the
checkout's own folders, so an edited flow runs without a rebuild.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("flows", "config")


class BuildPyWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED_FOLDERS:
            target = Path(self.build_lib, "bot", "_bundled", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithBundle})
