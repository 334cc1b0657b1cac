#!/bin/sh
# check-layers.sh SOURCE_DIR - the include graph follows DESIGN.md:
#   core <- soap <- ews <- tools <- mcp <- cli/main;  sim uses core and soap.
# A file may include project headers only from its own layer and the layers
# below it. Prints each crossing and fails if there is one.
set -eu
cd "$1"
allowed() {
	case "$1" in
	src/core) echo "core" ;;
	src/soap) echo "core soap" ;;
	src/ews) echo "core soap ews" ;;
	src/tools) echo "core soap ews tools" ;;
	src/mcp) echo "core tools mcp" ;;
	src/cli) echo "core soap ews tools mcp cli sim" ;;
	sim) echo "core soap sim" ;;
	esac
}
bad=0
for dir in src/core src/soap src/ews src/tools src/mcp src/cli sim; do
	ok=$(allowed "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -e "$f" ] || continue
		for inc in $(grep -o '^#include "[a-z]*/' "$f" | cut -d'"' -f2 | tr -d /); do
			case " $ok " in
			*" $inc "*) ;;
			*) echo "$f includes $inc/ (allowed: $ok)"; bad=1 ;;
			esac
		done
	done
done
# main.c sits on top and may include anything.
[ "$bad" -eq 0 ] && echo "1 passed, 0 failed"
