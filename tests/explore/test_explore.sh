#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/explore/test_explore.sh NDISRT DRIVERS - `ndisrt explore` and
# `ndisrt replay`: P1 (drivers/racy) is found, bundled, replayed the same
# way and shrunk to at most 2 critical decisions; its fixed twin and the
# sample driver are silent over the same seeds; sweep, pct, shards, merge.
set -eu
ndisrt=$1
drivers=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

# P1 is found: exit 1, one distinct failure, a bundle with the replay command.
set +e
"$ndisrt" explore --driver "$drivers/racy_p1.so" --irq line --frames 100 --runs 10 \
	--out p1 --shrink-seconds 60 --trace --quiet >p1.txt 2>p1.err
rc=$?
set -e
[ $rc -eq 1 ] || { cat p1.txt p1.err >&2; fail "explore of P1 exited $rc, not 1"; }
grep -q '1 distinct' p1.txt || fail "P1: not exactly one distinct failure"
grep -q 'replay: ndisrt replay p1/failure-1' p1.txt || fail "P1: no replay command"
for f in bundle.txt schedule schedule.min report.txt; do
	[ -s "p1/failure-1/$f" ] || fail "P1: bundle has no $f"
done
grep -q '^build-id ' p1/failure-1/bundle.txt || fail "P1: bundle has no build id"
# --trace: the timeline of the bundle's replay, a valid trace (docs/trace.md).
python3 "$here/../tools/trace_check.py" p1/failure-1/trace.json >trace.txt 2>&1 ||
	{ cat trace.txt >&2; fail "P1: the bundle's trace.json"; }
crit=$(sed -n 's/.*shrunk to \([0-9]*\) critical.*/\1/p' p1.txt)
[ -n "$crit" ] && [ "$crit" -le 2 ] || fail "P1: shrunk to '$crit' critical decisions (want <= 2)"
sig=$(sed -n 's/^signature //p' p1/failure-1/bundle.txt)
stop=$(echo "$sig" | sed -n 's/^STOP \(0x[0-9A-F]*\).*/\1/p')
[ -n "$stop" ] || fail "P1: the signature is not a bug check: $sig"

