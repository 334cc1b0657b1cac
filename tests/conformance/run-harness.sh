#!/bin/sh
# run-harness.sh MODE SERVER [ARGS...] - the MCP conformance suite and the
# project's SDK client (suite.mjs, client.mjs; npm packages pinned in
# tests/package.json, installed by tests/npm-ci.sh) against a server binary
# over stdio (the http modes: see run-http-harness.sh). MODE:
#   conformance  every server scenario of the suite must pass (bridged)
#   client       client.mjs pings and lists tools with no definition problem
#   demo-client  `SERVER demo`: 15 tools, no definition problem, read_emails
#                on alice@contoso.test (impersonation) succeeds
#   noconfig     with no configuration at all, the server names the missing
#                settings on stderr, exits, and writes nothing to stdout
# The last line is "1 passed, 0 failed" (the suite's: N scenarios).
set -eu
mode=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
node=$("$here/../npm-ci.sh")
server=$(readlink -f "$1"); shift

case "$mode" in
http|http-ews-mcp)
	exec "$here/run-http-harness.sh" "$mode" "$server" "$@"
	;;
conformance)
	"$node" "$here/suite.mjs" -- "$server" "$@"
	;;
client)
	"$node" "$here/client.mjs" --ping -- "$server" "$@"
	echo "1 passed, 0 failed"
	;;
demo-client)
	"$node" "$here/client.mjs" --expect-tools 15 --call read_emails \
		--args '{"max_results": 3, "target_mailbox": "alice@contoso.test"}' \
		--expect success=true --expect mailbox='"alice@contoso.test"' \
		-- "$server" demo "$@"
	echo "1 passed, 0 failed"
	;;
noconfig)
	empty=$(mktemp -d /tmp/ews-noconfig-XXXXXX)
	status=0
	env -i PATH="$PATH" HOME="$empty" "$node" "$here/client.mjs" --cwd "$empty" \
		-- "$server" "$@" >"$empty/report" 2>"$empty/stderr" || status=$?
	cat "$empty/stderr"
	[ "$status" -ne 0 ] || { echo "client.mjs succeeded against an unconfigured server"; exit 1; }
	grep -q 'missing required settings: EWS_EMAIL, EWS_SERVER_URL' "$empty/stderr" || {
		echo "stderr does not name the missing settings"; exit 1; }
	# A line on stdout that is not JSON-RPC is counted by the client.
	grep -q '"badMessages": 0' "$empty/report" || {
		echo "the server wrote something other than JSON-RPC to stdout:"; cat "$empty/report"; exit 1; }
	out=$(cd "$empty" && env -i PATH="$PATH" "$server" "$@" </dev/null 2>/dev/null || true)
	[ -z "$out" ] || { echo "stdout was not empty: $out"; exit 1; }
	rm -rf "$empty"
	echo "1 passed, 0 failed"
	;;
*)
	echo "usage: run-harness.sh conformance|client|demo-client|noconfig|http|http-ews-mcp SERVER [ARGS...]" >&2
	exit 2
	;;
esac
