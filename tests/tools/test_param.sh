#!/usr/bin/env bash
# `ndisrt run --param [NIC:]NAME=VALUE`: bad forms are refused in one line
# (exit 64); good ones reach the driver's NdisReadConfiguration and
# NdisReadNetworkAddress, per NIC (docs/run.md, docs/ddi/README.md).
# usage: test_param.sh NDISRT_BINARY CONFIG_DRIVER.so
# CONFIG_DRIVER is tests/host/drivers/tdrv.c built with -DTDRV_CONFIG: it
# writes what it read to the error log (code 0xC0DE0001: TdrvValue, the
# NetworkAddress's last byte, the items of TdrvList; 0xFFFFFFFF: not read).
set -u
ndisrt=$1
drv=$2
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

refuse() {
  local name=$1 want=$2; shift 2
  local err rc
  err=$("$ndisrt" run --quiet "$@" 2>&1 >/dev/null); rc=$?
  if [ $rc -eq 64 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q -- "$want" <<<"$err"; then
    pass "$name: one line, exit 64"
  else
    bad "$name: exit $rc, message: $err"
  fi
}
refuse "--param without a value" "needs a value" --param
refuse "--param without '='" "NAME=VALUE" --param Speed
refuse "--param with an empty name" "NAME=VALUE" --param =1
refuse "--param with a blank in the name" "NAME=VALUE" --param "Link Speed=1"
refuse "--param with a control character in the value" "NAME=VALUE" --param "$(printf 'A=1\n2')"
refuse "--param with a NIC that is not a number" "NAME=VALUE" --param x:Speed=1
refuse "--param for NIC 64" "NAME=VALUE" --param 64:Speed=1
refuse "--param for a NIC the run does not have" "is for NIC 2, but there are 2 NICs" \
  --nics 2 --param 2:Speed=1

# Accepted by a driver that reads nothing: the run is as without them.
if "$ndisrt" run --quiet --frames 500 --param '*InterruptModeration=0' --param=1:Foo=bar \
  >/dev/null 2>&1; then
  pass "parameters the driver does not read change nothing"
else
  bad "a run with unread parameters failed"
fi

# What the driver read, per NIC (its own value first, then the shared one).
# The config driver moves no traffic, so the run itself fails: only the
# log lines are checked.
err=$("$ndisrt" run --quiet --driver "$drv" --nics 2 --frames 10 \
  --param TdrvValue=7 --param 1:tdrvvalue=0x20 --param 0:NetworkAddress=02-00-00-00-00-A5 \
  --param TdrvList=a,b 2>&1 >/dev/null)
n0=$(grep -c "code 0xC0DE0001 (3 values: 0x7 0xA5 0x2)" <<<"$err")
n1=$(grep -c "code 0xC0DE0001 (3 values: 0x20 0xFFFFFFFF 0x2)" <<<"$err")
if [ "$n0" -eq 1 ] && [ "$n1" -eq 1 ]; then
  pass "NIC 0 and NIC 1 read their own values, then the shared ones"
else
  bad "per-NIC parameters: $err"
fi

[ $fail -eq 0 ] && echo "tools param: all passed"
exit $fail
