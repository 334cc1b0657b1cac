# Thin wrapper over CMake. The README's two commands, `./make.sh demo` and
# `./make.sh test`, run scripts/bootstrap (it installs the missing Debian or
# Ubuntu packages, make among them) and then these targets; the targets run
# scripts/bootstrap too, so `make test` alone also works where make exists.
#
#   make            configure and build (Release) into build/
#   make demo       build, then run the scripted demo against the embedded ews-sim
#   make test       the whole suite: Release build (all tests, conformance
#                   included: CTest installs its pinned npm packages into
#                   tests/node_modules first) and an ASan+UBSan build (all
#                   but conformance); tests that need Microsoft's EWS schema
#                   are reported skipped without it (EWS_SCHEMA_DIR)
#   make bench      benchmarks under bench/, printing ratios
#   make fuzz       libFuzzer targets (clang, ASan+UBSan) built into build-fuzz/,
#                   each run FUZZ_SECONDS (300) with its corpus, one after the
#                   other; prints the executions per target
#   make fuzz-merge minimise what `make fuzz` discovered into fuzz/corpus/
#   make install    install ews-mcp and ews-sim (PREFIX=/usr/local)
#   make clean

BUILD ?= build
SAN_BUILD ?= build-sanitize
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_CC ?= clang-14
FUZZ_TARGETS ?= jsonrpc schema soap_reader cfg_env sim_envelope ntlm http_security
# The build's own make (under cmake --build) would print every directory
# change, hundreds of lines ahead of the demo.
MAKEFLAGS += --no-print-directory

.PHONY: all bootstrap configure build demo test test-release test-sanitize bench install clean \
	fuzz fuzz-build fuzz-merge

all: build

bootstrap:
	@./scripts/bootstrap

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/ews-mcp demo --walkthrough

test: test-release test-sanitize
	@./tests/schema-note.sh $(BUILD)

test-release: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

$(SAN_BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEWS_SANITIZE=ON $(CMAKE_FLAGS)

test-sanitize: $(SAN_BUILD)/CMakeCache.txt
	cmake --build $(SAN_BUILD) -j $(JOBS)
	ctest --test-dir $(SAN_BUILD) -j $(JOBS) -LE conformance --output-on-failure

bench: build
	./bench/run.sh $(BUILD)

# Fuzzing needs clang and its sanitizer/libFuzzer runtimes, which the other
# targets do not: bootstrap installs them only when asked (--fuzz).
$(FUZZ_BUILD)/CMakeCache.txt:
	./scripts/bootstrap --fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=$(FUZZ_CC) \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEWS_FUZZ=ON -DEWS_BUILD_TESTS=OFF $(CMAKE_FLAGS)

fuzz-build: $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) $(foreach t,$(FUZZ_TARGETS),--target fuzz_$(t))

fuzz: fuzz-build
	./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Adds to fuzz/corpus/<target>/ only the discoveries that reach new code
# (edges; hit counts are left out, which keeps the committed corpora small).
fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/fuzz/work/$$t/corpus; \
		(cd $(FUZZ_BUILD)/fuzz/work/$$t && ../../fuzz_$$t -merge=1 -use_counters=0 \
			$(CURDIR)/fuzz/corpus/$$t corpus 2>&1 | grep 'MERGE-OUTER: [0-9]* new') || exit 1; \
	done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)
