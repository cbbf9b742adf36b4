#!/usr/bin/env bash
# The multi-DPC batch of the VN-1 sample (line and MSI: a receive queue per
# vCPU behind one interrupt, a DPC per vCPU with work, the last one
# re-enables), rule I13, interrupts left disabled (0xC4/0x9200F), and rule
# I8's re-enable before the last DPC (0xC4/0x2020), from `ndisrt run`:
#  - P6 (drivers/racy: the batch counted from the processors requested, not
#    those NdisMQueueDpcEx returned) is reported when a message lands during
#    a batch (--fault spurious-irq:1), naming the DPC handler; its fixed twin
#    runs the same clean;
#  - P7 (every DPC of a batch unmasks) is reported as 0xC4/0x2020; its twin
#    runs clean;
#  - the sample runs clean with a short allotment in every interrupt mode, at
#    1, 2 and 4 vCPUs, with interrupt moderation on and off, and through
#    link-down phases.
# usage: test_batch.sh NDISRT BUILD_DIR
set -u
ndisrt=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# A short allotment, still far above how long a loaded host keeps a vCPU
# from taking an interrupt it was sent (the device masks a message as it
# signals it, before any DPC is queued).
T=2000

# P6: every spurious message during a batch asks for DPCs that are already
# queued; counted as requested, the batch never ends and the device stays
# masked. The stall is permanent, so the report comes T after it, whenever
# the first such message lands.
"$ndisrt" run --quiet --driver "$build/drivers/racy_p6.so" --irq msi --cpus 2 \
  --fault spurious-irq:1 --irq-off-timeout $T --frames 60000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C4 (0x000000000009200F,' "$tmp/out" &&
   grep -q 'interrupts left disabled' "$tmp/out" &&
   grep -q 'the last DPC that ran was Vn1MessageInterruptDpc (racy_p6.so)' "$tmp/out"; then
  pass "I13 P6: requested-not-returned batch count: 0xC4/0x9200F naming the DPC, exit 1"
else
  bad "I13 P6: exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5
fi

"$ndisrt" run --quiet --driver "$build/drivers/racy_p6_fixed.so" --irq msi --cpus 2 \
  --fault spurious-irq:1 --irq-off-timeout $T --frames 60000 >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q 'Result: OK' "$tmp/out"; then
  pass "I13 P6 fixed twin (count from the returned mask): clean under the same faults"
else
  bad "I13 P6 fixed twin: exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5
fi

# P7: every DPC of a batch unmasks; one that finishes while another DPC of the
# batch is still queued re-enables under it (I8, 0xC4/0x2020).
for irq in line msi; do
  "$ndisrt" run --quiet --driver "$build/drivers/racy_p7.so" --irq $irq --cpus 2 \
    --frames 60000 >"$tmp/out" 2>&1; rc=$?
  if [ $rc -eq 1 ] && grep -q '^\*\*\* STOP: 0x000000C4 (0x0000000000002020,' "$tmp/out" &&
     grep -q 'EARLY_REENABLE' "$tmp/out"; then
    pass "I8 P7 ($irq): a DPC re-enabled while others of its batch were queued: 0xC4/0x2020"
  else
    bad "I8 P7 ($irq): exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5
  fi
  "$ndisrt" run --quiet --driver "$build/drivers/racy_p7_fixed.so" --irq $irq --cpus 2 \
    --frames 60000 >"$tmp/out" 2>&1; rc=$?
  [ $rc -eq 0 ] && pass "I8 P7 fixed twin ($irq): the last DPC re-enables, clean" ||
    { bad "I8 P7 fixed twin ($irq): exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5; }
done

# The sample: clean everywhere, RSS placement holding in line and MSI too.
for irq in line msi msix; do
  for cpus in 1 2 4; do
    "$ndisrt" run --quiet --driver vn1 --irq $irq --cpus $cpus --frames 6000 \
      --irq-off-timeout $T --json "$tmp/r.json" >"$tmp/out" 2>&1; rc=$?
    off=$(python3 -c "import json; print(json.load(open('$tmp/r.json'))['rss_off_cpu'])" 2>/dev/null)
    if [ $rc -eq 0 ] && [ "$off" = 0 ]; then
      pass "I13 sample, --irq $irq, $cpus vCPU(s): clean, every frame on its RSS vCPU"
    else
      bad "I13 sample, --irq $irq, $cpus vCPU(s): exit $rc, $off frames off their vCPU"
      grep -E 'STOP|What|Result' "$tmp/out" | head -5
    fi
  done
  for mod in 0 1; do
    "$ndisrt" run --quiet --driver vn1 --irq $irq --cpus 2 --frames 6000 --max-nbls 4 \
      --param "*InterruptModeration=$mod" --irq-off-timeout $T >"$tmp/out" 2>&1; rc=$?
    [ $rc -eq 0 ] && pass "I13 sample, --irq $irq, moderation $mod, throttled: clean" ||
      { bad "I13 sample, --irq $irq, moderation $mod: exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5; }
  done
  "$ndisrt" run --quiet --driver vn1 --irq $irq --cpus 2 --frames 20000 --fault link:100 \
    --irq-off-timeout $T >"$tmp/out" 2>&1; rc=$?
  [ $rc -eq 0 ] && pass "I13 sample, --irq $irq, link-down phases: clean" ||
    { bad "I13 sample, --irq $irq, link-down phases: exit $rc"; grep -E 'STOP|What|Result' "$tmp/out" | head -5; }
done

exit $fail
