#!/usr/bin/env bash
# Watchdogs, waits and the throttle from `ndisrt run` (docs/verifier.md): each
# planted bug of drivers/racy is reported by its rule and none hangs - a DPC
# and an ISR that never return (0x133), a lock-order inversion that really
# deadlocks two vCPUs in --verifier warn mode (0xC4 0x1F80), a DPC that sleeps
# (0xC4 0x1F81), an NDIS spin lock taken in the ISR (0x9), a DPC ignoring
# MaxNblsToIndicate (I9 warnings: counted, the run passes). Their fixed twin,
# the sample, runs clean under --verifier fatal with the watchdog on (see also
# test_verifier.sh) and its report carries the guidance counts.
# usage: test_watchdog.sh NDISRT BUILD_DIR
set -u
ndisrt=$1 build=$2
drv="$build/drivers"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
# Every run is bounded: a hang is a failure, not a stuck CI job.
run() { timeout 120 "$ndisrt" run --quiet "$@"; }

stop_line() { grep -m1 '^\*\*\* STOP: ' "$tmp/out"; }

# K6 on the deterministic engine: a DPC loop over plain memory reaches no
# preemption point, so virtual time stops; the engine's stall backstop charges
# the CPU time it burns and the watchdog reports it on the looping vCPU.
run --driver "$drv/racy_dpc_loop.so" --frames 2000 --watchdog dpc=1000 --engine sim --seed 1 \
  >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && stop_line | grep -q 'STOP: 0x00000133 (0x0000000000000000,' &&
   grep -q 'ndisrt watchdog: vCPU . has run a DPC routine' "$tmp/out" &&
   grep -qE '#[0-9]+ +Vn1(Message)?InterruptDpc\+' "$tmp/out"; then
  pass "K6 --engine sim: a DPC that never returns is 0x133 P1=0 with the DPC's chain, exit 1"
else
  bad "K6 --engine sim DPC loop: exit $rc: $(stop_line)"; tail -20 "$tmp/out"
fi

