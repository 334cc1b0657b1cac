#!/bin/sh
# run-http-harness.sh MODE SERVER [ARGS...] - the MCP conformance suite and
# the project's SDK client (suite.mjs, client.mjs) against a server over
# Streamable HTTP (run-harness.sh hands its http modes over to this). MODE:
#   http          `SERVER --http 127.0.0.1:0` (it prints its URL first on
#                 stdout): every server scenario of the suite must pass
#   http-ews-mcp  SERVER is ews-mcp: `demo` over HTTP on a free port; the
#                 scenarios that apply to it must pass, and client.mjs must
#                 call read_emails on alice@contoso.test
# Afterwards the server must exit with status 0 on SIGTERM, which under ASan
# also means without leaks.
set -eu
mode=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
node=$("$here/../npm-ci.sh")
server=$(readlink -f "$1"); shift
work=$(mktemp -d /tmp/ews-http-harness-XXXXXX)

# Prints the server's first stdout line (its URL), waiting up to 20 s.
server_url() {
	i=0
	while [ $i -lt 200 ]; do
		if [ -s "$work/stdout" ]; then
			# dns-rebinding-protection wants a localhost URL.
			head -n 1 "$work/stdout" | sed 's#//127.0.0.1:#//localhost:#'
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || { echo "the server exited before printing its URL" >&2; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	echo "the server printed no URL within 20 s" >&2
	return 1
}

# Stops the server; fails, showing its stderr, unless it exits with 0.
stop_server() {
	trap - EXIT
	kill -TERM "$pid"
	wait "$pid" && return 0
	echo "the server did not exit cleanly; its stderr:"
	cat "$work/stderr"
	return 1
}

status=0
case "$mode" in
http)
	"$server" --http 127.0.0.1:0 "$@" >"$work/stdout" 2>"$work/stderr" &
	pid=$!
	trap 'kill -TERM $pid 2>/dev/null || true' EXIT
	url=$(server_url)
	"$node" "$here/suite.mjs" --results "$work/results" "$url" || status=1
	stop_server || status=1
	;;
http-ews-mcp)
	port=$("$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	# An empty working folder, so no developer .env leaks in.
	(cd "$work" && exec env MCP_TRANSPORT=http MCP_PORT="$port" RATE_LIMIT_ENABLED=false \
		"$server" demo "$@" >"$work/stdout" 2>"$work/stderr") &
	pid=$!
	trap 'kill -TERM $pid 2>/dev/null || true' EXIT
	url=$(server_url)
	"$node" "$here/suite.mjs" --results "$work/results" \
		--scenario server-initialize --scenario ping --scenario tools-list \
		--scenario logging-set-level --scenario tools-call-error \
		--scenario dns-rebinding-protection --scenario server-sse-multiple-streams \
		"$url" || status=1
	"$node" "$here/client.mjs" --url "$url" --call read_emails \
		--args '{"target_mailbox":"alice@contoso.test"}' \
		--expect success=true --expect mailbox='"alice@contoso.test"' >"$work/report" || {
		status=1; cat "$work/report"; }
	[ $status -ne 0 ] || echo "client.mjs: read_emails on alice@contoso.test over HTTP succeeded"
	stop_server || status=1
	;;
*)
	echo "usage: run-http-harness.sh http|http-ews-mcp SERVER [ARGS...]" >&2
	exit 2
	;;
esac
[ $status -eq 0 ] || exit 1
rm -rf "$work"
