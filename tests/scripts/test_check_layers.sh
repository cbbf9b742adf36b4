#!/usr/bin/env bash
# scripts/check-layers.sh against small trees: each rule must catch its
# violation (and only it), and a clean tree passes.
# usage: test_check_layers.sh SOURCE_ROOT
set -u
script=$1/scripts/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# tree NAME: a fresh clean tree in $tmp/NAME.
tree() {
  local t=$tmp/$1
  mkdir -p "$t"/{ke,hw,ndis,tools,bench,tests/host,tests/ndis5,tests/hw,include/ndisrt,drivers/x}
  echo '#include "ke/ke.h"' >"$t/hw/device.h"
  echo '#include "hw/device.h"' >"$t/ndis/host.c"
  echo '#include "ndis/internal.h"' >"$t/tests/ndis5/test_a.c"
  echo '#include "hw/vn1_internal.h"' >"$t/tests/hw/vn1_test.c"
  echo '#include <ndis.h>' >"$t/drivers/x/x.c"
  echo "$t"
}
# expect NAME WANT FILE LINE: adding LINE to FILE of a clean tree fails naming WANT.
expect() {
  local name=$1 want=$2 file=$3 line=$4 t out rc
  t=$(tree "$name")
  mkdir -p "$(dirname "$t/$file")"
  printf '%s\n' "$line" >>"$t/$file"
  out=$("$script" "$t" 2>&1); rc=$?
  if [ $rc -ne 0 ] && grep -q -- "$want" <<<"$out"; then
    echo "ok: $name"
  else
    echo "FAIL: $name (exit $rc): $out"; fail=1
  fi
}

out=$("$script" "$(tree clean)" 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q "layering: ok" <<<"$out" && echo "ok: a clean tree passes" ||
  { echo "FAIL: clean tree: $out"; fail=1; }
expect "a layer including one above it" "tools/ is above ndis/" ndis/a.c '#include "tools/run.h"'
expect "the same with <...>" "tools/ is above hw/" hw/a.c '#include <tools/run.h>'
expect "bench/ sits with tools/" "private to ndis/" bench/b.c '#include "ndis/host_internal.h"'
expect "a private header from another layer" "private to hw/" ndis/b.c '#include "hw/vn1_internal.h"'
expect "hosting including a model's header" "reach devices through hw/device.h" ndis/c.c '#include <hw/vn1.h>'
expect "the host API including a model's header" "reach devices through hw/device.h" include/ndisrt/h.h '#include "hw/e1000/e1000.h"'
expect "tools calling a model" "calls the VN-1 model directly" tools/t.c 'void f(void) { vn1_free(0); }'
expect "a test reaching a model it is not about" "when the model is its subject" tests/host/t.c '#include "hw/vn1.h"'
expect "a test reaching another layer's internals" "private to hw/" tests/host/u.c '#include "hw/intc_internal.h"'
expect "the test device using more than the seam" "uses hw/device.h only" tests/host/tdev.c '#include "hw/dma.h"'
expect "a driver including the runtime" "drivers/ includes runtime internals" drivers/x/y.c '#include "ndis/internal.h"'
[ $fail -eq 0 ] && echo "check-layers: all passed"
exit $fail
