#!/usr/bin/env bash
# Checks the include direction of the layers (architecture.md), for both
# "..." and <...> includes:
#  1. each layer includes only layers at or below it (ke < hw < verifier <
#     ndis < explore < tools; bench/ sits with tools);
#  2. a layer's private headers (internal.h, *_internal.h) are included only
#     from inside that layer, or from the tests of that layer (tests/ke for
#     ke/, tests/hw for hw/, tests/ndis, tests/host and tests/ndis5 for ndis/);
#  3. the device seam: hosting (ndis/, include/ndisrt/) and tools/, bench/
#     reach devices only through hw/device.h: no device model's own header
#     (hw/vn1*.h, hw/e1000/, hw/virtio_net/) and no call of a model's
#     functions (vn1_*);
#  4. tests/ may include any layer's public headers (tests sit on top), but a
#     model's own header only where the model is the subject: tests/hw/ (the
#     models' own tests) and the files listed in model_tests below, each with
#     its reason. The test device tests/host/tdev.c includes nothing of hw/
#     but hw/device.h: it proves the seam is enough;
#  5. drivers/ sees only <ndis.h> and its own headers.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
order=(ke hw verifier ndis explore tools)
rank() {
  local i
  [ "$1" = bench ] && set -- tools
  for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && echo "$i" && return; done
  echo -1
}
# Test files outside tests/hw/ whose subject is the VN-1 itself (rule 4).
model_tests=(
  tests/ndis5/tndis5.h     # NDIS 5 DDI tests drive the VN-1's PIO window and register map
  tests/ndis5/test_io.c    # register/port DDIs checked against VN-1 registers
  tests/ndis5/test_shared.c # two NDIS 5 adapters on VN-1s sharing a line
  tests/ndis5/test_host.c  # the vn1pio.so sample on a VN-1
)
model_hdr='(hw/vn1[a-z_]*\.h|hw/e1000/|hw/virtio_net/)'
bad=0

# All includes of the runtime's own headers under $1: "file:line:target".
includes() {
  grep -rHn --include='*.[ch]' -E '#[[:space:]]*include[[:space:]]*[<"][a-z0-9_]+/' "$@" 2>/dev/null |
    sed -E 's/^([^:]*):([0-9]+):.*#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1:\2:\3/'
}

private_ok() { # $1 file, $2 layer of the private header
  case "$1" in
    "$2"/*) return 0 ;;
    tests/ke/*) [ "$2" = ke ] ;;
    tests/hw/*) [ "$2" = hw ] ;;
    tests/ndis/* | tests/host/* | tests/ndis5/*) [ "$2" = ndis ] ;;
    *) return 1 ;;
  esac
}

# 1, 2: direction and private headers, for the layers and bench/.
for layer in "${order[@]}" bench; do
  [ -d "$layer" ] || continue
  r=$(rank "$layer")
  while IFS=: read -r file line inc; do
    dep=${inc%%/*}
    d=$(rank "$dep")
    [ "$d" -lt 0 ] && continue
    if [ "$d" -gt "$r" ]; then
      echo "layering: $file:$line includes $inc ($dep/ is above $layer/)"; bad=1
    fi
    case "$inc" in *internal.h)
      private_ok "$file" "$dep" || { echo "layering: $file:$line includes $inc, private to $dep/"; bad=1; } ;;
    esac
  done < <(includes "$layer")
done

# 2 for tests/.
while IFS=: read -r file line inc; do
  dep=${inc%%/*}
  case "$inc" in *internal.h)
    [ "$(rank "$dep")" -ge 0 ] && ! private_ok "$file" "$dep" &&
      { echo "layering: $file:$line includes $inc, private to $dep/"; bad=1; } ;;
  esac
done < <(includes tests)

# 3: the device seam.
for dir in ndis include/ndisrt tools bench; do
  [ -d "$dir" ] || continue
  while IFS=: read -r file line inc; do
    if echo "$inc" | grep -qE "^$model_hdr"; then
      echo "layering: $file:$line includes $inc: reach devices through hw/device.h"; bad=1
    fi
  done < <(includes "$dir")
  if grep -rn --include='*.[ch]' -E '\bvn1_[a-z0-9_]+[[:space:]]*\(|struct vn1\b' "$dir"; then
    echo "layering: $dir/ calls the VN-1 model directly: use hw/device.h"; bad=1
  fi
done

# 4: model headers in tests.
while IFS=: read -r file line inc; do
  echo "$inc" | grep -qE "^$model_hdr" || continue
  case "$file" in tests/hw/*) continue ;; esac
  ok=0
  for t in "${model_tests[@]}"; do [ "$file" = "$t" ] && ok=1; done
  if [ $ok -eq 0 ]; then
    echo "layering: $file:$line includes $inc: a test reaches a model's internals only when the model is its subject (tests/hw/, or model_tests in this script)"; bad=1
  fi
done < <(includes tests)
if [ -f tests/host/tdev.c ]; then
  while IFS=: read -r file line inc; do
    case "$inc" in hw/device.h | hw/irq_sink.h | tests/host/tdev.h | ke/ke.h) ;;
      hw/*) echo "layering: $file:$line includes $inc: the test device uses hw/device.h only"; bad=1 ;;
    esac
  done < <(includes tests/host/tdev.c tests/host/tdev.h)
fi

# 5: drivers.
if [ -d drivers ]; then
  if grep -rn --include='*.[ch]' '#include' drivers | grep -v -E '#include\s*[<"](ndis\.h|hardware\.h|[a-z0-9_]+\.h)[>"]' ; then
    echo "layering: drivers/ may include only <ndis.h> and its own headers"; bad=1
  fi
  if grep -rn --include='*.[ch]' -E '#include\s*[<"](ke|hw|ndis|verifier|tools)/' drivers; then
    echo "layering: drivers/ includes runtime internals"; bad=1
  fi
fi
[ $bad -eq 0 ] && echo "layering: ok"
exit $bad
