# 法治助手 (lawbot). `make run` and `make test` each set up everything they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint ingest bench bench-scale local-llm local-llm-status local-llm-stop clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)            ## build the knowledge base if needed, then start the bot (console chat without a token)
	$(BIN)/lawbot run

test: $(STAMP)           ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q

lint: $(STAMP)           ## formatting, lint and types
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy

ingest: $(STAMP)         ## bring the bundled knowledge into the index (incremental)
	$(BIN)/lawbot ingest

bench: $(STAMP)          ## benchmarks that print figures (retrieval, drafting, review, load); see README
	$(BIN)/python bench/retrieval.py quality
	$(BIN)/python bench/retrieval.py startup
	$(BIN)/python bench/drafting_bench.py
	$(BIN)/python bench/review_bench.py
	$(BIN)/python bench/review_bench.py --cases bench/review_cases_heldout.toml
	$(BIN)/python bench/review_bench.py --cases bench/review_cases_heldout2.toml
	$(BIN)/python bench/reminder_examples.py
	$(BIN)/lawbot ingest && $(BIN)/python bench/load_bench.py

bench-scale: $(STAMP)    ## ingest the law corpus from ../shared (about 1 minute, laws by keywords), then time queries
	$(BIN)/python bench/retrieval.py scale

local-llm: $(STAMP)      ## optional: build (28.5 min on a busy machine), serve in the background, write .env
	bash deploy/local-llm.sh

local-llm-status:        ## is the local LLM server running and answering?
	bash deploy/local-llm.sh --status

local-llm-stop:          ## stop the background local LLM server
	bash deploy/local-llm.sh --stop

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
