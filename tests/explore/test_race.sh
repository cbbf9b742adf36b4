#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/explore/test_race.sh NDISRT DRIVERS - the data-race detector
# (verifier/race.c) on drivers compiled with -fsanitize=thread, under the sim
# engine. Rule I1: the cross-message counter (racy_xmsg) is reported from a
# single run, with both accesses and their call chains, as bug check 0xC4
# 0x20D0, and so are P1 and P2 built instrumented (with --race-volatile plain:
# their word is volatile); the fixed twins, and the
# instrumented samples in every interrupt mode, are silent; --race off does not see it (the detector found it, not
# something else); --race needs the sim engine.
set -eu
ndisrt=$1
drivers=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# One run of the cross-message counter: a bug check naming both accesses.
for seed in 0 1; do
	if "$ndisrt" run --driver "$drivers/racy_xmsg.so" --engine sim --seed $seed \
		--frames 300 --quiet >"$tmp/x.$seed" 2>&1; then
		fail "racy_xmsg seed $seed: no failure"
	fi
	grep -aq 'Data race on driver memory' "$tmp/x.$seed" || fail "racy_xmsg: no race report"
	grep -aq 'STOP: 0x000000C4 (0x00000000000020D0' "$tmp/x.$seed" ||
		fail "racy_xmsg: not bug check 0xC4/0x20D0"
	grep -aq '^This access: .*ISR context' "$tmp/x.$seed" || fail "racy_xmsg: no ISR access"
	grep -aq '^Earlier, unordered with it: write' "$tmp/x.$seed" ||
		fail "racy_xmsg: the earlier access is not named"
	[ "$(grep -ac 'Vn1MessageInterrupt+' "$tmp/x.$seed")" -ge 2 ] ||
		fail "racy_xmsg: the call chains do not both name the ISR"
	grep -aq 'NdisMSynchronizeWithInterruptEx' "$tmp/x.$seed" || fail "racy_xmsg: no fix"
done

# P1 and P2, instrumented: their unsynchronized word is reported from one run
# (the default interrupt mode of each: P1 line, P2 MSI-X); the twins are silent
# (below). Their word (PendingCauses) is volatile: under MSVC's /volatile:ms
# (--race-volatile ms, the default) each access is atomic and P1 and P2 are
# atomicity bugs (read, then write back), not data races, so the detector
# sees them with ISO C semantics (plain); explore finds them either way.
for bug in "p1 --irq line" "p2 --wire gen --nics 1" "p2"; do
	set -- $bug
	name=$1
	shift
	if "$ndisrt" run --driver "$drivers/racy_${name}_tsan.so" --engine sim --frames 300 \
		--race-volatile plain --quiet "$@" >"$tmp/p" 2>&1; then
		fail "racy_${name}_tsan $*: no report"
	fi
	grep -aq 'STOP: 0x000000C4 (0x00000000000020D0' "$tmp/p" ||
		fail "racy_${name}_tsan $*: not 0xC4/0x20D0: $(grep -a -m1 STOP "$tmp/p")"
done

# ... and under /volatile:ms (the default) P1's volatile word is no race.
"$ndisrt" run --driver "$drivers/racy_p1_tsan.so" --engine sim --frames 300 --irq line \
	--quiet >"$tmp/p1ms" 2>&1 || true
grep -aq 'Data race on driver memory' "$tmp/p1ms" &&
	fail "racy_p1_tsan under --race-volatile ms: its volatile word reported as a race"

# Warn mode: every distinct race, into SARIF under rule I1.
if "$ndisrt" run --driver "$drivers/racy_xmsg.so" --engine sim --frames 300 --quiet \
	--verifier warn --sarif "$tmp/x.sarif" >"$tmp/w" 2>&1; then
	fail "racy_xmsg in warn mode passed"
fi
grep -q '"ruleId": *"I1"' "$tmp/x.sarif" || fail "the race is not in the SARIF log"

# Without the detector the counter goes unnoticed.
"$ndisrt" run --driver "$drivers/racy_xmsg.so" --engine sim --race off --frames 300 --quiet \
	>"$tmp/off" 2>&1 || fail "racy_xmsg --race off failed: $(tail -3 "$tmp/off")"

# Silent: the fixed twin and the samples, instrumented, in every mode.
check_silent() {
	name=$1
	shift
	"$ndisrt" run --engine sim --frames 400 "$@" >"$tmp/s" 2>&1 ||
		fail "$name: $(grep -a -m1 -A3 'Data race\|STOP\|FAILED' "$tmp/s")"
	grep -aq 'race detector: [1-9][0-9]* driver accesses checked, 0 race(s)' "$tmp/s" ||
		fail "$name: the detector did not check the driver"
}
check_silent xmsg_fixed --driver "$drivers/racy_xmsg_fixed.so"
check_silent p1_fixed --driver "$drivers/racy_p1_fixed_tsan.so" --irq line
check_silent p2_fixed --driver "$drivers/racy_p2_fixed_tsan.so" --wire gen --nics 1
check_silent p2_fixed --driver "$drivers/racy_p2_fixed_tsan.so"
for irq in line msi msix; do
	check_silent "vn1 $irq" --driver "$drivers/vn1_tsan.so" --irq $irq
done
check_silent "vn1 4 cpus" --driver "$drivers/vn1_tsan.so" --cpus 4 --seed 5
check_silent "vn1 gen" --driver "$drivers/vn1_tsan.so" --wire gen --nics 1
check_silent vn1_line --driver "$drivers/vn1_line_tsan.so" --irq line
check_silent virtio_net --driver "$drivers/virtio_net_tsan.so" --device virtio-net

# An instrumented driver under the threads engine: the entry points are a
# branch each, and the run is an ordinary one.
"$ndisrt" run --driver "$drivers/vn1_tsan.so" --frames 400 --quiet >"$tmp/t" 2>&1 ||
	fail "vn1_tsan under threads: $(tail -3 "$tmp/t")"

# ndisrt explore finds the cross-message counter in every run (the race
# detector is on by default for an instrumented driver) and it shrinks to no
# decision at all; the fixed twin is silent over the same seeds.
"$ndisrt" explore --driver "$drivers/racy_xmsg.so" --runs 4 --frames 200 --out "$tmp/xe" \
	--quiet >"$tmp/xe.txt" 2>&1 && fail "explore did not find racy_xmsg"
grep -q '4 failed, 1 distinct' "$tmp/xe.txt" || fail "explore racy_xmsg: $(cat "$tmp/xe.txt")"
grep -q '0x20D0' "$tmp/xe.txt" || fail "explore racy_xmsg: not signed 0xC4/0x20D0"
crit=$(sed -n 's/.*shrunk to \([0-9]*\) critical.*/\1/p' "$tmp/xe.txt")
[ -n "$crit" ] && [ "$crit" -le 2 ] || fail "racy_xmsg: shrunk to '$crit' (want <= 2)"
"$ndisrt" explore --driver "$drivers/racy_xmsg_fixed.so" --runs 4 --frames 200 \
	--out "$tmp/xf" --quiet >"$tmp/xf.txt" 2>&1 || fail "racy_xmsg_fixed: $(cat "$tmp/xf.txt")"

# --race on needs the sim engine.
if "$ndisrt" run --driver "$drivers/vn1_tsan.so" --race on 2>"$tmp/err" >/dev/null; then
	fail "--race on without --engine sim accepted"
fi
grep -q -- '--engine sim' "$tmp/err" || fail "no hint to add --engine sim"
echo "race detector: ok"
