#!/usr/bin/env bash
# `ndisrt run --trace FILE` (docs/trace.md): the timeline is valid Chrome
# trace-event JSON whose slices nest properly per vCPU (no DPC inside an ISR,
# no ISR inside one at the same or a higher IRQL), whose flows have both ends
# inside the right slices, and which stays under its size bound; the xperf-
# style ISR/DPC duration histograms are in the report and the JSON; the
# output is checked like --json's (73 before the run, 74 after).
# usage: test_trace.sh NDISRT ROOT BUILD [long]
#   long: also a 60-second run, checked against the size bound.
set -u
ndisrt=$1 root=$2 build=$3 mode=${4:-}
check="$root/tests/tools/trace_check.py"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
# bound EVENTS: the documented ceiling of the file (tools/trace.h).
bound() { echo $(($1 * 512 + 65536)); }

# traced NAME EVENTS [--require CAT] ARGS...: run with --trace and check the file.
traced() {
  local name=$1 events=$2 rc req=()
  shift 2
  if [ "$1" = --require ]; then req=(--require "$2"); shift 2; fi
  "$ndisrt" run --quiet --trace "$tmp/$name.json" --trace-events "$events" "$@" \
    >"$tmp/$name.out" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    bad "$name: exit $rc"; tail -5 "$tmp/$name.out"; return
  fi
  if "$py" "$check" "$tmp/$name.json" --max-bytes "$(bound "$events")" "${req[@]}" \
    >"$tmp/$name.chk"; then
    pass "$name: $(cat "$tmp/$name.chk")"
  else
    bad "$name: the trace does not check"; cat "$tmp/$name.chk"
  fi
}

# 1. One second of the default job (MSI-X, 2 vCPUs, threads engine).
traced msix 120000 --seconds 1 --json "$tmp/msix.report.json"

# 2. The deterministic engine (virtual time), a line interrupt, an NDIS 5
#    miniport, and 4 vCPUs: nesting and flows hold on each.
traced sim 120000 --engine sim --seed 3 --frames 20000
traced line 60000 --irq line --seconds 0.5
# vn1pio synchronizes with its ISR (NdisMSynchronizeWithInterrupt): sync slices.
traced ndis5 60000 --require sync --driver vn1pio --seconds 0.5
traced cpus4 60000 --cpus 4 --seconds 0.5

# 3. The ring keeps the last N events: a small N bounds a 3-second run.
traced small 2048 --seconds 3
n=$("$py" -c 'import json,sys; print(sum(1 for e in json.load(open(sys.argv[1]))["traceEvents"] if e["ph"] != "M"))' "$tmp/small.json" 2>/dev/null)
# Each kept event writes at most two JSON events (a slice and its arrow or IRQL).
if [ -n "$n" ] && [ "$n" -le $((2 * 2048)) ]; then
  pass "small: $n JSON events from at most 2048 kept"
else
  bad "small: ${n:-?} JSON events from 2048 kept (want <= 4096)"
fi

# 4. The histograms: text and JSON, counts that add up to the ISRs run.
if grep -q "ISR/DPC durations (count per µs bucket" "$tmp/msix.out" &&
  grep -Eq "^  ISR vCPU 0 +[0-9]" "$tmp/msix.out" && grep -Eq "^  DPC NIC [0-9] msg [0-9]+ +[0-9]" "$tmp/msix.out"; then
  pass "histograms in the text report"
else
  bad "histograms missing from the text report"; sed -n '/Latency/,/RSS/p' "$tmp/msix.out"
fi
if "$py" - "$tmp/msix.report.json" <<'PY'; then
import json, sys
r = json.load(open(sys.argv[1]))
d = r["durations_us"]
assert d["bucket_lower_us"][:5] == [0, 1, 2, 4, 8], d["bucket_lower_us"]
isrs = sum(v["isrs"] for v in r["vcpus"])
hist = sum(sum(v["isr"]) for v in d["vcpus"])
# Every ISR call is timed (several per shared vector, so >= the chains).
assert hist >= isrs > 0, (hist, isrs)
assert sum(sum(v["dpc"]) for v in d["vcpus"]) > 0
msg_isr = sum(sum(m["isr"]) for m in d["messages"])
msg_dpc = sum(sum(m["dpc"]) for m in d["messages"])
assert msg_isr > 0 and msg_dpc > 0, (msg_isr, msg_dpc)
for m in d["messages"]:
    # A message's DPCs are the ones its ISR queued: never more than the ISR ran
    # plus the re-runs the DPC asked for.
    assert len(m["isr"]) == len(d["bucket_lower_us"]) == len(m["dpc"])
