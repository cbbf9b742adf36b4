#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/explore/test_sim_run.sh NDISRT - `ndisrt run --engine sim`: the same
# seed gives the same run, bit for bit: identical JSON reports (the wall-time
# "seconds" field aside) and identical decision logs, in line, MSI and MSI-X
# modes; another seed gives another schedule; replaying the logged
# deviations gives the same digest.
set -eu
ndisrt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

strip() { sed -E 's/"seconds": [0-9.]+/"seconds": WALL/' "$1"; }

for irq in line msi msix; do
	for i in 1 2; do
		"$ndisrt" run --engine sim --seed 7 --irq "$irq" --frames 1500 --quiet \
			--json "$tmp/$irq.$i.json" --sim-log "$tmp/$irq.$i.log" >/dev/null ||
			fail "$irq run $i exited $?"
	done
	strip "$tmp/$irq.1.json" >"$tmp/a"
	strip "$tmp/$irq.2.json" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || { diff "$tmp/a" "$tmp/b" >&2; fail "$irq: JSON reports differ"; }
	cmp -s "$tmp/$irq.1.log" "$tmp/$irq.2.log" || fail "$irq: decision logs differ"
	grep -q '"result": "ok"' "$tmp/a" || fail "$irq: the run failed"
	grep -q '^end decisions=' "$tmp/$irq.1.log" || fail "$irq: no end line in the log"
	grep -q '^dev ' "$tmp/$irq.1.log" || fail "$irq: a random walk with no deviation"
done

# Another seed: another schedule (the digest differs).
"$ndisrt" run --engine sim --seed 8 --irq msix --frames 1500 --quiet --sim-log "$tmp/s8.log" \
	>/dev/null || fail "seed 8 run"
[ "$(grep '^end' "$tmp/s8.log")" != "$(grep '^end' "$tmp/msix.1.log")" ] ||
	fail "seeds 7 and 8 gave the same decision log"

# Replay of the logged deviations: the same decisions, the same digest.
"$ndisrt" run --engine sim --irq msix --frames 1500 --quiet \
	--sim-strategy "replay:$tmp/msix.1.log" --sim-log "$tmp/replay.log" \
	--json "$tmp/replay.json" >/dev/null || fail "replay run"
[ "$(grep '^end' "$tmp/replay.log")" = "$(grep '^end' "$tmp/msix.1.log")" ] ||
	fail "the replay took another path"
strip "$tmp/replay.json" >"$tmp/c"
strip "$tmp/msix.1.json" >"$tmp/a"
cmp -s "$tmp/a" "$tmp/c" || fail "the replay's report differs"

# Traffic from a generator runs on the virtual clock too.
for i in 1 2; do
	"$ndisrt" run --engine sim --seed 3 --wire gen --nics 1 --frames 800 --quiet \
		--json "$tmp/gen.$i.json" >/dev/null || fail "gen run $i"
done
strip "$tmp/gen.1.json" >"$tmp/a"
strip "$tmp/gen.2.json" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "gen: JSON reports differ"

# Options of the sim engine need it.
if "$ndisrt" run --seed 3 2>"$tmp/err"; then fail "--seed without --engine sim accepted"; fi
grep -q -- '--engine sim' "$tmp/err" || fail "no hint to add --engine sim"
if "$ndisrt" run --engine sim --sim-strategy pct:0 2>/dev/null; then fail "pct:0 accepted"; fi
# The benchmark runs (figures are not asserted: the machine is shared).
"$ndisrt" bench sim --quick --json >"$tmp/bench.json" || fail "ndisrt bench sim"
[ "$(grep -c '"ratio"' "$tmp/bench.json")" -eq 2 ] || fail "bench sim: not two results"
echo "ok"
