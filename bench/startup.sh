#!/bin/sh
# startup.sh BUILD_DIR - how long ews-mcp takes from exec to its answer to
# initialize, and its peak memory, against @modelcontextprotocol/server-
# everything (the reference TypeScript server) started the same way in the
# same run. RUNS (default 20) starts of each; prints medians and ratios.
# server-everything is the test suite's npm package (tests/npm-ci.sh).
set -eu
build=$(readlink -f "${1:-build}")
tests=$(cd "$(dirname "$0")/../tests" && pwd)
node=$("$tests/npm-ci.sh")
runs=${RUNS:-20}
work=$(mktemp -d /tmp/ews-startup-XXXXXX)
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}'

# measure CMD...: one start; prints "seconds max_rss_kib". The server reads
# initialize, answers, then sees end of input and exits.
measure() {
	printf '%s\n' "$init" >"$work/in"
	/usr/bin/time -f '%e %M' -o "$work/t" "$@" <"$work/in" >"$work/out" 2>/dev/null || true
	grep -q '"id":1' "$work/out" || { echo "no initialize answer from $1" >&2; exit 1; }
	cat "$work/t"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

series() {
	i=0
	: >"$work/s"
	while [ $i -lt "$runs" ]; do
		measure "$@" >>"$work/s"
		i=$((i + 1))
	done
	t=$(cut -d' ' -f1 "$work/s" | median)
	m=$(cut -d' ' -f2 "$work/s" | median)
	echo "$t $m"
}

export EWS_EMAIL=bench@bench.test EWS_SERVER_URL=http://127.0.0.1:9/EWS/Exchange.asmx \
	EWS_AUTH_TYPE=basic EWS_USERNAME=bench EWS_PASSWORD=bench ENABLE_AUDIT_LOG=false \
	DATA_DIR="$work/data"
set -- $(series "$build/ews-mcp"); ot=$1; om=$2
set -- $(series "$node" "$tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js" stdio); rt=$1; rm_=$2
printf '%-22s %12s %14s\n' "server" "start s" "peak RSS MiB"
printf '%-22s %12s %14s\n' "ews-mcp" "$ot" "$(awk "BEGIN{printf \"%.1f\", $om/1024}")"
printf '%-22s %12s %14s\n' "server-everything" "$rt" "$(awk "BEGIN{printf \"%.1f\", $rm_/1024}")"
echo "ratio (ews-mcp/reference): start $(awk "BEGIN{printf \"%.2f\", ($ot+0.001)/($rt+0.001)}"), memory $(awk "BEGIN{printf \"%.2f\", $om/$rm_}")"
rm -rf "$work"
