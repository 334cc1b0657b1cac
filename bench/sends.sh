#!/bin/sh
# sends.sh BUILD_DIR - what the never-twice rule costs per send (issue 9):
# SENDS (default 200) messages back to back under Basic and under NTLM,
# each with a new connection for every write (before) and with warm
# connections reused (after), in one run against one ews-sim. Prints the
# HTTP requests (round trips), connections and 401 challenges per send as
# ews-sim counted them, p50 and mean time, and the after/before ratios.
set -eu
build=$(readlink -f "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
prog=$build/bench/send_bench
if [ ! -x "$prog" ]; then
	echo "sends.sh: $prog not found: build it first" \
	     "(cmake --build $build --target send_bench)" >&2
	exit 1
fi
exec "$prog" --org "$here/one-user-org.json" --user bench@bench.test \
	--password Bench-Pass-1 --sends "${SENDS:-200}"
