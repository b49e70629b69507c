# IsoPlan — set-up and everyday commands for a fresh Debian machine (run as root, or with sudo).
#   make demo   build and run the main job on the default store (./isoplan.sqlite)
#   make test   run the whole test suite
#   make bench  benchmarks side by side with numpy (results in docs/PERFORMANCE.md)

SWIFT ?= swift
APT_PACKAGES = libopenblas-dev liblapacke-dev libsqlite3-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench clean

# Installs the system libraries when a header is missing (apt-get update once, first).
deps:
	@if [ ! -f /usr/include/lapacke.h ] || [ ! -f /usr/include/x86_64-linux-gnu/cblas.h -a ! -f /usr/include/cblas.h ] \
	    || [ ! -f /usr/include/sqlite3.h ]; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product isoplan

demo: build
	./.build/release/isoplan version
	./.build/release/isoplan db info

# Tests parallelise at the Swift level, so BLAS runs one thread per test.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test

bench: deps
	python3 experiments/bench/run_bench.py

clean:
	rm -rf .build experiments/bench/.build
