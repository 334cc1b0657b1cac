#!/bin/sh
# load.sh BUILD_DIR - ews-mcp under load over Streamable HTTP (issue 10),
# against ews-sim in a separate process (demo organisation):
#  1. SESSIONS (32) x CALLS (500) mixed calls over three mailboxes, ROUNDS
#     (3) times with new sessions: sends carry idempotency keys, a quarter
#     of them repeated. Prints calls/s, p50, p99, protocol and tool
#     errors, sends per unique key (must be 1.00), RSS and fds per round.
#  2. the same without sends: whether RSS growth comes from the ledger.
#  3. LARGE (10000) read_emails of 1,000 messages over 4 sessions, with
#     ews-mcp's RSS after every tenth (about 10 minutes on 2 cores; set
#     LARGE lower for a quick look).
# Exits non-zero when a run had errors or a key was sent other than once.
set -eu
build=$(readlink -f "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
prog=$build/bench/load_bench
if [ ! -x "$prog" ]; then
	echo "load.sh: $prog not found: build it first" \
	     "(cmake --build $build --target load_bench)" >&2
	exit 1
fi
org=$here/../sim/orgs/demo.json
"$prog" --mcp "$build/ews-mcp" --org "$org" --messages 200 \
	--sessions "${SESSIONS:-32}" --calls "${CALLS:-500}" --rounds "${ROUNDS:-3}"
"$prog" --mcp "$build/ews-mcp" --org "$org" --messages 200 --sends no \
	--sessions "${SESSIONS:-32}" --calls "${CALLS:-500}" --rounds "${ROUNDS:-3}"
exec "$prog" --mcp "$build/ews-mcp" --org "$org" --mode large --messages 1000 \
	--sessions 4 --large "${LARGE:-10000}"
