#!/usr/bin/env bash
# End-to-end tests of `ndisrt run --device e1000`: the 82540EM model with its
# NDIS 5.1 sample miniport (drivers/e1000) on a line interrupt at 1, 2 and
# 4 vCPUs, four NICs, the generator wire, a capture that libpcap's file
# format holds frame for frame and that replays, and the combinations that
# must be refused with one line.
# usage: test_e1000.sh NDISRT_BINARY
set -u
ndisrt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

# run NAME ARGS... : must exit 0 with conservation holding and frames received.
run_ok() {
  local name=$1; shift
  local out=$tmp/out.txt js=$tmp/r.json
  if ! "$ndisrt" run --quiet --json "$js" "$@" >"$out" 2>&1; then
    bad "$name: exit status $? ($*)"; tail -25 "$out"; return 1
  fi
  if [ "$(json "$js" "d['frames']['conservation']")" != True ] ||
     [ "$(json "$js" "d['frames']['received'] > 0")" != True ]; then
    bad "$name: conservation or nothing received"; cat "$js"; return 1
  fi
  pass "$name"
}

for cpus in 1 2 4; do
  if run_ok "e1000, line, cpus=$cpus: every frame received or counted dropped" \
      --device e1000 --cpus $cpus --frames 5000; then
    drv=$(json $tmp/r.json "d['driver']")
    irq=$(json $tmp/r.json "d['irq']")
    [[ "$drv" == *e1000* ]] && [[ "$irq" == *line* || "$irq" == *INTx* ]] &&
      pass "cpus=$cpus: --device e1000 alone loaded the e1000 sample on INTx ($drv, $irq)" ||
      bad "cpus=$cpus: driver '$drv', irq '$irq'"
    isrs=$(json $tmp/r.json "sum(v['isrs'] for v in d['vcpus'])")
    [ "$isrs" -gt 0 ] && pass "cpus=$cpus: the interrupt path ran ($isrs ISRs)" ||
      bad "cpus=$cpus: no ISR ran"
  fi
done
run_ok "e1000: --driver e1000 --irq line said explicitly" --device e1000 --driver e1000 \
  --irq line --cpus 2 --frames 2000
run_ok "e1000: four NICs, two pairs" --device e1000 --nics 4 --cpus 2 --frames 2000
run_ok "e1000: generator wire" --device e1000 --wire gen --nics 1 --cpus 2 --frames 2000
run_ok "e1000: full-size 1514-byte frames" --device e1000 --cpus 2 --frames 2000 --size 1514

# A capture of what the NICs sent: a pcap file with one record per frame
# offered, then replayed into an e1000.
if run_ok "e1000: capture" --device e1000 --cpus 2 --frames 700 --capture "$tmp/c.pcap"; then
  offered=$(json $tmp/r.json "d['frames']['offered']")
  records=$(python3 - "$tmp/c.pcap" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
magic = struct.unpack('<I', b[:4])[0]
assert magic in (0xa1b2c3d4, 0xa1b23c4d), hex(magic)
assert struct.unpack('<I', b[20:24])[0] == 1  # LINKTYPE_ETHERNET
off, n = 24, 0
while off < len(b):
    _, _, incl, orig = struct.unpack('<IIII', b[off:off + 16])
    assert incl == orig and 14 <= incl <= 16384
    off += 16 + incl
    n += 1
assert off == len(b)
print(n)
PY
  )
  [ "$records" = "$offered" ] && pass "e1000: the capture holds every frame sent ($records)" ||
    bad "e1000: capture has '$records' records, $offered frames were offered"
  run_ok "e1000: replay of that capture" --device e1000 --wire pcap:"$tmp/c.pcap" --nics 1
fi

# refuse EXIT-STATUS NAME ARGS... : one line on stderr, that exit status.
refuse() {
  local want=$1 name=$2 err rc; shift 2
  err=$("$ndisrt" run --quiet "$@" 2>&1 >/dev/null); rc=$?
  [ $rc -eq "$want" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
    pass "refused $name: exit $rc: $err" || bad "$name: exit $rc (want $want): $err"
}
refuse 64 "MSI-X for an NDIS 5 miniport" --device e1000 --irq msix
refuse 64 "an unknown model" --device e1000 --irq line --driver e1000 --device e1000x
refuse 66 "the e1000 sample on a VN-1" --device vn1 --driver e1000 --irq line

exit $fail
