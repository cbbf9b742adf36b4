# ndisrt - top-level wrapper around CMake.
#   make          install missing Debian packages, build everything into build/
#   make demo     build, then run the main job with defaults: build/ndisrt run
#   make test     build and run every test
#   make test-sanitize   the whole suite again under ASan+UBSan (build-asan/)
#   make bench    the benchmarks (figures go in docs/performance.md)
#   make install  install ndisrt, the samples, <ndis.h> and ndisrt.pc (PREFIX=/usr/local)
#   make format   reformat the sources with .clang-format
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all build deps demo test test-sanitize fuzz bench install format clean
PREFIX ?= /usr/local

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@$(BUILD)/ndisrt run

test: build
	@cd $(BUILD) && ctest --output-on-failure

test-sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) -DNDISRT_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure

# The pcap reader under libFuzzer (clang, ASan+UBSan) for a bounded time.
FUZZ_SECONDS ?= 60
fuzz: deps
	@CC=clang cmake -S . -B build-fuzz $(CMAKE_FLAGS) -DNDISRT_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target fuzz_pcap
	@rm -rf build-fuzz/corpus && cp -r tests/fuzz/corpus build-fuzz/corpus
	@build-fuzz/tests/fuzz/fuzz_pcap -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		build-fuzz/corpus > build-fuzz/fuzz.log 2>&1 || { tail -40 build-fuzz/fuzz.log; exit 1; }
	@grep -E 'DONE|number_of_executed_units|new_units_added' build-fuzz/fuzz.log

bench: build
	@$(BUILD)/ndisrt bench core
	@$(BUILD)/ndisrt bench ndis

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
