#!/bin/sh
# sim_paging.sh BUILD_DIR - ews-sim paging cost against mailbox size
# (issue 3): FindItem (IndexedPageItemView of 50, newest first, IdOnly +
# 4 properties) + GetItem of those 50 ids, over one keep-alive connection
# with Basic auth, against a mailbox of SMALL (default 100) and of LARGE
# (default 100000) generated messages (bench/one-user-org.json: one user,
# so generation is 1 x N). Both sims run at once and are measured in
# alternation. Prints p50/p99 per operation and requests/s per size, and
# the ratios large/small: 1.00 means the page does not get slower as the
# mailbox grows. ITERATIONS (default 1000) and WARMUP (default 50) pairs
# per size; generating 100,000 messages takes about 9 s of the ~20 s.
set -eu
build=$(readlink -f "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
prog=$build/bench/sim_bench
if [ ! -x "$prog" ]; then
	echo "sim_paging.sh: $prog not found: build it first" \
	     "(cmake --build $build --target sim_bench)" >&2
	exit 1
fi
exec "$prog" --org "$here/one-user-org.json" \
	--small "${SMALL:-100}" --large "${LARGE:-100000}" \
	--iterations "${ITERATIONS:-1000}" --warmup "${WARMUP:-50}"
