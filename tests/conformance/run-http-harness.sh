#!/bin/sh
# run-http-harness.sh MODE SERVER [ARGS...] - the official MCP harness
# (../shared/mcp) against a server over Streamable HTTP (run-harness.sh
# delegates its http modes here). MODE:
#   http          SERVER --http 127.0.0.1:0 is started (it prints its URL
#                 first on stdout); every scenario of `--suite all` must pass
#   http-ews-mcp  SERVER is ews-mcp: `demo` over HTTP on a free port; the
#                 scenarios that apply to it must pass and client.mjs must
#                 call read_emails on alice@contoso.test
# The server must exit cleanly (status 0) on SIGTERM afterwards, which under
# ASan also means without leaks.
set -eu
mode=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
shared=${EWS_SHARED_DIR:-$here/../../../shared}
dir=${EWS_HARNESS_DIR:-/tmp/ews-mcp-harness}
dir=$("$shared/mcp/setup.sh" "$dir" | tail -n 1)
server=$(readlink -f "$1"); shift

# Prints the first stdout line of the server (its URL), waiting up to 20 s.
wait_for_url() {
	i=0
	while [ $i -lt 200 ]; do
		if [ -s "$1" ]; then head -n 1 "$1"; return 0; fi
		kill -0 "$2" 2>/dev/null || { echo "the server exited before printing its URL" >&2; return 1; }
		sleep 0.1; i=$((i + 1))
	done
	echo "the server printed no URL within 20 s" >&2
	return 1
}

# Stops the server; fails (showing its stderr) unless it exits with 0.
stop_server() {
	kill -TERM "$1"
	if ! wait "$1"; then
		echo "the server did not exit cleanly; its stderr:"
		cat "$2"
		return 1
	fi
}

work=$(mktemp -d /tmp/ews-http-harness-XXXXXX)
status=0
case "$mode" in
http)
	"$server" --http 127.0.0.1:0 "$@" >"$work/stdout" 2>"$work/stderr" &
	pid=$!
	trap 'kill -TERM $pid 2>/dev/null || true' EXIT
	url=$(wait_for_url "$work/stdout" $pid)
	# dns-rebinding-protection wants a localhost URL.
	url=$(echo "$url" | sed 's#//127.0.0.1:#//localhost:#')
	out=$("$dir/run-conformance.sh" --suite all --results "$work/results" "$url" 2>&1) || status=$?
	echo "$out"
	stop_server $pid "$work/stderr" || status=1
	trap - EXIT
	;;
http-ews-mcp)
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	# An empty working folder, so no developer .env leaks in.
	(cd "$work" && exec env MCP_TRANSPORT=http MCP_PORT="$port" RATE_LIMIT_ENABLED=false \
		"$server" demo "$@" >"$work/stdout" 2>"$work/stderr") &
	pid=$!
	trap 'kill -TERM $pid 2>/dev/null || true' EXIT
	url=$(wait_for_url "$work/stdout" $pid)
	url=$(echo "$url" | sed 's#//127.0.0.1:#//localhost:#')
	out=$("$dir/run-conformance.sh" --results "$work/results" \
		--scenario server-initialize --scenario ping --scenario tools-list \
		--scenario logging-set-level --scenario tools-call-error \
		--scenario dns-rebinding-protection --scenario server-sse-multiple-streams \
		"$url" 2>&1) || status=$?
	echo "$out"
	report=$(cd "$dir" && node client.mjs --url "$url" --call read_emails \
		--args '{"target_mailbox":"alice@contoso.test"}') || status=1
	echo "$report" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
		  const r = JSON.parse(s), sc = r.call && r.call.result && r.call.result.structuredContent;
		  if (!r.ok || !sc || sc.success !== true || sc.mailbox !== "alice@contoso.test") {
		    console.error("read_emails over HTTP failed: " + s.slice(0, 2000)); process.exit(1); }
		  console.log("client.mjs read_emails alice@contoso.test over HTTP: " + sc.message);
		});' || status=1
	stop_server $pid "$work/stderr" || status=1
	trap - EXIT
	;;
*)
	echo "usage: run-http-harness.sh http|http-ews-mcp SERVER [ARGS...]" >&2
	exit 2
	;;
esac
[ $status -eq 0 ] || exit 1
# The conformance summary's last line: "N passed, M failed" in scenarios.
echo "$out" | tail -n 1 | grep -Eq '^[0-9]+ passed, 0 failed$'
rm -rf "$work"
