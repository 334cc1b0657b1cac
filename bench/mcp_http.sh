#!/bin/sh
# mcp_http.sh BUILD_DIR - MCP over Streamable HTTP: ews-mcp (`demo`: the
# embedded ews-sim, real tools) against @modelcontextprotocol/server-everything
# (streamableHttp, the reference TypeScript server), both on 127.0.0.1 in the
# same run, with the same SDK client (tests/conformance/client.mjs --bench;
# the npm packages are the test suite's, installed by tests/npm-ci.sh):
#   1. ping, sequential                         -> p50, calls/s, ratio
#   2. a real tool: ews-mcp read_emails on alice@ (impersonation, through
#      the sim) vs server-everything echo        -> p50, calls/s, ratio
#   3. CLIENTS (32) concurrent sessions x LOAD_CALLS (50) read_emails each
#      against ews-mcp: throughput, p99, and ews-mcp's peak RSS (VmHWM).
# CALLS (default 2000) sets the sequential calls per run.
set -eu
build=$(readlink -f "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/../tests" && pwd)
node=$("$tests/npm-ci.sh")
calls=${CALLS:-2000}
clients=${CLIENTS:-32}
load_calls=${LOAD_CALLS:-50}
work=$(mktemp -d /tmp/ews-bench-http-XXXXXX)

free_port() {
	"$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

ours_port=$(free_port)
(cd "$work" && exec env MCP_TRANSPORT=http MCP_PORT="$ours_port" RATE_LIMIT_ENABLED=false \
	LOG_LEVEL=WARNING "$build/ews-mcp" demo >"$work/ours.out" 2>"$work/ours.err") &
ours_pid=$!
ref_port=$(free_port)
PORT=$ref_port "$node" "$tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js" \
	streamableHttp >"$work/ref.out" 2>&1 &
ref_pid=$!
trap 'kill $ours_pid $ref_pid 2>/dev/null || true' EXIT
i=0
until [ -s "$work/ours.out" ] && curl -s "http://127.0.0.1:$ref_port/mcp" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 150 ] || { echo "servers did not start"; cat "$work"/*.err; exit 1; }
	sleep 0.2
done
ours=$(head -n 1 "$work/ours.out")
ref=http://127.0.0.1:$ref_port/mcp

# bench URL CALLARGS...: prints "p50 calls_per_second"
bench() {
	url=$1; shift
	"$node" "$tests/conformance/client.mjs" --bench "$calls" --warmup 100 "$@" --url "$url" \
		2>/dev/null | "$node" -e '
		const b = JSON.parse(require("fs").readFileSync(0, "utf8")).bench;
		console.log(b.p50Ms + " " + b.callsPerSecond);'
}
ratio() { "$node" -e "console.log(($1 / $2).toFixed(2))"; }

echo "MCP over Streamable HTTP, $calls sequential calls each (client.mjs, the SDK client)"
printf '%-36s %10s %12s\n' "target" "p50 ms" "calls/s"
set -- $(bench "$ours"); op50=$1; ocps=$2
printf '%-36s %10s %12s\n' "ews-mcp: ping" "$op50" "$ocps"
set -- $(bench "$ref"); rp50=$1; rcps=$2
printf '%-36s %10s %12s\n' "server-everything: ping" "$rp50" "$rcps"
echo "ping ratio (ours/reference): p50 $(ratio "$op50" "$rp50"), calls/s $(ratio "$ocps" "$rcps")"
set -- $(bench "$ours" --call read_emails --args '{"target_mailbox":"alice@contoso.test","max_results":5}')
tp50=$1; tcps=$2
printf '%-36s %10s %12s\n' "ews-mcp: read_emails (via ews-sim)" "$tp50" "$tcps"
set -- $(bench "$ref" --call echo --args '{"message":"hello"}'); ep50=$1; ecps=$2
printf '%-36s %10s %12s\n' "server-everything: echo" "$ep50" "$ecps"
echo "tool ratio (ours/reference): p50 $(ratio "$tp50" "$ep50"), calls/s $(ratio "$tcps" "$ecps")"

echo
echo "$clients concurrent sessions x $load_calls read_emails (alice@, impersonation) against ews-mcp:"
"$node" "$here/mcp_http_load.mjs" "$ours" "$clients" "$load_calls" read_emails \
	'{"target_mailbox":"alice@contoso.test","max_results":5}'
echo "ews-mcp peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$ours_pid/status)"
kill $ours_pid $ref_pid 2>/dev/null || true
wait $ours_pid 2>/dev/null || true
trap - EXIT
rm -rf "$work"
