# Two commands do all the set-up on a fresh machine:
#   make demo   install, build the demo site on SQLite, serve it on http://127.0.0.1:5000
#   make test   install with the test extra (and Debian's chromium), run the whole suite;
#               with LMS_TEST_DATABASE_URL set, run it on PostgreSQL too
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: demo test install install-test system-packages translations ralph

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python system-packages ralph
	$(BIN)/pip install --quiet -e '.[test]'

# The xAPI tests send statements to a real LRS, Ralph, in a virtualenv of its own (its pinned
# FastAPI and pydantic must not meet ours). Its "lrs" extra forgets "requests", which the
# server imports (for OpenID Connect) even when only Basic auth is used.
RALPH_VENV := .venv-ralph
ralph: $(RALPH_VENV)/bin/ralph
$(RALPH_VENV)/bin/ralph:
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet --upgrade pip
	$(RALPH_VENV)/bin/pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' 'requests>=2.31'

# Browser tests drive Debian's Chromium (Playwright cannot download its own here); PDF
# tests read the text back with poppler's pdftotext.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "missing: sudo apt-get install chromium poppler-utils"; fi; fi

demo: install
	$(BIN)/flask --app wsgi lms demo
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in with one of the names above."
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: install-test
	env -u LMS_TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider
	@if [ -n "$$LMS_TEST_DATABASE_URL" ]; then \
	  echo "== again on $$LMS_TEST_DATABASE_URL"; \
	  $(BIN)/pytest -p no:cacheprovider; \
	fi

# After changing a UI string: refresh the catalogue, translate lms.po, then compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k lazy_gettext -k _l --no-location --sort-output \
	  --project "CX Academy" -o lms/translations/lms.pot .
	$(BIN)/pybabel update -i lms/translations/lms.pot -d lms/translations -D lms --no-fuzzy-matching
	$(BIN)/pybabel compile -d lms/translations -D lms --statistics
