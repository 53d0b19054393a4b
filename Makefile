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
	@$(BUILD)/fortress scan examples/demo-account --config examples/demo-fortress.yaml --flow-logs examples/demo-flow-logs; status=$$?; \
	  echo ""; \
	  case $$status in \
	    0|1|3) echo "fortress exited with status $$status (0 = nothing at or above --fail-on, 1 = a FAIL at or above it, 3 = incomplete: the demo records one failed collection on purpose)";; \
	    *) echo "fortress failed with status $$status"; exit $$status;; \
	  esac

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Regenerates docs/checks.md from the check metadata (a test fails when it is stale).
docs: build
	@$(BUILD)/fortress checks --format markdown > docs/checks.md

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD).configure.log
