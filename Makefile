# latm-qa: `make run` opens the chat page, `make test` runs every test. Both set everything up.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup index run test lint eval test-deps clean

setup: $(STAMP)

# torch 2.13.0 first: it is the local CPU wheel; letting pip pick one pulls GBs of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

index: setup
	$(VENV)/bin/latm-qa ingest --if-missing   # builds the index only if there is none; else says how it stands

run: index
	$(VENV)/bin/streamlit run app.py

# Debian's chromium for the browser test (Playwright's own browser download does not work offline),
# and poppler-utils' pdftotext for the test that reads the report as text taken from its PDF.
test-deps:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

test: setup test-deps
	$(VENV)/bin/ruff check latm_qa tests app.py
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check latm_qa tests app.py

eval: index
	$(VENV)/bin/latm-qa eval

clean:
	rm -rf index
