#!/bin/sh
# ews_client.sh BUILD_DIR - what the EWS client (src/ews) adds to a call
# (issue 4), against ews-sim running in a separate process with a mailbox
# of MESSAGES (default 1000) generated messages (bench/one-user-org.json).
#  - latency: ews_find_item (a page of 50) and ews_get_item (those 50 ids)
#    against a raw keep-alive libcurl POST of the same request body
#    (captured with the client's request hook), alternating, ITERATIONS
#    (default 1000) after WARMUP (default 100); prints p50/p99 of both and
#    the ratios client/raw (1.00 = no overhead) and the p50 difference;
#  - memory: the peak RSS growth while reading MESSAGES items (FindItem
#    pages of 100, GetItem batches of 100, all items kept), in MiB.
set -eu
build=$(readlink -f "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
prog=$build/bench/ews_bench
if [ ! -x "$prog" ]; then
	echo "ews_client.sh: $prog not found: build it first" \
	     "(cmake --build $build --target ews_bench)" >&2
	exit 1
fi
exec "$prog" --org "$here/one-user-org.json" \
	--messages "${MESSAGES:-1000}" \
	--iterations "${ITERATIONS:-1000}" --warmup "${WARMUP:-100}"
