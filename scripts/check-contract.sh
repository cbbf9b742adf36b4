#!/usr/bin/env bash
# Checks that the contract in the repo and the code cannot drift apart:
#
#  1. every rule of verifier/rules.def has an entry in docs/contract.md
#     ("#### <id> ..."), and docs/contract.md has no entry for a rule that
#     rules.def does not list;
#  2. every entry names its Microsoft source ("Source:" with a page path)
#     and at least one test ("Tests:" suite::name ...), and each test it
#     names exists under tests/ and is named after that rule (<id>_...);
#  3. every violation of verifier/violations.def names a rule of rules.def,
#     and every "0x2xxx NAME" written in docs/ is that table's name for it;
#  4. every "§N" / "§N.M" cited in the tree resolves inside the repo (the sign
#     is reserved for the repo's own documents: a public datasheet is cited by
#     name, e.g. "SDM 13.4.17" for Intel's manual): to a
#     heading "§N" of docs/vn1.md when it cites the VN-1 datasheet (the file
#     is under hw/, tests/hw/, drivers/vn1/ or drivers/vn1pio/, or the line
#     says datasheet, VN-1 or vn1.md and not contract or spec), to a
#     numbered heading of drivers/DDI-USED.md for that file's own references
#     (there "SPEC §n" is the contract's and "datasheet §n" VN-1's), and to a
#     heading "§N" of docs/contract.md otherwise; a "§24 C-n" or "§24 O-n"
#     must also be an entry of docs/contract.md §24.
#
# usage: check-contract.sh [ROOT]     Exit 0 when all hold, 1 otherwise.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || { echo "check-contract: no such directory: $root"; exit 2; }
doc=docs/contract.md
vn1doc=docs/vn1.md
ddi=drivers/DDI-USED.md
for f in verifier/rules.def verifier/violations.def "$doc" "$vn1doc"; do
  [ -f "$f" ] || { echo "check-contract: missing $f"; exit 1; }
done
bad=0
fail() { echo "contract: $*"; bad=1; }

