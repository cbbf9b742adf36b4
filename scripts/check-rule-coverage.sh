#!/usr/bin/env bash
# Lists the rule ids of verifier/rules.def that no test names.
# usage: check-rule-coverage.sh [ROOT] [FAMILY...]
#   With families (e.g. R I S D), fails if one of their rules has no test;
#   without, only reports.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}; shift || true
cd "$root" || exit 2
enforce=" $* "
missing=0
while IFS= read -r line; do
  id=$(sed -E 's/^RULE\(([A-Z]+[0-9]+), ([A-Z]+),.*/\1/' <<<"$line")
  fam=$(sed -E 's/^RULE\(([A-Z]+[0-9]+), ([A-Z]+),.*/\2/' <<<"$line")
  if ! grep -rqE "Test\([a-z0-9_]+, *${id}_" tests 2>/dev/null; then
    if [[ "$enforce" == *" $fam "* ]]; then
      echo "rule $id: no test names it"; missing=1
    else
      echo "rule $id: no test yet (family $fam not enforced)"
    fi
  fi
done < <(grep -E '^RULE\(' verifier/rules.def)
[ $missing -eq 0 ] && echo "rule coverage: ok${*:+ (enforced: $*)}"
exit $missing
