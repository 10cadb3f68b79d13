# 12345 Hotline. `make run` serves the demo; `make test` runs every check against real PostgreSQL, Redis and Chromium.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test lint install assets messages translations services-run clean

# The SMS survey links name the address served, the demo's seeded surveys included (unless set in the environment).
run: export HOTLINE_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: install assets translations
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py owners_refresh
	$(PY) manage.py calendar_seed
	$(PY) manage.py seed_demo
	@echo
	@echo "12345 Hotline is starting at http://$(HOST):$(PORT)/"
	@echo "Demo logins (password hotline-demo): operator, reviewer, handler, head, unit, supervisor, admin"
	@echo "Citizens: http://$(HOST):$(PORT)/submit/ · /mailbox/ · /track/ · Open311: /open311/v2/services.json · API docs: /api/docs/"
	@echo "Database: $${DATABASE_URL:-SQLite var/hotline.sqlite3} · Broker: $${REDIS_URL:-SQLite var/celery-broker.sqlite3}"
	@echo
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

test: install assets translations
	bash scripts/with-test-services.sh $(MAKE) --no-print-directory test-inner

# Runs inside scripts/with-test-services.sh, which exports DATABASE_URL and REDIS_URL of throwaway servers.
test-inner: lint
	HOTLINE_ENV=production SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	  ALLOWED_HOSTS=hotline.example.gov.cn SMS_BACKEND=hotline.sms.ConsoleBackend \
	  REPORTS_SIGNING_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location >/dev/null
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: install the Debian package python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end libraries from the npm registry, served from our own static files (no CDN on a government intranet).
assets: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json scripts/vendor-assets.sh $(VENV)/.installed
	scripts/npm ci --no-audit --no-fund --loglevel=error
	sh scripts/vendor-assets.sh
	touch $@

# Compile .po to .mo with Babel (pure Python: no GNU gettext needed to run the app).
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale --use-fuzzy --statistics 2>&1 | grep -v '^$$' || true
	$(VENV)/bin/pybabel compile --domain djangojs --directory locale --statistics 2>&1 | grep -v '^$$' || true
	@test -f locale/zh_Hans/LC_MESSAGES/django.mo

# For developers after changing user-facing strings (needs GNU gettext: apt-get install gettext).
messages: install
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
