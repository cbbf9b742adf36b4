#!/usr/bin/env bash
# `ndisrt run --sarif FILE`: the log validates against the SARIF 2.1.0
# schema and puts a bug check at the driver's source line (a -g build).
# usage: test_sarif.sh NDISRT ROOT
set -u
ndisrt=$1 root=$2
schema=${NDISRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ndisrt}/sarif-schema-2.1.0.json
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

if [ ! -s "$schema" ]; then
  echo "FAIL: no SARIF schema at $schema: run scripts/install-deps.sh (make test does)"; exit 1
fi

# validate FILE: schema-valid SARIF 2.1.0, prints "results=N".
validate() {
  "$py" - "$schema" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
jsonschema.validate(log, schema)
print("results=%d" % len(log["runs"][0]["results"]))
PY
}

# A driver that dereferences a bad pointer in MiniportInitializeEx, built with -g.
src="$root/tests/host/drivers/tdrv.c"
line=$(grep -n 'MAC_HI bytes: a small address' "$src" | cut -d: -f1)
cc -g -O0 -shared -fPIC -I "$root/include" -DTDRV_NULL_DEREF "$src" -o "$tmp/null_deref.so" ||
  { echo "FAIL: tdrv.c does not compile"; exit 1; }

(cd "$root" && "$ndisrt" run --quiet --driver "$tmp/null_deref.so" --irq line \
   --sarif "$tmp/bug.sarif" >"$tmp/out" 2>&1); rc=$?
if [ $rc -ne 1 ]; then
  bad "faulting driver with --sarif: exit $rc, want 1"; head -20 "$tmp/out"
elif ! v=$(validate "$tmp/bug.sarif" 2>&1); then
  bad "the log does not validate against the SARIF 2.1.0 schema: $v"
elif [ "$v" != "results=1" ]; then
  bad "want one result, got: $v"
else
  pass "bug check: a schema-valid SARIF log with one result"
fi
got=$("$py" - "$tmp/bug.sarif" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
loc = r["locations"][0]["physicalLocation"]
print(r["level"], r["properties"]["bugCheckCode"], loc["artifactLocation"]["uri"],
      loc["region"]["startLine"], r["locations"][0]["logicalLocations"][0]["name"])
PY
)
want="error 0x0000001E tests/host/drivers/tdrv.c $line TdrvInitializeEx"
if [ "$got" = "$want" ]; then
  pass "the result names the driver's source line ($want)"
else
  bad "the result's location: got '$got', want '$want'"
fi

# A clean run: a valid log with no result, exit 0.
"$ndisrt" run --quiet --frames 2000 --sarif "$tmp/clean.sarif" >"$tmp/out" 2>&1; rc=$?
v=$(validate "$tmp/clean.sarif" 2>&1)
if [ $rc -eq 0 ] && [ "$v" = "results=0" ]; then
  pass "clean run: a valid log with no result, exit 0"
else
  bad "clean run: exit $rc, $v"; head -20 "$tmp/out"
fi

# A log that cannot be created fails before the run; one that cannot be written fails the run.
out=$("$ndisrt" run --quiet --frames 2000 --sarif "$tmp/no/such/dir.sarif" 2>&1); rc=$?
if [ $rc -eq 73 ] && grep -q -- "--sarif $tmp/no/such/dir.sarif" <<<"$out"; then
  pass "uncreatable --sarif: one line, exit 73, before the run"
else
  bad "uncreatable --sarif: exit $rc: $out"
fi
out=$("$ndisrt" run --quiet --frames 2000 --sarif /dev/full 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "SARIF" <<<"$out"; then
  pass "--sarif /dev/full: the failed write fails the run (exit $rc)"
else
  bad "--sarif /dev/full: exit $rc: $out"
fi

[ $fail -eq 0 ] && echo "sarif: all passed"
exit $fail
