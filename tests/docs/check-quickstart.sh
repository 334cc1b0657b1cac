#!/bin/sh
# check-quickstart.sh SOURCE_DIR - the README's Quick start block holds
# exactly two commands, `./make.sh demo` and `./make.sh test`, both exist as
# written, and CI (.ci/run) runs the second one.
set -eu
src=$1
# The first sh block after "## Quick start", comments and blank lines dropped.
block=$(awk '/^## Quick start/ {q = 1; next}
	q && /^```sh/ {b = 1; next}
	b && /^```/ {exit}
	b {sub(/[ \t]*#.*/, ""); if ($0 != "") print}' "$src/README.md")
[ "$(printf '%s\n' "$block" | wc -l)" -eq 2 ] || {
	echo "the Quick start block should hold two commands, not:"; echo "$block"; exit 1; }
demo=$(printf '%s\n' "$block" | sed -n 1p | sed 's/[ \t]*$//')
test=$(printf '%s\n' "$block" | sed -n 2p | sed 's/[ \t]*$//')
[ "$demo" = "./make.sh demo" ] || { echo "first command: $demo"; exit 1; }
[ "$test" = "./make.sh test" ] || { echo "second command: $test"; exit 1; }
[ -x "$src/make.sh" ] || { echo "make.sh is missing or not executable"; exit 1; }
grep -q "^exec $test\$" "$src/.ci/run" || { echo ".ci/run does not run: $test"; exit 1; }
echo "1 passed, 0 failed"
