# `make site` builds the dossier from corpus/ into site/; `make test` runs the tests;
# `make bench` runs every benchmark script in bench/ (data from ../shared/benchmarks).
# Both create .venv/ and install the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
# axe-core for the browser tests, pinned by package-lock.json (npm ci).
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
# Debian packages: pango for WeasyPrint, fonts to embed, poppler for the PDF tests, chromium for the browser tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils chromium
# npm for axe-core: Debian's nodejs and npm unless a node with npm is already there.
NODE_PACKAGES := nodejs npm

.PHONY: site test bench check serve system clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Installed only when missing (apt-get as root, else through sudo).
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi; \
	if ! command -v npm >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(NODE_PACKAGES); \
	fi

$(NODE_STAMP): package-lock.json | system
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

site: $(STAMP) system
	$(PY) -m builder build --corpus corpus --site site

serve: $(STAMP)
	$(PY) -m builder serve --corpus corpus

check: $(STAMP)
	$(PY) -m builder check --corpus corpus

test: $(STAMP) system $(NODE_STAMP)
	$(PY) -m pytest -q tests

# Every runnable bench/*.py in turn (modules without a __main__ block are libraries);
# each writes its own section of docs/benchmarks.md.
bench: $(STAMP) system
	@set -e; for script in $$(grep -l '^if __name__ == "__main__":' bench/*.py); do \
	  echo "== $$script"; $(PY) $$script; \
	done

clean:
	rm -rf site build .pytest_cache node_modules
