#!/bin/sh
# run-harness.sh MODE SERVER [ARGS...] - runs the official MCP harness
# (../shared/mcp: conformance suite and SDK client, pinned npm packages)
# against a stdio server binary. MODE:
#   conformance  every active stdio scenario must pass
#   client       the SDK client lists tools with zero schema problems and pings
# The harness is installed once into $EWS_HARNESS_DIR (default
# /tmp/ews-mcp-harness) by ../shared/mcp/setup.sh.
set -eu
mode=$1; shift
shared=${EWS_SHARED_DIR:-$(dirname "$0")/../../../shared}
dir=${EWS_HARNESS_DIR:-/tmp/ews-mcp-harness}
dir=$("$shared/mcp/setup.sh" "$dir" | tail -n 1)
server=$(readlink -f "$1"); shift

case "$mode" in
conformance)
	results=$(mktemp -d /tmp/ews-conformance-XXXXXX)
	out=$("$dir/run-conformance.sh" --results "$results" -- "$server" "$@" 2>&1) || {
		echo "$out"; exit 1; }
	echo "$out"
	# The last line is "N passed, M failed" counted in scenarios.
	echo "$out" | tail -n 1 | grep -Eq '^[0-9]+ passed, 0 failed$'
	;;
client)
	report=$(cd "$dir" && node client.mjs --ping -- "$server" "$@") || {
		echo "$report"; exit 1; }
	echo "$report"
	echo "$report" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
		  const r = JSON.parse(s);
		  const problems = (r.tools && r.tools.schemaProblems) || [];
		  if (!r.ok || problems.length) { console.error("client check failed"); process.exit(1); }
		  console.log("1 passed, 0 failed");
		});'
	;;
*)
	echo "usage: run-harness.sh conformance|client SERVER [ARGS...]" >&2
	exit 2
	;;
esac
