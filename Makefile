# ndisrt - top-level wrapper around CMake.
#   make          build everything into build/ (installs nothing)
#   make demo     install missing Debian packages, build, run the main job: build/ndisrt run
#   make test     install missing Debian packages, build, run every test
#   make deps     install missing Debian packages only (scripts/install-deps.sh)
#   make test-sanitize   the whole suite again under ASan+UBSan (build-asan/)
#   make test-tsan       the suite under ThreadSanitizer (build-tsan/, tests/tsan.supp)
#   make bench    the benchmarks (figures go in docs/performance.md)
#   make install  install ndisrt, the samples, <ndis.h> and ndisrt.pc (PREFIX=/usr/local)
#   make format   reformat the sources with .clang-format
#   make format-check   fail if a source is not formatted (CI)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all build deps demo test test-sanitize test-tsan fuzz bench install format format-check clean
PREFIX ?= /usr/local

all: build

deps:
	@scripts/install-deps.sh

build:
	@command -v cmake >/dev/null || { echo "ndisrt: cmake is missing; 'make deps' (or make demo / make test) installs it" >&2; exit 69; }
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: deps
	@$(MAKE) build
	@$(BUILD)/ndisrt run

test: deps
	@$(MAKE) build
	@cd $(BUILD) && ctest --output-on-failure

test-sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) -DNDISRT_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure

# ThreadSanitizer: the runtime, its sample drivers and the end-to-end tests
# labelled tsan (the Criterion suites cannot run under TSan: see
# docs/reliability.md), with the suppressions (each with its reason) in
# tests/tsan.supp. A report fails the test (halt_on_error).
test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) $(CMAKE_FLAGS) -DNDISRT_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j$(JOBS) --target ndisrt vn1 vn1_line vn1pio racy_lock_order
	@cd $(TSAN_BUILD) && TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 $(TSAN_OPTIONS)" \
		ctest -L tsan --output-on-failure

# The pcap reader, the `ndisrt run` command line and the host's decoding of
# a driver's OID answers under libFuzzer (clang, ASan+UBSan), each for a
# bounded time.
FUZZ_SECONDS ?= 60
FUZZ_CLI_SECONDS ?= 30
FUZZ_OID_SECONDS ?= 60
fuzz: deps
	@CC=clang cmake -S . -B build-fuzz $(CMAKE_FLAGS) -DNDISRT_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target fuzz_pcap fuzz_cli fuzz_oid
	@rm -rf build-fuzz/corpus && cp -r tests/fuzz/corpus build-fuzz/corpus
	@build-fuzz/tests/fuzz/fuzz_pcap -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		build-fuzz/corpus > build-fuzz/fuzz.log 2>&1 || { tail -40 build-fuzz/fuzz.log; exit 1; }
	@grep -E 'DONE|number_of_executed_units|new_units_added' build-fuzz/fuzz.log
	@rm -rf build-fuzz/corpus_cli && cp -r tests/fuzz/corpus_cli build-fuzz/corpus_cli
	@build-fuzz/tests/fuzz/fuzz_cli -max_total_time=$(FUZZ_CLI_SECONDS) -print_final_stats=1 \
		build-fuzz/corpus_cli > build-fuzz/fuzz_cli.log 2>&1 || { tail -40 build-fuzz/fuzz_cli.log; exit 1; }
	@grep -E 'DONE|number_of_executed_units|new_units_added' build-fuzz/fuzz_cli.log
	@rm -rf build-fuzz/corpus_oid && cp -r tests/fuzz/corpus_oid build-fuzz/corpus_oid
	@build-fuzz/tests/fuzz/fuzz_oid -max_total_time=$(FUZZ_OID_SECONDS) -print_final_stats=1 \
		build-fuzz/corpus_oid > build-fuzz/fuzz_oid.log 2>&1 || { tail -40 build-fuzz/fuzz_oid.log; exit 1; }
	@grep -E 'DONE|number_of_executed_units|new_units_added' build-fuzz/fuzz_oid.log

bench: deps
	@$(MAKE) build
	@$(BUILD)/ndisrt bench core
	@$(BUILD)/ndisrt bench ndis
	@$(BUILD)/ndisrt bench verifier

install:
	@$(MAKE) build
	@cmake --install $(BUILD) --prefix $(PREFIX)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

# CI: the tree is formatted (.clang-format, drivers/.clang-format for the WDK-style samples).
format-check: deps
	@clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h') && echo "format: ok"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-fuzz
