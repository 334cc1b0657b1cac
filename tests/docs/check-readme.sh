#!/bin/sh
# check-readme.sh EWS_MCP README - the README's configuration reference and
# tool table must say what the program says: every line of
# `ews-mcp config --reference` and every tool name appear in the README.
set -eu
bin=$1
readme=$2
missing=0
"$bin" config --reference | while IFS= read -r line; do
	grep -qF -- "$line" "$readme" || { echo "README lacks: $line"; exit 1; }
done || missing=1
for tool in $("$bin" tools | grep -o '"name": "[a-z_]*"' | cut -d'"' -f4); do
	grep -qF -- "| \`$tool\` |" "$readme" || { echo "README lacks tool $tool"; missing=1; }
done
[ "$missing" -eq 0 ] && echo "1 passed, 0 failed"
