# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_ARGS ?=

.PHONY: demo test test-fast lint typecheck contracts unit coverage serve clean screenshots messages browser-check redis-check

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per extra: installing again only when pyproject.toml changes.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/ppne demo $(DEMO_ARGS)

test: $(VENV)/.installed-dev lint typecheck contracts browser-check redis-check unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy core basket

contracts: $(VENV)/.installed-dev
	$(BIN)/lint-imports

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -n auto --dist loadgroup -q

# The suite with line coverage (slower by a third: not part of `make test`).
coverage: $(VENV)/.installed-dev
	$(BIN)/pytest -n auto --cov --cov-report=term:skip-covered -q

# The tests without the slow ones (crawls, subprocesses, servers, benchmarks): quick feedback.
test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -n auto -m "not slow" -q

# The browser tests (tests/web/test_browser.py) need Debian's Chromium: say once when it is absent.
browser-check:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || \
		echo "browser tests skipped: no Chromium found (apt-get install chromium)"

# The distributed crawl test needs the Redis server on 127.0.0.1:6379: say once when none answers.
redis-check: $(VENV)/.installed-dev
	@$(BIN)/python -c 'import redis; redis.Redis(socket_connect_timeout=1).ping()' 2>/dev/null || \
		echo "distributed crawl test skipped: no Redis answers on 127.0.0.1:6379"

# Each page of the web app in French and English, with axe-core's findings beside them.
screenshots: $(VENV)/.installed-dev
	mkdir -p out/screenshots
	PPNE_SCREENSHOTS=$(CURDIR)/out/screenshots $(BIN)/pytest -q -p no:cacheprovider \
		tests/web/test_browser.py tests/web/test_browser_privacy.py tests/web/test_browser_coordinator.py \
		tests/web/test_browser_dietitian.py -k "screenshots or dietitian_journey"
	@ls out/screenshots

# Extract the web app's and the publications' strings into their catalogues (then translate them).
messages: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F web/babel.cfg -o web/locale/messages.pot --no-location .
	$(BIN)/pybabel update -i web/locale/messages.pot -d web/locale --no-fuzzy-matching
	rm web/locale/messages.pot
	$(BIN)/pybabel extract -F publications/babel.cfg -o publications/locale/messages.pot --no-location --no-wrap .
	$(BIN)/pybabel update -i publications/locale/messages.pot -d publications/locale --no-fuzzy-matching --no-wrap
	rm publications/locale/messages.pot

serve: $(VENV)/.installed
	$(BIN)/ppne serve

clean:
	rm -rf $(VENV) data out .pytest_cache .mypy_cache .ruff_cache .coverage
