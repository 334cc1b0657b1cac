#!/bin/sh
# fuzz/run.sh BUILD SECONDS TARGET... - runs each libFuzzer target of BUILD
# (a build with EWS_FUZZ=ON, e.g. build-fuzz) for SECONDS seconds, one
# after the other, on one core (-jobs=1 -workers=1), then prints the
# executions, corpus size and findings per target.
#
# Each target reads its committed corpus fuzz/corpus/<target>/ (and its
# dictionary fuzz/<target>.dict, words of the format) and writes
# what it discovers to BUILD/fuzz/work/<target>/corpus/, never to the
# committed one (`make fuzz-merge` minimises discoveries into it).
# Crashes, leaks, timeouts and out-of-memory inputs land in
# BUILD/fuzz/work/<target>/findings/; libFuzzer's log is
# BUILD/fuzz/work/<target>/fuzz-0.log. Exits 1 if any target found
# something.
set -eu

if [ $# -lt 3 ]; then
	echo "usage: $0 BUILD SECONDS TARGET..." >&2
	exit 2
fi
src=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
seconds=$2
shift 2

summary=""
failed=0
for t in "$@"; do
	bin="$build/fuzz/fuzz_$t"
	work="$build/fuzz/work/$t"
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is missing (configure with -DEWS_FUZZ=ON)" >&2
		exit 2
	fi
	mkdir -p "$work/corpus" "$work/findings"
	rm -f "$work/fuzz-0.log"
	dict=""
	if [ -f "$src/$t.dict" ]; then
		dict="-dict=$src/$t.dict"
	fi
	echo "fuzz: $t for ${seconds}s (log: $work/fuzz-0.log)" >&2
	# libFuzzer's own options; the sanitizers stop at the first error.
	(cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
		"$bin" -jobs=1 -workers=1 -max_total_time="$seconds" \
		-timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$work/findings/" $dict \
		"$work/corpus" "$src/corpus/$t" >/dev/null 2>&1) || true
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz-0.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz-0.log" | tail -1)
	found=$(find "$work/findings" -type f | wc -l)
	committed=$(find "$src/corpus/$t" -type f | wc -l)
	discovered=$(find "$work/corpus" -type f | wc -l)
	if [ "$found" -gt 0 ] || [ -z "$execs" ]; then
		failed=1
	fi
	summary="$summary$(printf '%-14s %12s %8s %10s %11s %9s' "$t" "${execs:-?}" \
		"${rate:-?}" "$committed" "$discovered" "$found")
"
	if [ "$found" -gt 0 ]; then
		echo "fuzz: $t found something:" >&2
		find "$work/findings" -type f >&2
		grep -m1 -A12 -E "^==[0-9]+==ERROR|runtime error|SUMMARY" "$work/fuzz-0.log" >&2 || true
	fi
done

printf '\n%-14s %12s %8s %10s %11s %9s\n' target executions exec/s corpus discovered findings
printf '%s' "$summary"
exit "$failed"
