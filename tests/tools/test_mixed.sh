#!/usr/bin/env bash
# End-to-end tests of mixed device models in one run (docs/run.md, "Mixed
# models"): `ndisrt run --device A,B` gives each NIC the sample miniport of
# its own model, so several drivers run side by side in one machine (NDIS 5
# and NDIS 6 together on line interrupts). Traffic crosses between models
# in both directions and every frame is conserved; an explicit --driver
# serves every NIC, and one it cannot drive stops the run with one line.
# usage: test_mixed.sh NDISRT_BINARY
set -u
ndisrt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

# run_ok NAME ARGS... : exit 0, conservation holds, frames received (a
# receiving NIC may drop a frame when its ring is full: counted, conserved).
run_ok() {
  local name=$1; shift
  local out=$tmp/out.txt js=$tmp/r.json
  if ! "$ndisrt" run --quiet --json "$js" "$@" >"$out" 2>&1; then
    bad "$name: exit status $? ($*)"; tail -25 "$out"; return 1
  fi
  if [ "$(json "$js" "d['frames']['conservation']")" != True ] ||
     [ "$(json "$js" "d['frames']['received'] > 0")" != True ]; then
    bad "$name: conservation, or nothing received"; cat "$js"; return 1
  fi
  pass "$name"
}

# senders PCAP : the last byte of each source MAC seen, with its frame count
# ("1:500 3:500"): NIC i sends from 02:00:4e:44:49:(i+1).
senders() {
  python3 - "$1" <<'PY'
import struct, sys, collections
b = open(sys.argv[1], 'rb').read()
off, c = 24, collections.Counter()
while off < len(b):
    _, _, incl, _ = struct.unpack('<IIII', b[off:off + 16])
    c[b[off + 16 + 11]] += 1
    off += 16 + incl
print(' '.join('%d:%d' % (k, c[k]) for k in sorted(c)))
PY
}

# Both directions: NICs 0-1 and 2-3 are cabled in pairs and the even NIC of
# each pair sends, so A,B,B,A sends A -> B on one cable and B -> A on the other.
both_ways() {
  local a=$1 b=$2 want=$3 cpus=$4
  if run_ok "$a <-> $b, $cpus vCPUs: frames crossed between the models, all conserved" \
      --device "$a,$b,$b,$a" --nics 4 --cpus "$cpus" --frames 4000 --capture "$tmp/m.pcap"; then
    drv=$(json $tmp/r.json "d['driver']")
    [ "$drv" = "$want" ] && pass "$a,$b: each NIC got its model's sample ($drv)" ||
      bad "$a,$b: driver '$drv', want '$want'"
    # Every frame offered is on the wire once, from NIC 0 ($a) or NIC 2 ($b).
    s=$(senders "$tmp/m.pcap")
    ok=$(python3 -c "
c = dict(map(int, x.split(':')) for x in '$s'.split())
print(sorted(c) == [1, 3] and c[1] > 0 and c[3] > 0 and c[1] + c[3] == 4000)")
    [ "$ok" = True ] && pass "$a,$b: $a sent to $b and $b sent to $a (source MAC: count $s)" ||
      bad "$a,$b: senders in the capture: '$s' (want NICs 0 and 2, 4000 in all)"
  fi
}
both_ways e1000 virtio-net e1000+virtio_net 2
both_ways e1000 virtio-net e1000+virtio_net 4
both_ways vn1 e1000 vn1+e1000 2
both_ways rtl8139 vn1 rtl8139+vn1 2
both_ways rtl8139 e1000 rtl8139+e1000 1

run_ok "e1000,virtio-net: the plain pair" --device e1000,virtio-net --cpus 2 --frames 2000
ver=$(json $tmp/r.json "d['ndis_version']")
[ "$ver" = 5.1 ] && pass "mixed NDIS 5.1 and 6.20: the report gives the lowest version" ||
  bad "ndis_version '$ver'"
run_ok "three models, one sample each" --device rtl8139,e1000,virtio-net,vn1 --nics 4 \
  --cpus 2 --frames 2000
run_ok "the same driver twice in the list loads once" --device e1000,e1000 --cpus 2 \
  --frames 1000
[ "$(json $tmp/r.json "d['driver']")" = e1000 ] && pass "e1000,e1000: driver e1000" ||
  bad "e1000,e1000: driver $(json $tmp/r.json "d['driver']")"

# refuse EXIT-STATUS NAME ARGS... : one line on stderr, that exit status.
refuse() {
  local want=$1 name=$2 err rc; shift 2
  err=$("$ndisrt" run --quiet "$@" 2>&1 >/dev/null); rc=$?
  [ $rc -eq "$want" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
    pass "refused $name: exit $rc: $err" || bad "$name: exit $rc (want $want): $err"
}
# An explicit --driver serves every NIC: one that cannot drive a model
# fails that NIC's MiniportInitialize, and the line names NIC and model.
refuse 66 "--driver e1000 on e1000,virtio-net" --device e1000,virtio-net --driver e1000
err=$("$ndisrt" run --quiet --device e1000,virtio-net --driver e1000 2>&1 >/dev/null)
[[ "$err" == *"NIC 1 (virtio-net)"* ]] && pass "the refusal names NIC 1 and its model" ||
  bad "the refusal does not name NIC 1 (virtio-net): $err"
refuse 64 "MSI-X with an NDIS 5 sample among the drivers" --device virtio-net,e1000 --irq msix

exit $fail
