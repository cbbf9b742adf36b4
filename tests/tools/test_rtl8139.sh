#!/usr/bin/env bash
# End-to-end tests of `ndisrt run --device rtl8139`: the RTL8139C model with
# its NDIS 5.1 sample miniport (drivers/rtl8139) on a line interrupt - its
# only mode - at 1, 2 and 4 vCPUs, four NICs, the generator wire, the
# smallest and full-size frames, and a capture that libpcap
# opens (the replay reads it with pcap_open_offline) holding every frame.
# usage: test_rtl8139.sh NDISRT_BINARY
set -u
ndisrt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

# run_ok NAME ARGS... : exit 0, conservation holds, frames received, nothing dropped.
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
  if run_ok "rtl8139, line, cpus=$cpus: every frame received or counted dropped" \
      --device rtl8139 --cpus $cpus --frames 5000; then
    drv=$(json $tmp/r.json "d['driver']")
    ver=$(json $tmp/r.json "d['ndis_version']")
    irq=$(json $tmp/r.json "d['irq']")
    [ "$drv" = rtl8139 ] && [ "$ver" = 5.1 ] && [ "$irq" = line ] &&
      pass "cpus=$cpus: --device rtl8139 alone loaded the NDIS 5.1 rtl8139 sample on INTx" ||
      bad "cpus=$cpus: driver '$drv' NDIS '$ver', irq '$irq'"
    isrs=$(json $tmp/r.json "sum(v['isrs'] for v in d['vcpus'])")
    dpcs=$(json $tmp/r.json "sum(v['dpcs'] for v in d['vcpus'])")
    [ "$isrs" -gt 0 ] && [ "$dpcs" -gt 0 ] &&
      pass "cpus=$cpus: the interrupt path ran ($isrs ISRs, $dpcs DPCs)" ||
      bad "cpus=$cpus: ISRs $isrs, DPCs $dpcs"
    dropped=$(json $tmp/r.json "d['frames']['dropped']")
    [ "$dropped" = 0 ] && pass "cpus=$cpus: nothing dropped" || bad "cpus=$cpus: $dropped dropped"
  fi
done
run_ok "rtl8139: --driver rtl8139 --irq line said explicitly" --device rtl8139 \
  --driver rtl8139 --irq line --cpus 2 --frames 2000
run_ok "rtl8139: four NICs, two pairs" --device rtl8139 --nics 4 --cpus 4 --frames 4000
run_ok "rtl8139: generator wire" --device rtl8139 --wire gen --nics 1 --cpus 2 --frames 2000
run_ok "rtl8139: the smallest frames (64 bytes)" --device rtl8139 --cpus 2 --frames 2000 \
  --size 64
run_ok "rtl8139: full-size 1514-byte frames (the ring wraps often)" --device rtl8139 \
  --cpus 2 --frames 3000 --size 1514

# A capture of what the NICs sent: one record per frame offered; libpcap
# opens it (the replay), and the frames go through an RTL8139 again.
if run_ok "rtl8139: capture" --device rtl8139 --cpus 2 --frames 700 --capture "$tmp/c.pcap"; then
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
    assert incl == orig and 60 <= incl <= 1514
    off += 16 + incl
    n += 1
assert off == len(b)
print(n)
PY
  )
  [ "$records" = "$offered" ] && pass "rtl8139: the capture holds every frame sent ($records)" ||
    bad "rtl8139: capture has '$records' records, $offered frames were offered"
  if run_ok "rtl8139: libpcap replays that capture" --device rtl8139 \
      --wire pcap:"$tmp/c.pcap" --nics 1; then
    got=$(json $tmp/r.json "d['frames']['offered']")
    [ "$got" = "$records" ] && pass "rtl8139: the replay read all $got frames back" ||
      bad "rtl8139: the replay read $got of $records frames"
  fi
fi

# refuse EXIT-STATUS NAME ARGS... : one line on stderr, that exit status.
refuse() {
  local want=$1 name=$2 err rc; shift 2
  err=$("$ndisrt" run --quiet "$@" 2>&1 >/dev/null); rc=$?
  [ $rc -eq "$want" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
    pass "refused $name: exit $rc: $err" || bad "$name: exit $rc (want $want): $err"
}
refuse 64 "MSI-X for the NDIS 5 sample" --device rtl8139 --irq msix
refuse 66 "the rtl8139 sample on a VN-1" --device vn1 --driver rtl8139 --irq line
refuse 66 "the e1000 sample on an RTL8139" --device rtl8139 --driver e1000

exit $fail
