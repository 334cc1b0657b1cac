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
#   make install    install ews-mcp and ews-sim (PREFIX=/usr/local)
#   make clean

BUILD ?= build
SAN_BUILD ?= build-sanitize
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
# The build's own make (under cmake --build) would print every directory
# change, hundreds of lines ahead of the demo.
MAKEFLAGS += --no-print-directory

.PHONY: all bootstrap configure build demo test test-release test-sanitize bench install clean

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

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
