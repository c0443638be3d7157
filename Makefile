# The project's commands. `make test` is the test command of the README.
#   make venv   create .venv (python3) and install requirements.txt when it changed
#   make run    start the app (scripts/run-app.sh)
#   make test   the whole suite on SQLite and PostgreSQL, then ruff; extra pytest
#               arguments in ARGS, e.g. make test ARGS="-k kpis -x"
#   make lint   ruff only

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: venv run test lint

venv: $(STAMP)

# Re-installs only when requirements.txt is newer than the stamp.
$(STAMP): requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

run: venv
	bash scripts/run-app.sh

# pytest and ruff both run; the target fails if either does.
test: venv
	@status=0; \
	$(VENV)/bin/python -m pytest $(ARGS) || status=$$?; \
	$(VENV)/bin/ruff check . || status=$$((status ? status : 1)); \
	exit $$status

lint: venv
	$(VENV)/bin/ruff check .
