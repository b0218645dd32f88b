# ISA — the two commands: `make run` and `make test`.  Only Python 3.11 and make needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# The local demo runs as in production (gunicorn, DEBUG off) but over plain HTTP on loopback.
DEMO_ENV = ISA_DEBUG=0 ISA_HTTPS=0 ISA_REQUIRE_2FA=0 ISA_DEMO=1 \
	ISA_SECRET_KEY="$$(cat var/secret_key)" ISA_ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: install messages run test test-sqlite test-postgres lint types format bench screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/isa compilemessages -v0

var/secret_key: install
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	@chmod 600 var/secret_key

run: messages var/secret_key
	$(BIN)/isa migrate --noinput -v0
	$(BIN)/isa seed-demo
	$(DEMO_ENV) $(BIN)/isa collectstatic --noinput -v0
	@echo ""
	@echo "ISA serves the demo at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(DEMO_ENV) $(BIN)/gunicorn isa.wsgi -c python:isa.gunicorn_conf --bind $(HOST):$(PORT) --workers 2

# The user guide's images, remade from a fresh demo (Chromium at /usr/bin/chromium).
screenshots: messages
	$(BIN)/python docs/make_screenshots.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# mypy, strict, on the files pyproject.toml's [tool.mypy] lists (services, access helpers…)
types: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: lint types messages
	$(BIN)/isa makemigrations --check --dry-run -v1
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$ISA_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "ISA_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The suite runs on two cores (pytest-xdist, the tests handed out by tests/parallel.py, see
# docs/decisions.md); `make test PYTEST_WORKERS=0` runs it in one process.  Python's bytecode (and pytest's rewritten test modules) is cached under
# .venv/pycache, even where PYTHONDONTWRITEBYTECODE is set, so that the tests' subprocesses
# (and workers) do not compile Django and the rest again.
PYTEST_WORKERS ?= 2
PYTEST = env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX="$(CURDIR)/$(VENV)/pycache" \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

test-sqlite: messages
	@echo "== test suite on SQLite"
	env -u ISA_DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

test-postgres: messages
	@echo "== test suite on PostgreSQL"
	ISA_DATABASE_URL="$$ISA_TEST_DATABASE_URL" $(PYTEST) $(PYTEST_ARGS)

bench: messages
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/static build src/*.egg-info
