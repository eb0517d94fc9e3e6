# One place that sets a machine up. `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast check lint typecheck bench browser dist clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installed Google Chrome, else a system Chromium, else Debian's chromium (as root), else Playwright's;
# as root with apt also Debian's chromium-headless-shell, which headless runs and the tests prefer.
browser: $(STAMP)
	$(PY) -m bot.browser --ensure

demo: browser
	$(VENV)/bin/edubot demo

# Two processes, each taking whole files (module fixtures, the wheel test's build folder):
# most tests wait on a browser or a mock's latency, so two cores finish in about half the time.
test: browser
	$(PY) -m pytest -n 2 --dist loadfile

# What needs no browser (unit tests, fake tabs): seconds, not minutes.
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

check: lint typecheck test

# What an officer installs: dist/edubot-VERSION-py3-none-any.whl (and the sdist it is built from),
# with the flows, the default config and the mock portals inside (setup.py, bot/bundle.py).
dist: $(STAMP)
	rm -rf dist
	$(PY) -m build --no-isolation --outdir dist .

bench: browser
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
