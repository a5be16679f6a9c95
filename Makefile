# Tickmark: every set-up step lives here. `make run` and `make test` work on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SEEDS   := samples/seeds
PORT    ?= 7860

.PHONY: setup browser run test eval bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: pip takes the CPU build from this machine's disk
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (playwright's own download does not work here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# The main job: ingest the sample filings and open the chat on http://127.0.0.1:$(PORT)
run: setup
	HF_HUB_OFFLINE=1 $(BIN)/tickmark ingest $(SEEDS)
	HF_HUB_OFFLINE=1 $(BIN)/tickmark ui --port $(PORT)

# The test suite (offline), including the real-browser end-to-end test
test: setup browser
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

eval: setup
	HF_HUB_OFFLINE=1 $(BIN)/tickmark eval

bench: setup
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .tickmark
