#!/usr/bin/env bash
# End to end: `ndisrt run --device virtio-net` (no --driver: the virtio_net
# sample) in every interrupt mode at 1, 2 and 4 vCPUs, on a pair and on a
# generator wire; RSS placement; a capture whose records are all there,
# replayed into a NIC (the replay reads it with libpcap).
# usage: test_virtio_net_run.sh NDISRT_BINARY
set -u
ndisrt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

run_ok() {
  local name=$1; shift
  local out=$tmp/out.txt js=$tmp/r.json
  if ! "$ndisrt" run --quiet --device virtio-net --json "$js" "$@" >"$out" 2>&1; then
    bad "$name: exit status $? ($*)"; tail -25 "$out"; return 1
  fi
  if [ "$(json "$js" "d['frames']['conservation']")" != True ] ||
     [ "$(json "$js" "d['frames']['received'] > 0")" != True ]; then
    bad "$name: conservation or nothing received"; cat "$js"; return 1
  fi
  pass "$name"
}

for irq in line msi msix msix:16; do
  for cpus in 1 2 4; do
    run_ok "virtio-net irq=$irq cpus=$cpus pair" --irq $irq --cpus $cpus --frames 3000
    run_ok "virtio-net irq=$irq cpus=$cpus gen" --irq $irq --cpus $cpus --frames 3000 --wire gen --nics 1
  done
done

# RSS (VIRTIO_NET_F_RSS through OID_GEN_RECEIVE_SCALE_PARAMETERS): each flow
# indicated on the vCPU that hash -> indirection table -> processor predicts.
for cpus in 2 4; do
  if run_ok "virtio-net RSS msix:16 cpus=$cpus" --irq msix:16 --cpus $cpus --frames 6000; then
    off=$(json $tmp/r.json "d['rss_off_cpu']")
    hashed=$(json $tmp/r.json "d['rss_frames']")
    if [ "$off" = 0 ] && [ "$hashed" -gt 0 ]; then
      pass "virtio-net RSS cpus=$cpus: $hashed frames hashed, none on an unpredicted vCPU"
    else
      bad "virtio-net RSS cpus=$cpus: $off of $hashed frames on an unpredicted vCPU"
    fi
  fi
done

run_ok "virtio-net max-nbls 4" --irq msix:16 --cpus 2 --frames 4000 --max-nbls 4
run_ok "virtio-net max-nbls all" --irq line --cpus 2 --frames 4000 --max-nbls all

if run_ok "virtio-net capture" --frames 500 --capture "$tmp/c.pcap" && [ -s "$tmp/c.pcap" ]; then
  n=$(python3 - "$tmp/c.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
magic, = struct.unpack('<I', d[:4])
assert magic in (0xa1b2c3d4, 0xa1b23c4d), hex(magic)
assert struct.unpack('<I', d[20:24])[0] == 1  # LINKTYPE_ETHERNET
off, n = 24, 0
while off < len(d):
    incl, orig = struct.unpack('<II', d[off + 8:off + 16])
    assert incl == orig and 14 <= incl <= 16384
    off += 16 + incl; n += 1
assert off == len(d)
print(n)
PY
)
  [ "${n:-0}" -ge 500 ] && pass "capture holds every frame sent ($n records)" || bad "capture: ${n:-?} records"
  run_ok "virtio-net replay of that capture" --wire pcap:"$tmp/c.pcap" --nics 1
fi

# Mixed models without --driver: each NIC gets its model's sample (MSI-X
# on both; more in tests/tools/test_mixed.sh).
run_ok "vn1,virtio-net without --driver: a sample each, MSI-X" --device vn1,virtio-net \
  --frames 2000

exit $fail
