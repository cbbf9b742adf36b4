#!/usr/bin/env bash
# CLI smoke tests: help, errors, and the bench output format (never timings).
set -u
ndisrt=$1
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

out=$("$ndisrt" --help); rc=$?
check "--help exits 0 and names the commands" '[ $rc -eq 0 ] && grep -q "bench core" <<<"$out"'
err=$("$ndisrt" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown command: one line naming it, exit 64" '[ $rc -eq 64 ] && [ $(wc -l <<<"$err") -eq 1 ] && grep -q frobnicate <<<"$err"'
err=$("$ndisrt" bench core --frob 2>&1 >/dev/null); rc=$?
check "unknown bench option: one line naming it, exit 64" '[ $rc -eq 64 ] && [ $(wc -l <<<"$err") -eq 1 ] && grep -q -- --frob <<<"$err"'
err=$("$ndisrt" 2>&1 >/dev/null); rc=$?
check "no command: usage on stderr, exit 64" '[ $rc -eq 64 ] && grep -q usage <<<"$err"'
json=$("$ndisrt" bench core --json --quick); rc=$?
check "bench core --json exits 0" '[ $rc -eq 0 ]'
for name in irql_raise_lower_pair spin_acquire_release_pair sync_execution_uncontended irql_raise_lower_counting_vs_none spin_acquire_release_counting_vs_none irql_raise_lower_subscribed_vs_none spin_acquire_release_subscribed_vs_none interrupt_to_busy_vcpu_p50 interrupt_to_busy_vcpu_p99 interrupt_to_idle_vcpu_p50; do
  check "bench core reports $name" 'grep -q "\"name\": \"$name\"" <<<"$json"'
done
check "every bench line is a JSON object with the five keys" 'python3 -c "
import json,sys
for l in sys.stdin:
    o=json.loads(l); assert set(o)=={\"name\",\"value\",\"baseline\",\"ratio\",\"unit\"}, o
" <<<"$json"'
[ $fail -eq 0 ] && echo "tools: all passed"
exit $fail