# K6: a DPC that never returns.
run --driver "$drv/racy_dpc_loop.so" --frames 2000 --watchdog dpc=1000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x00000133 (0x0000000000000000,' "$tmp/out" &&
   grep -q 'has run a DPC routine for' "$tmp/out" && grep -q 'Vn1.*InterruptDpc' "$tmp/out"; then
  pass "K6 a looping DPC: 0x133 P1=0 naming the DPC, exit 1"
else
  bad "K6 looping DPC: exit $rc: $(stop_line)"; head -30 "$tmp/out"
fi

# K6: an ISR that never returns.
run --driver "$drv/racy_isr_loop.so" --frames 2000 --watchdog isr=1000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x00000133 (0x0000000000000000,' "$tmp/out" &&
   grep -q 'has run an ISR for' "$tmp/out" && grep -q 'Vn1.*Interrupt+' "$tmp/out"; then
  pass "K6 a looping ISR: 0x133 P1=0 naming the ISR, exit 1"
else
  bad "K6 looping ISR: exit $rc: $(stop_line)"; head -30 "$tmp/out"
fi

# K6: the inversion really deadlocks two vCPUs; warn mode lets it (S4 is a warning first).
for irq in line msi msix; do
  run --driver "$drv/racy_deadlock.so" --irq $irq --cpus 2 --frames 20000 --verifier warn \
    --watchdog spin=1000 >"$tmp/out" 2>&1; rc=$?
  if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C4 (0x0000000000001F80,' "$tmp/out" &&
     grep -q 'ndisrt watchdog: deadlock: vCPU' "$tmp/out" &&
     grep -q 'holds a lock vCPU . spins on) is here:' "$tmp/out" &&
     grep -q 'Vn1TransmitCompleteDpc' "$tmp/out" && grep -q 'Vn1SendNetBufferLists' "$tmp/out"; then
    pass "K6 a real 2-vCPU deadlock (--irq $irq, warn): 0xC4 0x1F80 with both chains, exit 1"
  else
    bad "K6 real deadlock --irq $irq: exit $rc: $(stop_line)"; head -40 "$tmp/out"
  fi
done

# K7: a DPC that sleeps.
run --driver "$drv/racy_dpc_sleep.so" --frames 2000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C4 (0x0000000000001F81,0x0000000000000002,0x0000000000000002,' "$tmp/out" &&
   grep -q 'Vn1.*InterruptDpc' "$tmp/out"; then
  pass "K7 a DPC calling usleep: 0xC4 0x1F81 at DISPATCH_LEVEL, exit 1"
else
  bad "K7 sleeping DPC: exit $rc: $(stop_line)"; head -30 "$tmp/out"
fi

# C1: NdisAcquireSpinLock in the ISR (at DIRQL).
run --driver "$drv/racy_isr_spin_lock.so" --frames 2000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x00000009 (0x0000000000000002,' "$tmp/out" &&
   grep -q 'Vn1.*Interrupt+' "$tmp/out"; then
  pass "a spin lock taken in the ISR: 0x9 IRQL_NOT_GREATER_OR_EQUAL naming the ISR, exit 1"
else
  bad "spin lock in the ISR: exit $rc: $(stop_line)"; head -30 "$tmp/out"
fi

# K3 for NDIS 6: a DPC returning with a lock held is blamed at once, by name.
run --driver "$drv/racy_dpc_lock_held.so" --frames 2000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C4 (0x0000000000002114,' "$tmp/out" &&
   grep -q "What: the miniport's Miniport\(Message\)\?InterruptDPC returned holding an NDIS spin lock" "$tmp/out"; then
  pass "K3 an NDIS 6 DPC returning with a lock: 0xC4 0x2114 naming MiniportInterruptDPC, exit 1"
else
  bad "K3 DPC returning with a lock: exit $rc: $(stop_line)"; head -20 "$tmp/out"
fi

# A PASSIVE_LEVEL handler returning raised is blamed by name (0xC8), not on ndisrt's caller.
run --driver "$drv/racy_restart_raised.so" --frames 2000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C8 (0x0000000000000002,0x0000000000000000,' "$tmp/out" &&
   grep -q "What: the miniport's MiniportRestart returned at an IRQL other than" "$tmp/out"; then
  pass "MiniportRestart returning at DISPATCH_LEVEL: 0xC8 naming MiniportRestart, exit 1"
else
  bad "MiniportRestart returning raised: exit $rc: $(stop_line)"; head -20 "$tmp/out"
fi

# I9 warnings: counted in the report and the JSON; the run itself passes.
run --driver "$drv/racy_throttle.so" --frames 20000 --max-nbls 4 --json "$tmp/t.json" \
  >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q 'Throttle warnings (rule I9, not failures): [1-9][0-9]* DPC call(s) indicated more' "$tmp/out" &&
   /usr/bin/python3 - "$tmp/t.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["throttle_warnings"]["over_max_nbls"] > 0, j["throttle_warnings"]
assert j["max_nbls_in_one_dpc"] > 4, j["max_nbls_in_one_dpc"]
PY
then
  pass "I9 a DPC ignoring MaxNblsToIndicate: counted in the report and the JSON, exit 0"
else
  bad "I9 throttle ignored: exit $rc"; tail -20 "$tmp/out"
fi

# The fixed twin: no watchdog, wait or throttle finding; the guidance is in report and JSON.
for irq in line msi msix; do
  run --driver vn1 --irq $irq --frames 20000 --max-nbls 4 --verifier fatal --json "$tmp/s.json" \
    >"$tmp/out" 2>&1; rc=$?
  if [ $rc -eq 0 ] && grep -q 'Result: OK' "$tmp/out" && grep -q '^Guidance (warnings, not failures): ' "$tmp/out" &&
     ! grep -q 'Throttle warnings.*: [1-9][0-9]* DPC call(s) indicated more' "$tmp/out" &&
     /usr/bin/python3 - "$tmp/s.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
g = j["guidance"]
assert g["isrs"] > 0 and g["dpcs"] > 0, g
# Lock holds are timed only with --watchdog hold-us (it costs every lock operation).
assert g["lock_holds"] == 0 and g["lock_hold_threshold_ns"] == 0, g
# (more_pending_idle may count a correct driver waiting for its receive buffers: not asserted)
assert j["throttle_warnings"]["over_max_nbls"] == 0, j["throttle_warnings"]
PY
  then
    pass "fixed twin (sample vn1, --irq $irq): clean under --verifier fatal, guidance counted"
  else
    bad "fixed twin --irq $irq: exit $rc"; tail -20 "$tmp/out"
  fi
done

# Lock holds timed on request: counted in the report and the JSON against the threshold given.
run --driver vn1 --frames 5000 --watchdog hold-us=25 --json "$tmp/h.json" >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q 'spin-lock holds over 25 µs' "$tmp/out" &&
   /usr/bin/python3 - "$tmp/h.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))["guidance"]
assert g["lock_holds"] > 0 and g["lock_hold_threshold_ns"] == 25000, g
PY
then
  pass "--watchdog hold-us=25: lock holds timed and counted"
else
  bad "--watchdog hold-us=25: exit $rc"; tail -10 "$tmp/out"
fi

# The option.
out=$("$ndisrt" run --watchdog dpc=fast 2>&1); rc=$?
if [ $rc -eq 64 ] && grep -q -- '--watchdog' <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
  pass "--watchdog dpc=fast: one line, exit 64"
else
  bad "--watchdog dpc=fast: exit $rc: $out"
fi
run --driver vn1 --frames 2000 --watchdog off --json "$tmp/o.json" >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && ! grep -q '^Guidance' "$tmp/out" && ! grep -q '"guidance"' "$tmp/o.json"; then
  pass "--watchdog off: no watchdog, no guidance counts"
else
  bad "--watchdog off: exit $rc"; tail -10 "$tmp/out"
fi

[ $fail -eq 0 ] && echo "watchdog: all passed"
exit $fail
