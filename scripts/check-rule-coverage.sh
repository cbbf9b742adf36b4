#!/usr/bin/env bash
# Fails if a rule of verifier/rules.def has no test named after it
# (Test(suite, <id>_...) under tests/). Every family is enforced.
# usage: check-rule-coverage.sh [ROOT]
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || { echo "rule coverage: no such directory: $root"; exit 2; }
[ -f verifier/rules.def ] || { echo "rule coverage: missing verifier/rules.def"; exit 1; }
missing=0
rules=0
while read -r id fam; do
  rules=$((rules + 1))
  if ! grep -rqE "Test\( *[a-z0-9_]+, *${id}_" tests 2>/dev/null; then
    echo "rule $id (family $fam): no test names it"; missing=1
  fi
done < <(sed -nE 's/^RULE\(([A-Z]+[0-9]+), *([A-Z]+),.*/\1 \2/p' verifier/rules.def)
[ $rules -gt 0 ] || { echo "rule coverage: no RULE lines in verifier/rules.def"; exit 1; }
[ $missing -eq 0 ] && echo "rule coverage: ok ($rules rules, every family)"
exit $missing
