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

bench: release
	$(SWIFT) build -c release --product strata-bench
	.build/release/strata-bench Tests/Fixtures/applications

clean:
	rm -rf .build
