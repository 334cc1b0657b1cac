#!/bin/sh
# run-harness.sh MODE SERVER [ARGS...] - runs the official MCP harness
# (../shared/mcp: conformance suite and SDK client, pinned npm packages)
# against a stdio server binary (http, http-ews-mcp: see run-http-harness.sh). MODE:
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
http|http-ews-mcp)
	# Streamable HTTP modes live in their own script.
	exec "$(dirname "$0")/run-http-harness.sh" "$mode" "$server" "$@"
	;;
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
demo-client)
	# The SDK client against `ews-mcp demo`: every tool schema valid, and
	# read_emails on another mailbox (impersonation) succeeds.
	report=$(cd "$dir" && node client.mjs --call read_emails \
		--args '{"max_results": 3, "target_mailbox": "alice@contoso.test"}' \
		-- "$server" demo "$@") || { echo "$report"; exit 1; }
	echo "$report"
	echo "$report" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
		  const r = JSON.parse(s);
		  const problems = (r.tools && r.tools.schemaProblems) || [];
		  const sc = r.call && r.call.result && r.call.result.structuredContent;
		  if (!r.ok || problems.length || !sc || sc.mailbox !== "alice@contoso.test" ||
		      r.tools.count !== 15) {
		    console.error("demo client check failed"); process.exit(1);
		  }
		  console.log("1 passed, 0 failed");
		});'
	;;
noconfig)
	# Started with no configuration at all, the server must say on stderr
	# which settings are missing and exit, writing nothing to stdout.
	empty=$(mktemp -d /tmp/ews-noconfig-XXXXXX)
	errfile=$empty/stderr
	status=0
	(cd "$dir" && env -i PATH="$PATH" HOME="$empty" node client.mjs --cwd "$empty" \
		-- "$server" "$@") >"$empty/report" 2>"$errfile" || status=$?
	cat "$errfile"
	[ "$status" -ne 0 ] || { echo "client.mjs succeeded against an unconfigured server"; exit 1; }
	grep -q 'missing required settings: EWS_EMAIL, EWS_SERVER_URL' "$errfile" || {
		echo "stderr does not name the missing settings"; exit 1; }
	# Any non-JSON on stdout would show up as a protocol error in the report.
	if grep -qi 'not valid JSON\|Unexpected token' "$empty/report"; then
		echo "garbage on stdout"; cat "$empty/report"; exit 1
	fi
	out=$(cd "$empty" && env -i PATH="$PATH" "$server" "$@" </dev/null 2>/dev/null || true)
	[ -z "$out" ] || { echo "stdout was not empty: $out"; exit 1; }
	rm -rf "$empty"
	echo "1 passed, 0 failed"
	;;
*)
	echo "usage: run-harness.sh conformance|client|demo-client|noconfig SERVER [ARGS...]" >&2
	exit 2
	;;
esac