# The replay (from another directory) fails the same way.
mkdir elsewhere
set +e
(cd elsewhere && "$ndisrt" replay ../p1/failure-1 >../replay.txt 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || { cat replay.txt >&2; fail "replay exited $rc, not 1"; }
code=$(printf '%08X' "$stop")
grep -q "STOP: 0x$code" replay.txt || fail "the replay stopped with another bug check"

# Exhaustive finds P1 where it can: the shrunk schedule's injection says at
# which preemption point below DIRQL of the default schedule (its last field
# counts them, this one included) one interrupt brings P1 about; every
# single injection among the 16 points around it is run, and P1 is found.
# (From the start of the run, exhaustive:1:M needs M past that point:
# docs/sim.md gives the bound.)
e=$(awk '$1 == "dev" && $3 == 0 && $4 == 2 { print $7; exit }' p1/failure-1/schedule.min)
[ -n "$e" ] && [ "$e" -gt 8 ] || fail "P1: no injection in the shrunk schedule"
set +e
"$ndisrt" explore --driver "$drivers/racy_p1.so" --irq line --frames 100 \
	--strategy "exhaustive:1:16:$((e - 8))" --shrink-seconds 0 --out p1exh >p1exh.txt 2>p1exh.err
rc=$?
set -e
[ $rc -eq 1 ] || { cat p1exh.txt p1exh.err >&2; fail "exhaustive around P1's point exited $rc"; }
grep -q '^ndisrt explore: 16 runs' p1exh.txt || fail "exhaustive around P1: not 16 runs"
grep -qF "$sig" p1exh.txt || { cat p1exh.txt >&2; fail "exhaustive around P1 did not find P1"; }

# The fixed twin and the sample driver are silent over the same seeds.
"$ndisrt" explore --driver "$drivers/racy_p1_fixed.so" --irq line --frames 100 --runs 10 \
	--out fixed --quiet >fixed.txt 2>&1 || { cat fixed.txt >&2; fail "P1's fixed twin reported"; }
grep -q ' 0 failed, 0 distinct' fixed.txt || fail "fixed twin: summary"
"$ndisrt" explore --driver vn1 --frames 100 --runs 10 --out vn1 --quiet >vn1.txt 2>&1 ||
	{ cat vn1.txt >&2; fail "the sample driver reported a failure"; }

# P2 (MSI-X, traffic on the virtual clock): found, replayed, shrunk; its
# fixed twin is silent over the same seeds. The sample's interrupt moderation
# (ITR, on by default) is off: P2 is a race between interrupts, and with
# one interrupt per frame its failing schedule shrinks to one decision.
set +e
"$ndisrt" explore --driver "$drivers/racy_p2.so" --wire gen --nics 1 --frames 300 --runs 10 \
	--param "*InterruptModeration=0" \
	--out p2 --shrink-seconds 30 --quiet >p2.txt 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { cat p2.txt >&2; fail "explore of P2 exited $rc, not 1"; }
grep -q '1 distinct' p2.txt || fail "P2: not exactly one distinct failure"
grep -q 'did NOT fail the same way' p2.txt && fail "P2: its replay did not fail the same way"
crit=$(sed -n 's/.*shrunk to \([0-9]*\) critical.*/\1/p' p2.txt)
from=$(sed -n 's/.*critical decisions* (from \([0-9]*\)).*/\1/p' p2.txt)
# A random walk's P2 shrinks to a handful of injections; a sweep finds it
# with exactly one (docs/sim.md: too long for a test).
[ -n "$crit" ] && [ "$crit" -le 10 ] && [ "$from" -gt 100 ] ||
	fail "P2: shrunk to '$crit' critical decisions from '$from' (want <= 10)"
set +e
"$ndisrt" replay p2/failure-1 >p2replay.txt 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "P2: replay exited $rc"
"$ndisrt" explore --driver "$drivers/racy_p2_fixed.so" --wire gen --nics 1 --frames 300 \
	--param "*InterruptModeration=0" \
	--runs 10 --out p2fixed --quiet >p2fixed.txt 2>&1 ||
	{ cat p2fixed.txt >&2; fail "P2's fixed twin reported"; }

# Exhaustive: every set of 1..K injections among the first M points; the
# count is sum C(M, i): exhaustive:2:6 is 6 + 15 = 21 schedules.
"$ndisrt" explore --driver "$drivers/racy_p1_fixed.so" --irq line --frames 20 \
	--strategy exhaustive:2:6 --runs 1000 --out exh >exh.txt 2>exh.err ||
	fail "exhaustive reported"
grep -q 'exhaustive: 21 schedules' exh.err || fail "exhaustive: not 21 schedules"
grep -q '^ndisrt explore: 21 runs' exh.txt || fail "exhaustive: not 21 runs"
if "$ndisrt" explore --driver vn1 --strategy exhaustive:5 2>/dev/null; then
	fail "exhaustive:5 accepted"
fi

# Sweep: one run per eligible point of the baseline (capped by --runs).
"$ndisrt" explore --driver "$drivers/racy_p1_fixed.so" --irq line --frames 20 \
	--strategy sweep --runs 25 --out sweep >sweep.txt 2>sweep.err || fail "sweep reported"
grep -q 'preemption points below DIRQL' sweep.err || fail "sweep: no baseline line"
grep -q '^ndisrt explore: 25 runs' sweep.txt || fail "sweep: not 25 runs"

# PCT prints its bound.
"$ndisrt" explore --driver vn1 --frames 20 --strategy pct:2 --runs 4 --out pct \
	>pct.txt 2>pct.err || fail "pct reported"
grep -q 'probability' pct.err || fail "pct: no probability bound"

# Shards split the runs; --merge joins them.
set +e
"$ndisrt" explore --driver "$drivers/racy_p1.so" --irq line --frames 100 --runs 6 \
	--shard 0/2 --out s0 --shrink-seconds 0 --quiet >s0.txt 2>&1
r0=$?
"$ndisrt" explore --driver "$drivers/racy_p1.so" --irq line --frames 100 --runs 6 \
	--shard 1/2 --out s1 --shrink-seconds 0 --quiet >s1.txt 2>&1
r1=$?
"$ndisrt" explore --merge s0 s1 >merge.txt 2>&1
rm=$?
set -e
[ $r0 -eq 1 ] && [ $r1 -eq 1 ] || fail "shards exited $r0 and $r1"
grep -q '^ndisrt explore: 3 runs' s0.txt || fail "shard 0/2 did not run 3 of 6"
[ $rm -eq 1 ] || fail "merge exited $rm"
grep -q '6 runs, 1 distinct failure' merge.txt || { cat merge.txt >&2; fail "merge summary"; }

# Bad options: one line, exit 64.
for bad in "--runs 0" "--strategy pct:0" "--shard 2/2" "--engine threads"; do
	set +e
	# shellcheck disable=SC2086
	"$ndisrt" explore $bad >/dev/null 2>err.txt
	rc=$?
	set -e
	[ $rc -eq 64 ] || fail "explore $bad exited $rc"
	[ "$(wc -l <err.txt)" -eq 1 ] || fail "explore $bad: not one line"
done
echo ok
