#!/bin/sh
# make.sh TARGET... - the README's Quick start: installs what is missing
# (scripts/bootstrap: Debian or Ubuntu packages, through sudo unless run as
# root), then runs `make TARGET...`. The Makefile and CMake are the build;
# this only makes them work on a machine that has neither make, cmake, a
# compiler nor node yet. Quick when everything is present.
#   ./make.sh demo    build, then the scripted demo against ews-sim
#   ./make.sh test    build, then the whole test suite
set -eu
cd "$(dirname "$0")"
./scripts/bootstrap
exec make "$@"
