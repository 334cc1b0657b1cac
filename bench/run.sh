#!/bin/sh
# run.sh BUILD_DIR - runs every benchmark; each prints its own ratios.
set -eu
build=$(readlink -f "${1:-build}")
here=$(dirname "$0")
for b in "$here"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b")"
	"$b" "$build"
done
