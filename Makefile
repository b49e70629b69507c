# IsoPlan — set-up and everyday commands for a fresh Debian machine (run as root, or with sudo).
#   make demo   build and run the main job on the default store (./isoplan.sqlite): report isoplan-demo.html
#   make test   run the whole test suite (installs the real-model tests' llama.cpp server and mini-SWE-agent first)
#   make lint   swift-format lint (strict) and the function-length check
#   make bench  benchmarks side by side with numpy (results in docs/PERFORMANCE.md)
#   make tts-grid  the full analytic-vs-Monte-Carlo grid of the test-time models (docs/TEST_TIME.md)
#   make closed-loop  the training planner's closed loop (docs/TRAINING_PLANNER.md)
#   make frameworks-check  TRL's own GRPOConfig on the TRL exports (docs/FRAMEWORKS.md)
#   make frameworks-questions  regenerate docs/FRAMEWORKS.md's common questions from the commands' output
#   make fuzz   libFuzzer over every parser, merged into the committed corpora (docs/RELIABILITY.md)
#   make load   the executor under load: 10,000+ judge calls at concurrency 64 (docs/RELIABILITY.md)

SWIFT ?= swift
# chromium and fonts-liberation: the test that renders the demo report headless; zlib1g-dev: its PNG decoding.
APT_PACKAGES = libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev chromium fonts-liberation
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test lint llm-server mini-swe-agent ray bench tts-grid closed-loop frameworks-check frameworks-questions fuzz load clean

# Installs the Debian packages that are missing (apt-get update once, first).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing" $$missing; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product isoplan

demo: build
	./.build/release/isoplan version
	./.build/release/isoplan demo -o isoplan-demo.html --csv notebooks-data/demo

# Tests parallelise at the Swift level, so BLAS runs one thread per test. First: the real-model
# tests' llama.cpp server (compiled once into Tests/LLMServer/.venv, ~5 min on 2 cores),
# mini-SWE-agent (pinned, into Tests/MiniSWEAgent/.venv, ~1 min and 750 MB) and the self-test of
# the scripted judge and fake agent the executor tests start. The tests run inside a real
# single-node Ray cluster on loopback (Tests/Ray: ray[default] pinned in Tests/Ray/.venv, ~20 s),
# stopped when they end. ISOPLAN_REQUIRE_EXTERNAL=1: the tests
# that need the llama.cpp server, mini-SWE-agent or Chromium fail when it is missing (a plain
# `swift test` skips them, printing why).
test: deps llm-server mini-swe-agent ray
	bash Tests/Scripts/selftest.sh
	bash Tests/Ray/cluster.sh env OPENBLAS_NUM_THREADS=1 ISOPLAN_REQUIRE_EXTERNAL=1 $(SWIFT) test

# Style gates (run by .ci/run before the tests): swift-format's lint in strict mode over every
# Swift file, and no function over its length limit (docs/ARCHITECTURE.md, "Code shape and size").
SWIFT_FILES_ROOTS = Sources Tests Package.swift $(wildcard experiments/*/Sources) $(wildcard experiments/*/Package.swift)
lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_FILES_ROOTS)
	python3 Tests/Scripts/function_lengths.py --check --top 5
	@! grep -rn 'rawValue: .*)!' Sources || { echo "force-unwrapped rawValue parsing in Sources (use an enum option)"; exit 1; }

llm-server:
	bash Tests/LLMServer/setup.sh

mini-swe-agent:
	bash Tests/MiniSWEAgent/setup.sh

ray:
	bash Tests/Ray/setup.sh

bench: deps
	python3 experiments/bench/run_bench.py

tts-grid: deps
	cd experiments/tts-grid && $(SWIFT) build -c release && \
	  ./.build/release/tts-grid ../../Tests/PlannerTests/Fixtures/tbench_core011_task_success.csv ../../notebooks-data \
	  | tee ../../notebooks-data/tts-grid-summary.md

closed-loop: deps
	cd experiments/closed_loop && $(SWIFT) build -c release && \
	  OPENBLAS_NUM_THREADS=1 ./.build/release/closed-loop ../../notebooks-data/closed-loop.md

frameworks-questions: build
	python3 experiments/frameworks/common_questions.py .build/release/isoplan

# Installs TRL (with torch, several GB) into experiments/frameworks/.venv on first use.
frameworks-check: deps
	$(SWIFT) build --product isoplan
	python3 experiments/frameworks/check_trl_config.py

# Every parser fuzzed until its coverage plateaus (at most 10 min each, two at a time); the
# minimised corpora replace Tests/ParserCorpusTests/Corpus, which `make test` replays.
fuzz: deps
	python3 experiments/fuzz/run_fuzz.py

load: build
	python3 experiments/load/run_load.py

clean:
	rm -rf .build experiments/fuzz/.build experiments/bench/.build experiments/tts-grid/.build experiments/closed_loop/.build experiments/rlsim/.build
