#!/bin/sh
# mcp_stdio.sh BUILD_DIR - MCP round-trip cost over stdio: our fixture
# server (src/mcp) against @modelcontextprotocol/server-everything (the
# reference TypeScript server), measured in the same run with the same
# SDK client (tests/conformance/client.mjs --bench), for ping and for one
# trivial tool. The npm packages are the test suite's (tests/npm-ci.sh).
# Prints p50 latency and calls/s for each and the ratios (ours / theirs:
# below 1.0 for latency and above 1.0 for calls/s means we are faster).
# CALLS (default 5000) sets the number of sequential calls per run.
set -eu
build=$(readlink -f "${1:-build}")
tests=$(cd "$(dirname "$0")/../tests" && pwd)
node=$("$tests/npm-ci.sh")
calls=${CALLS:-5000}
ours=$build/tests/conformance/mcp-fixture-server
everything="$node $tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio"

# bench LABEL CALLARGS -- SERVER...: prints "p50 calls_per_second"
bench() {
	label=$1; shift
	"$node" "$tests/conformance/client.mjs" --quiet-server --bench "$calls" --warmup 200 "$@" \
		2>/dev/null | "$node" -e '
		const b = JSON.parse(require("fs").readFileSync(0, "utf8")).bench;
		console.log(b.p50Ms + " " + b.callsPerSecond);'
}

ratio() { "$node" -e "console.log(($1 / $2).toFixed(2))"; }

printf '%-28s %10s %12s\n' "target" "p50 ms" "calls/s"
set -- $(bench ours-ping -- "$ours"); op50=$1; ocps=$2
printf '%-28s %10s %12s\n' "ews-mcp fixtures: ping" "$op50" "$ocps"
# shellcheck disable=SC2086
set -- $(bench ref-ping -- $everything); rp50=$1; rcps=$2
printf '%-28s %10s %12s\n' "server-everything: ping" "$rp50" "$rcps"
echo "ping ratio (ours/reference): p50 $(ratio "$op50" "$rp50"), calls/s $(ratio "$ocps" "$rcps")"

set -- $(bench ours-tool --call test_simple_text --args '{}' -- "$ours"); tp50=$1; tcps=$2
printf '%-28s %10s %12s\n' "ews-mcp fixtures: tool" "$tp50" "$tcps"
# shellcheck disable=SC2086
set -- $(bench ref-tool --call echo --args '{"message":"hello"}' -- $everything); ep50=$1; ecps=$2
printf '%-28s %10s %12s\n' "server-everything: echo" "$ep50" "$ecps"
echo "tool ratio (ours/reference): p50 $(ratio "$tp50" "$ep50"), calls/s $(ratio "$tcps" "$ecps")"
