# The one entry point for people and CI. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TRANSLATIONS := translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run demo test bench lint format translations extract-messages system-packages clean

run: $(VENV)/.installed $(COMPILED)
	$(BIN)/surveyapp init
	$(BIN)/surveyapp run

# A separate demo database with synthetic answers, so trying the app never touches your own.
DEMO_DB := $(CURDIR)/instance/demo.sqlite3
demo: export SURVEYAPP_DATABASE_URL = sqlite:///$(DEMO_DB)
demo: $(VENV)/.installed $(COMPILED)
	mkdir -p instance && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/surveyapp init >/dev/null
	$(BIN)/surveyapp demo-data --responses 2000 --seed 1
	$(BIN)/surveyapp demo-data --questionnaire erfaringskonsulent --responses 15 --seed 1
	$(BIN)/surveyapp demo-data --questionnaire leder --responses 10 --seed 1
	$(BIN)/surveyapp init
	$(BIN)/surveyapp run

# Tests run side by side on the machine's cores (pytest-xdist; each worker has its own SQLite
# file and PostgreSQL schema), then the few marked serial on their own.
test: $(VENV)/.installed-dev $(COMPILED) system-packages
	$(BIN)/pytest -q --numprocesses=auto --maxprocesses=4 -m "not serial" --durations=30
	$(BIN)/pytest -q -m serial

bench: $(VENV)/.installed-dev $(COMPILED)
	$(BIN)/python -m benchmarks

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Compiled message catalogues (.mo) are built, not committed.
translations: $(COMPILED)
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ 2>/dev/null || $(BIN)/pybabel compile -i $< -o $@

# After changing user-facing strings: extract them and update nn and en.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k lazy_gettext -w 100 -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -w 100 --no-fuzzy-matching

# The tests drive Debian's Chromium (browser tests) and open workbooks in LibreOffice Calc;
# install what is missing (CI runs as root).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v libreoffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(VENV) instance/*.sqlite3* $(COMPILED)
