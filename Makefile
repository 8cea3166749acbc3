# Open College for NHS Analysts. Run `make help` to list every target.
# A fresh machine needs only Python 3.11+ and make: the first target run creates .venv and installs everything.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_STAMP := data/manifest.json
EXERCISE_STAMP := build/exercises/.built
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help setup data exercises serve port-free build build-zensical check lint format test bench clean test-deps
export NO_MKDOCS_2_WARNING := 1

help: ## List every target with what it does
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36mmake %-15s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@echo "Creating the virtual environment in $(VENV)/ ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "Installing the college and its tools into $(VENV)/ (MkDocs, nbgrader, Playwright...): about 2 minutes, once."
	$(BIN)/python -m pip install --quiet --progress-bar off --constraint requirements/lock.txt -e '.[dev]'
	@echo "Installed. Later runs of make skip this step."
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the college with every extra ([dev]) at the versions in requirements/lock.txt

$(DATA_STAMP): $(STAMP) $(wildcard college/data/*.py college/data/*.yml college/data/generate/*.py)
	$(BIN)/college data generate --scale small --format both --out data

data: $(DATA_STAMP) ## Generate the small-scale synthetic data into data/

$(EXERCISE_STAMP): $(DATA_STAMP) $(wildcard exercises/*/*)
	rm -rf build/exercises
	$(BIN)/college exercise build --out build/exercises
	@touch $(EXERCISE_STAMP)

exercises: $(EXERCISE_STAMP) ## Build each exercise's download (release notebook and data) with nbgrader

check: $(STAMP) $(DATA_STAMP) $(EXERCISE_STAMP) ## Validate the curriculum (every reference, field and link)
	$(BIN)/college check

build: check $(NODE_STAMP) ## Build the site into site/ with MkDocs (strict: any warning fails)
	$(BIN)/mkdocs build --strict --quiet

build-zensical: check $(NODE_STAMP) ## Build the site with Zensical from the pages `college pages` writes
	$(BIN)/college pages --out build/zensical
	cd build/zensical && ../../$(BIN)/zensical build --clean

serve: port-free check $(NODE_STAMP) ## Build and serve the site at http://127.0.0.1:8000 (another port: make serve PORT=8011)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)

port-free: ## Say in one line if the port `make serve` would use (PORT, default 8000) is taken
	@$(PYTHON) -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int("$(PORT)")))' 2>/dev/null \
	    || { echo "Port $(PORT) on 127.0.0.1 is already in use (or is not a port): stop what is using it, or choose another port, for example: make serve PORT=8011" >&2; exit 1; }

# From the npm registry (package-lock.json): axe-core for the browser tests, sql.js for the site's SQL runners.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

test-deps: ## Install Debian's chromium (browser tests), bubblewrap (grading isolation) and postgresql (gradebook tests) if missing
	@if [ ! -x $(CHROMIUM) ] || ! command -v bwrap >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium bubblewrap postgresql >/dev/null; \
	  else \
	    echo "Chromium, bubblewrap or PostgreSQL is missing: run 'sudo apt-get install -y chromium bubblewrap postgresql', then 'make test' again."; exit 1; \
	  fi; \
	fi

lint: $(STAMP) ## Lint and type-check the packages (ruff, mypy)
	$(BIN)/ruff check college autograder tests benchmarks
	$(BIN)/ruff format --check college autograder tests benchmarks
	$(BIN)/mypy
	$(BIN)/pre-commit validate-config .pre-commit-config.yaml

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format college autograder tests benchmarks
	$(BIN)/ruff check --fix college autograder tests benchmarks

test: $(STAMP) $(DATA_STAMP) $(EXERCISE_STAMP) $(NODE_STAMP) test-deps ## Run the whole suite, browser tests included
	$(BIN)/pytest -q -p no:cacheprovider

bench: $(STAMP) $(DATA_STAMP) ## Print the benchmarks: site build, curriculum check, data generation, grading
	$(BIN)/python benchmarks/run.py

clean: ## Remove built and generated files (keeps .venv)
	rm -rf site build data test-artifacts node_modules
