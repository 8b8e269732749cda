# Guanxi CRM: `make run` starts the CRM with a demo workspace; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
OPENAPI := docs/openapi.yaml

.PHONY: run test bench setup browser lint schema messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

var/static/.collected: $(VENV)/.installed node_modules/.installed
	$(PY) -m guanxi collectstatic --noinput -v0
	touch $@

setup: $(VENV)/.installed node_modules/.installed var/static/.collected

run: setup
	$(PY) -m guanxi migrate -v0
	$(PY) -m guanxi demo --if-empty
	$(PY) -m guanxi serve --port $(PORT)

# Debian's chromium drives the Playwright tests (CJK fonts for readable screenshots) and GNU
# gettext checks the translations; both installed when we are root with apt.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and gettext for the browser and translation tests…"; \
		apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei gettext >/dev/null; \
	else \
		echo "NOTE: chromium/gettext are not installed and cannot be installed here (needs root and apt): browser and translation-coverage tests will be skipped."; \
	fi

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

schema: setup
	$(PY) -m guanxi spectacular --lang en --validate --fail-on-warn --file $(OPENAPI)

test: setup browser lint
	$(PY) -m guanxi makemigrations --check --dry-run -v1
	$(PY) -m guanxi spectacular --lang en --validate --fail-on-warn --file var/openapi.yaml
	diff -u $(OPENAPI) var/openapi.yaml || (echo "The OpenAPI document changed: run 'make schema' and commit $(OPENAPI)"; exit 1)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

messages: setup
	$(PY) -m guanxi makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench --ignore=test-artifacts
	$(PY) -m guanxi compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules var/static