PY
  pass "histograms in the JSON report"
else
  bad "histograms in the JSON report"
fi

# 5. Outputs: an uncreatable file costs no run (73), a full disk fails (74),
#    bad counts and clashing names are usage errors (64).
"$ndisrt" run --quiet --seconds 0.2 --trace "$tmp/no/such/dir/t.json" >"$tmp/o" 2>&1; rc=$?
if [ $rc -eq 73 ] && grep -q "cannot create --trace" "$tmp/o" && ! grep -q "Result:" "$tmp/o"; then
  pass "uncreatable --trace: 73 before the run"
else
  bad "uncreatable --trace: exit $rc"; cat "$tmp/o"
fi
if [ -w /dev/full ]; then
  "$ndisrt" run --quiet --seconds 0.2 --trace /dev/full >"$tmp/o" 2>&1; rc=$?
  if [ $rc -eq 74 ] && grep -q "writing --trace /dev/full failed" "$tmp/o"; then
    pass "--trace /dev/full: 74"
  else
    bad "--trace /dev/full: exit $rc"; tail -3 "$tmp/o"
  fi
fi
for args in "--trace-events 10" "--trace-events x" "--trace" "--trace $tmp/a --json $tmp/a"; do
  # shellcheck disable=SC2086
  "$ndisrt" run --quiet $args >"$tmp/o" 2>&1; rc=$?
  if [ $rc -eq 64 ] && [ "$(wc -l <"$tmp/o")" -eq 1 ]; then
    pass "run $args: one line, 64"
  else
    bad "run $args: exit $rc"; cat "$tmp/o"
  fi
done

# 6. A bug check ends the run: the trace up to it is still written and valid
#    (slices open at the bug check closed at its time).
racy="$build/drivers/racy_lock_order.so"
"$ndisrt" run --quiet --driver "$racy" --frames 20000 --trace "$tmp/bug.json" >"$tmp/bug.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/bug.json"; then
  pass "bug check: exit 1, the trace is valid JSON"
else
  bad "bug check: exit $rc, or the trace is not JSON"; tail -3 "$tmp/bug.out"
fi

# 7. ndisrt replay takes --trace too (the bundle's run, traced).
"$ndisrt" explore --driver "$racy" --runs 4 --frames 3000 --out "$tmp/xp" >"$tmp/xp.out" 2>&1
bundle=$(ls -d "$tmp"/xp/*/ 2>/dev/null | head -1)
if [ -n "$bundle" ]; then
  "$ndisrt" replay "$bundle" --trace "$tmp/replay.json" >"$tmp/replay.out" 2>&1; rc=$?
  if [ $rc -eq 1 ] && "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/replay.json"; then
    pass "replay --trace: the replayed failure's trace is valid JSON"
  else
    bad "replay --trace: exit $rc"; tail -3 "$tmp/replay.out"
  fi
  "$ndisrt" replay "$bundle" --trace-file x >"$tmp/o" 2>&1; rc=$?
  if [ $rc -eq 64 ] && [ "$(wc -l <"$tmp/o")" -eq 1 ]; then
    pass "replay with another option after BUNDLE: one line, 64"
  else
    bad "replay --trace-file: exit $rc"; cat "$tmp/o"
  fi
else
  bad "explore found no bundle to replay"; tail -5 "$tmp/xp.out"
fi

# 8. (long) 60 seconds stay under the default bound: the ring does not grow.
if [ "$mode" = long ]; then
  traced long60 120000 --seconds 60
  size=$(stat -c %s "$tmp/long60.json" 2>/dev/null || echo 0)
  echo "long60: $size bytes (bound $(bound 120000))"
fi

[ $fail -eq 0 ] && echo "all trace tests passed"
exit $fail
