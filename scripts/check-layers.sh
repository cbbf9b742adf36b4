#!/usr/bin/env bash
# Checks the include direction of the layers (architecture.md):
# each layer includes only layers below it; drivers/ sees only <ndis.h>;
# a layer's internal.h is included only from inside that layer.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
order=(ke hw verifier ndis explore tools)
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
bad=0
for layer in "${order[@]}"; do
  [ -d "$layer" ] || continue
  r=$(rank "$layer")
  while IFS=: read -r file _ inc; do
    dep=${inc#*\"}; dep=${dep%%/*}
    d=$(rank "$dep")
    [ "$d" -lt 0 ] && continue
    if [ "$d" -gt "$r" ]; then
      echo "layering: $file includes $dep/ (above $layer/)"; bad=1
    fi
    case "$inc" in *internal.h*)
      if [ "$dep" != "$layer" ]; then echo "layering: $file includes $dep's internal.h"; bad=1; fi ;;
    esac
  done < <(grep -rHn --include='*.[ch]' '#include "' "$layer" | sed 's/:\([0-9]*\):/:\1:/' | awk -F: '{print $1":"$2":"$3}')
done
if [ -d drivers ]; then
  if grep -rn --include='*.[ch]' '#include' drivers | grep -v -E '#include\s*[<"](ndis\.h|hardware\.h|[a-z0-9_]+\.h)[>"]' ; then
    echo "layering: drivers/ may include only <ndis.h> and its own headers"; bad=1
  fi
  if grep -rn --include='*.[ch]' -E '#include\s*"(ke|hw|ndis|verifier|tools)/' drivers; then
    echo "layering: drivers/ includes runtime internals"; bad=1
  fi
fi
[ $bad -eq 0 ] && echo "layering: ok"
exit $bad