# ------------------------------------------------------------ 1-2 rules
mapfile -t ids < <(sed -nE 's/^RULE\(([A-Z]+[0-9]+), *[A-Z]+,.*/\1/p' verifier/rules.def)
[ ${#ids[@]} -gt 0 ] || fail "no RULE lines in verifier/rules.def"
declare -A known=()
for id in "${ids[@]}"; do known[$id]=1; done

# The entry of @id: from its heading to the next heading.
entry() { awk -v id="$1" '
  /^#/ { if (on) exit; if ($0 ~ "^#### " id "( |$)") on = 1; next }
  on { print }' "$doc"; }

# Every test name of the tree, "suite::name".
mapfile -t all_tests < <(grep -rhoE 'Test\( *[a-z0-9_]+, *[A-Za-z0-9_]+' tests 2>/dev/null |
  sed -E 's/Test\( *([a-z0-9_]+), *([A-Za-z0-9_]+)/\1::\2/' | sort -u)
declare -A have_test=()
for t in "${all_tests[@]}"; do have_test[$t]=1; done

for id in "${ids[@]}"; do
  if ! grep -qE "^#### $id( |$)" "$doc"; then
    fail "rule $id (verifier/rules.def) has no entry in $doc"; continue
  fi
  body=$(entry "$id")
  grep -qE '^Source: .*`[^`]+\.md`' <<<"$body" || fail "rule $id: no 'Source:' line naming a Microsoft page"
  tests=$(sed -nE 's/^Tests: *//p' <<<"$body")
  [ -n "$tests" ] || { fail "rule $id: no 'Tests:' line"; continue; }
  n=0
  for t in $(grep -oE '[a-z0-9_]+::[A-Za-z0-9_]+' <<<"$tests"); do
    n=$((n + 1))
    [ -n "${have_test[$t]:-}" ] || fail "rule $id: test $t is not in tests/"
    [[ ${t#*::} == "${id}_"* ]] || fail "rule $id: test $t is not named after the rule (${id}_...)"
  done
  [ $n -gt 0 ] || fail "rule $id: 'Tests:' names no suite::test"
done
while read -r id; do
  [ -n "${known[$id]:-}" ] || fail "$doc has an entry for $id, which verifier/rules.def does not list"
done < <(sed -nE 's/^#### ([A-Z]+[0-9]+)( .*)?$/\1/p' "$doc")

# ------------------------------------------------------- 3 violations
while read -r name rule; do
  [ -n "${known[$rule]:-}" ] || fail "violation $name enforces $rule, which is not in verifier/rules.def"
done < <(tr -d '\n' <verifier/violations.def | grep -oE 'VIOLATION\([A-Z0-9_]+, *[A-Z_]+, *0x[0-9A-Fa-f]+, *[A-Z]+[0-9]+' |
  sed -E 's/VIOLATION\(([A-Z0-9_]+), *[A-Z_]+, *0x[0-9A-Fa-f]+, *([A-Z]+[0-9]+)/\1 \2/')

# Every "0x2xxx NAME" the docs write is the table's number and name.
declare -A vname=()
while read -r name p1; do vname[$((p1))]=$name; done < <(tr -d '\n' <verifier/violations.def |
  grep -oE 'VIOLATION\([A-Z0-9_]+, *[A-Z_]+, *0x[0-9A-Fa-f]+' |
  sed -E 's/VIOLATION\(([A-Z0-9_]+), *[A-Z_]+, *(0x[0-9A-Fa-f]+)/\1 \2/')
while IFS=: read -r f pair; do
  num=${pair%%[ \`]*}; name=${pair##*[ \`]}
  want=${vname[$((num))]:-}
  [ "$want" = "$name" ] ||
    fail "$f: $num $name, but verifier/violations.def has ${want:-no line} for $num"
done < <(grep -roE '0x2[0-2][0-9A-Fa-f]{2}`? `?[A-Z][A-Z0-9_]+' docs README.md 2>/dev/null | sort -u)

# --------------------------------------------------------- 4 § references
headings() { sed -nE 's/^#{2,4} §([0-9]+(\.[0-9]+)*)([ .].*)?$/\1/p' "$1" | sort -u; }
mapfile -t c_heads < <(headings "$doc")
mapfile -t v_heads < <(headings "$vn1doc")
mapfile -t d_heads < <([ -f "$ddi" ] && sed -nE 's/^#{2,4} ([0-9]+(\.[0-9]+)*)\.? .*/\1/p' "$ddi" | sort -u)
declare -A in_c=() in_v=() in_d=()
for h in "${c_heads[@]}"; do in_c[$h]=1; done
for h in "${v_heads[@]}"; do in_v[$h]=1; done
for h in "${d_heads[@]}"; do in_d[$h]=1; done
[ ${#c_heads[@]} -gt 0 ] || fail "$doc has no '## §N' headings"

if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git -C "$root" ls-files | grep -vE '^tests/fuzz/corpus/')
else
  mapfile -t files < <(find . -type f -not -path './.git/*' -not -path './build*' \
    -not -path './tests/fuzz/corpus/*' | sed 's|^\./||')
fi
refs=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  grep -Iq '§' "$f" 2>/dev/null || continue
  while IFS= read -r line; do
    lno=${line%%:*}; text=${line#*:}
    ctx=contract
    case "$f" in hw/* | tests/hw/* | drivers/vn1/* | drivers/vn1pio/* | "$vn1doc") ctx=vn1 ;; esac
    if grep -qiE 'datasheet|VN-1|vn1\.md' <<<"$text" && ! grep -qiE 'contract|spec' <<<"$text"; then
      ctx=vn1
    fi
    for tok in $(grep -oE '(SPEC |datasheet )?§ ?[0-9]+(\.[0-9]+)*' <<<"$text" | tr ' ' '_'); do
      ref=${tok##*§}; ref=${ref#_}
      c=$ctx
      if [ "$f" = "$ddi" ]; then
        case $tok in SPEC_*) c=contract ;; datasheet_*) c=vn1 ;; *) c=ddi ;; esac
        # On a line marked SPEC, a reference may be the file's own or the contract's.
        if [ $c = ddi ] && grep -q 'SPEC' <<<"$text" && [ -n "${in_c[$ref]:-}" ]; then c=contract; fi
      fi
      refs=$((refs + 1))
      case $c in
      vn1) [ -n "${in_v[$ref]:-}" ] || fail "$f:$lno: §$ref is not a heading of $vn1doc" ;;
      ddi) [ -n "${in_d[$ref]:-}" ] || [ -n "${in_d[${ref%.*}]:-}" ] ||
             fail "$f:$lno: §$ref is not a section of $ddi" ;;
      *) [ -n "${in_c[$ref]:-}" ] || fail "$f:$lno: §$ref is not a heading of $doc" ;;
      esac
    done
    if grep -qE '[a-z]+\.md`? §' <<<"$text" && ! grep -qE '(contract|vn1|DDI-USED)\.md`?\)? §' <<<"$text"; then
      fail "$f:$lno: cites a section of a document that is not in the repo"
    fi
    if [ $ctx = contract ]; then
      for item in $(grep -oE '§24 [CO]-[0-9]+' <<<"$text" | sed 's/§24 //'); do
        grep -qE "^\*\*$item\*\*|^- \*\*$item\*\*" "$doc" || fail "$f:$lno: §24 $item is not an entry of $doc §24"
      done
    fi
  done < <(grep -n '§' "$f")
done

[ $bad -eq 0 ] && echo "contract: ok (${#ids[@]} rules, $refs § references)"
exit $bad
