# The two commands: `make demo` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: demo test build deps configure clean docs bench fuzz

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > $(BUILD).configure.log 2>&1 || { cat $(BUILD).configure.log; exit 1; }

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(BUILD)/fortress scan examples/demo-account; status=$$?; \
	  echo ""; echo "fortress exited with status $$status (1 = findings at or above --fail-on; see README)"; \
	  exit 0

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Regenerates docs/checks.md from the check metadata (a test fails when it is stale).
docs: build
	@$(BUILD)/fortress checks --format markdown > docs/checks.md

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD).configure.log
