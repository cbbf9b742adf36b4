#!/usr/bin/env bash
# The issue-13 test miniports (drivers/ddi_ndis51, drivers/ddi_ndis6), built
# exactly with README.md's one cc line - taken from README.md, so the test
# follows the README - and run clean under `ndisrt run`: every interrupt
# mode their device has, 1 and 2 vCPUs, a shared line, link faults,
# --param values, and the deterministic engine.
# usage: test_ddi_miniports.sh NDISRT_BINARY SOURCE_DIR
set -u
ndisrt=$1
src=$2
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# README's "Your own miniport" block: the cc command, continuation lines joined.
ccline=$(awk '/^cc -shared -fPIC -I include/ { on = 1 }
  on { sub(/#.*/, ""); line = line $0; if ($0 !~ /\\[ \t]*$/) { print line; exit } }' \
  "$src/README.md" | sed 's/\\//g')
case "$ccline" in
*mydrv.c*mydrv.so*) pass "README.md's cc line found: $ccline" ;;
*) bad "no 'cc ... mydrv.c -o mydrv.so' line in README.md"; exit 1 ;;
esac

build() { # build NAME: README's line, mydrv.c -> the driver's source
  local name=$1 cmd
  cmd=${ccline//mydrv.c/drivers/$name/$name.c}
  cmd=${cmd//mydrv.so/$tmp/$name.so}
  if (cd "$src" && eval "$cmd") >"$tmp/$name.cc" 2>&1 && [ ! -s "$tmp/$name.cc" ]; then
    pass "$name builds with README's cc line, no diagnostics"
  else
    bad "$name: README's cc line failed or warned: $(head -5 "$tmp/$name.cc")"
    return 1
  fi
  # The same with every warning an error (the tree builds drivers so too).
  if (cd "$src" && eval "$cmd -Wall -Wextra -Werror") >"$tmp/$name.w" 2>&1; then
    pass "$name builds with -Wall -Wextra -Werror added"
  else
    bad "$name: warnings: $(head -5 "$tmp/$name.w")"
  fi
}

# run NAME WANT ARGS...: one `ndisrt run` (verifier fatal, the default),
# bounded in wall time; WANT ok: exit 0, "Result: OK", conservation holds.
run() {
  local what=$1 want=$2 rc
  shift 2
  timeout 120 "$ndisrt" run --quiet "$@" >"$tmp/out" 2>&1
  rc=$?
  if [ "$want" = ok ]; then
    if [ $rc -eq 0 ] && grep -q '^Result: OK' "$tmp/out" &&
      grep -q 'conservation: holds' "$tmp/out" && ! grep -q 'STOP' "$tmp/out"; then
      pass "$what"
    else
      bad "$what: exit $rc: $(grep -E 'Result|STOP|What|conservation|offered' "$tmp/out" | head -6)"
    fi
  fi
  return $rc
}

if build ddi_ndis51; then
  d=(--device e1000 --driver "$tmp/ddi_ndis51.so")
  for cpus in 1 2; do
    run "ddi_ndis51: line, $cpus vCPU(s)" ok "${d[@]}" --irq line --cpus $cpus --frames 20000
  done
  run "ddi_ndis51: four NICs on one shared line, 2 vCPUs" ok "${d[@]}" --shared-line --nics 4 \
    --cpus 2 --frames 20000
  run "ddi_ndis51: --engine sim --seed 1" ok "${d[@]}" --engine sim --seed 1 --frames 3000
  run "ddi_ndis51: --param *ReceiveBuffers, *InterruptModeration=0" ok "${d[@]}" --cpus 2 \
    --frames 20000 --param '*ReceiveBuffers=300' --param '*InterruptModeration=0'
  # Link faults: HandleInterrupt reports each change (NdisMIndicateStatus).
  if run "ddi_ndis51: link faults" ok "${d[@]}" --cpus 2 --seconds 1 --fault link &&
    n=$(sed -n 's/^Status indications: \([0-9]*\).*/\1/p' "$tmp/out") && [ "${n:-0}" -gt 0 ]; then
    pass "ddi_ndis51: link changes indicated ($n, NdisMIndicateStatus)"
  else
    bad "ddi_ndis51: no status indication after link faults"
  fi
  # NdisReadNetworkAddress reaches RAL0: NIC 1 then takes another MAC, so
  # the frames `ndisrt run` addresses to the device's own MAC are filtered.
  run "ddi_ndis51: NetworkAddress" fail "${d[@]}" --cpus 2 --frames 2000 \
    --param 1:NetworkAddress=02-11-22-33-44-55
  if grep -q 'no frame was received' "$tmp/out" && ! grep -q STOP "$tmp/out"; then
    pass "ddi_ndis51: NetworkAddress programs the receive address (NIC 1 filters its old MAC)"
  else
    bad "ddi_ndis51: NetworkAddress had no effect: $(grep -E 'Result|offered' "$tmp/out" | head -3)"
  fi
fi

if build ddi_ndis6; then
  d=(--device vn1 --driver "$tmp/ddi_ndis6.so")
  for irq in line msi msix msix:3; do
    for cpus in 1 2; do
      run "ddi_ndis6: $irq, $cpus vCPU(s)" ok "${d[@]}" --irq $irq --cpus $cpus --frames 20000
    done
    run "ddi_ndis6: $irq, --engine sim --seed 1" ok "${d[@]}" --irq $irq --engine sim --seed 1 \
      --frames 3000
  done
  run "ddi_ndis6: four NICs on one shared line, 2 vCPUs" ok "${d[@]}" --shared-line --nics 4 \
    --cpus 2 --frames 20000
  run "ddi_ndis6: msix:16 on 4 vCPUs" ok "${d[@]}" --irq msix:16 --cpus 4 --frames 20000
  run "ddi_ndis6: --param *ReceiveBuffers, *InterruptModeration=0" ok "${d[@]}" --cpus 2 \
    --frames 20000 --param '*ReceiveBuffers=300' --param '*InterruptModeration=0'
  if run "ddi_ndis6: link faults" ok "${d[@]}" --cpus 2 --seconds 1 --fault link &&
    n=$(sed -n 's/^Status indications: \([0-9]*\).*/\1/p' "$tmp/out") && [ "${n:-0}" -gt 0 ]; then
    pass "ddi_ndis6: link changes indicated ($n, NdisMIndicateStatusEx)"
  else
    bad "ddi_ndis6: no status indication after link faults"
  fi
  run "ddi_ndis6: NetworkAddress" fail "${d[@]}" --cpus 2 --frames 2000 \
    --param 1:NetworkAddress=02-11-22-33-44-55
  if grep -q 'no frame was received' "$tmp/out" && ! grep -q STOP "$tmp/out"; then
    pass "ddi_ndis6: NetworkAddress programs MAC_LO/HI (NIC 1 filters its old MAC)"
  else
    bad "ddi_ndis6: NetworkAddress had no effect: $(grep -E 'Result|offered' "$tmp/out" | head -3)"
  fi
fi

[ $fail -eq 0 ] && echo "ddi miniports: all passed"
exit $fail
