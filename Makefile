# Strata: `make report` reports on Examples/, `make test` runs the tests.
# Both install the Debian packages they need (scripts/ensure-deps.sh) when missing.
SWIFT ?= swift
RELEASE_BIN = .build/release/strata
EXAMPLES = $(sort $(wildcard Examples/*.json Examples/*.keras Examples/*.h5))

.PHONY: deps build release report test bench clean

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product strata

# Until the nightly batch lands, the report is the summary of each example model.
report: release
	@status=0; for f in $(EXAMPLES); do \
	  echo; echo "### $$f"; \
	  $(RELEASE_BIN) summary "$$f" || status=1; \
	done; exit $$status

test: deps
	$(SWIFT) test

# Reads and analyses the 40 keras.applications configs (release build), then times Keras
# itself on the same files in a virtual environment (.venv-bench, made on first use).
BENCH_VENV = .venv-bench
bench: deps
	$(SWIFT) build -c release --product strata-bench
	.build/release/strata-bench --rounds 5 Tests/Fixtures/applications
	@if [ ! -x $(BENCH_VENV)/bin/python ]; then \
	  python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q keras==3.15.1 tensorflow-cpu==2.21.0; fi
	$(BENCH_VENV)/bin/python bench/keras_reference.py --rounds 3 Tests/Fixtures/applications

clean:
	rm -rf .build
