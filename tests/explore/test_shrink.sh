#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/explore/test_shrink.sh NDISRT DRIVERS [all|plain] - each planted interleaving bug
# of drivers/racy is found by `ndisrt explore` (random walk, seed 1, the
# runs below), reported the same way by `ndisrt replay`, and shrunk to at
# most 2 critical decisions; its fixed twin is silent over the same seeds.
# The samples' interrupt moderation is left ON (the default, as users run).
#
# One line of BUGS per bug: NAME DRIVER FIXED_TWIN RUNS BUILD RUN-OPTIONS...
# (a new planted bug is one more line; docs/sim.md has the budgets). BUILD is
# "tsan" for a driver built instrumented (-fsanitize=thread), which sanitizer
# builds do not make: with "plain" as the third argument those lines are
# skipped. Otherwise "-".
set -eu
ndisrt=$1
drivers=$2
builds=${3:-all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

BUGS='
p1   racy_p1   racy_p1_fixed   10 -    --irq line --frames 100
p2   racy_p2   racy_p2_fixed   10 -    --wire gen --nics 1 --frames 300
xmsg racy_xmsg racy_xmsg_fixed 10 tsan --frames 200
'

# The failure of a run's output, without the numbers that differ between
# two schedules that fail the same way: the bug check and its first
# parameter, or the FAILED line.
failure_of() {
	stop=$(sed -n 's/^\*\*\* STOP: \(0x[0-9A-F]*\) (\(0x[0-9A-F]*\),.*/\1 \2/p' "$1" | head -n 1)
	if [ -n "$stop" ]; then
		echo "STOP $stop"
	else
		sed -n 's/^Result: FAILED - //p' "$1" | head -n 1 | tr -s '0-9' 'N'
	fi
}

echo "$BUGS" | while read -r name bug fixed runs build opts; do
	[ -n "$name" ] || continue
	if [ "$build" = tsan ] && [ "$builds" = plain ]; then
		echo "$name: skipped ($bug is built instrumented, not in this build)"
		continue
	fi
	[ -f "$drivers/$bug.so" ] || fail "$name: $drivers/$bug.so was not built"
	[ -f "$drivers/$fixed.so" ] || fail "$name: $drivers/$fixed.so was not built"
	# shellcheck disable=SC2086
	set -- $opts

	set +e
	"$ndisrt" explore --driver "$drivers/$bug.so" "$@" --runs "$runs" --seed 1 \
		--out "$name" --shrink-seconds 120 --quiet >"$name.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 1 ] || { cat "$name.txt" >&2; fail "$name: explore exited $rc, not 1"; }
	grep -q ' 1 distinct$' "$name.txt" || { cat "$name.txt" >&2; fail "$name: not one distinct failure"; }
	grep -q 'did NOT fail the same way' "$name.txt" && fail "$name: its schedule did not replay"
	crit=$(sed -n 's/.*shrunk to \([0-9]*\) critical.*/\1/p' "$name.txt")
	[ -n "$crit" ] && [ "$crit" -le 2 ] ||
		{ cat "$name.txt" >&2; fail "$name: shrunk to '$crit' critical decisions (want <= 2)"; }
	[ "$(grep -c '^dev ' "$name/failure-1/schedule.min")" -le 2 ] ||
		fail "$name: schedule.min keeps more than 2 decisions"

	# ndisrt replay (the shrunk schedule) reports what the campaign found.
	set +e
	"$ndisrt" replay "$name/failure-1" >"$name.replay" 2>&1
	rc=$?
	set -e
	[ $rc -eq 1 ] || { cat "$name.replay" >&2; fail "$name: replay exited $rc, not 1"; }
	want=$(failure_of "$name/failure-1/report.txt")
	got=$(failure_of "$name.replay")
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		fail "$name: the campaign found '$want', the replay of the shrunk schedule '$got'"

	# The fixed twin: silent over the same seeds.
	"$ndisrt" explore --driver "$drivers/$fixed.so" "$@" --runs "$runs" --seed 1 \
		--out "$name-fixed" --quiet >"$name-fixed.txt" 2>&1 ||
		{ cat "$name-fixed.txt" >&2; fail "$name: the fixed twin $fixed reported"; }
	grep -q " $runs runs .* 0 failed, 0 distinct" "$name-fixed.txt" ||
		fail "$name: the fixed twin's summary"
	echo "$name: found, replayed, shrunk to $crit critical decision(s); $fixed silent"
done
echo ok
