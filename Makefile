# Thin wrapper over CMake; the README's two commands are `make demo` and
# `make test`. Both install missing Debian packages through scripts/bootstrap.
#
#   make            configure and build (Release) into build/
#   make demo       build, then run the scripted demo against the embedded ews-sim
#   make test       the whole suite: Release build (all tests, conformance
#                   included) and an ASan+UBSan build (all but conformance)
#   make bench      benchmarks under bench/, printing ratios
#   make install    install ews-mcp and ews-sim (PREFIX=/usr/local)
#   make clean

BUILD ?= build
SAN_BUILD ?= build-sanitize
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

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
