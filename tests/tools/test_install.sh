#!/usr/bin/env bash
# `make install` as a user relies on it: install into a scratch prefix,
# compile a miniport with `pkg-config --cflags ndisrt` only, and run it with
# the installed ndisrt, which must also find the installed sample drivers.
# usage: test_install.sh BUILD_DIR SOURCE_ROOT
set -u
build=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

if ! cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1
fi
pass "cmake --install into a scratch prefix"
export PKG_CONFIG_PATH="$tmp/prefix/share/pkgconfig"
cflags=$(pkg-config --cflags ndisrt) || { echo "FAIL: pkg-config --cflags ndisrt"; exit 1; }
inc=${cflags#-I}; inc=${inc%% *}
[ -f "$inc/ndis.h" ] && [ "$(cd "$inc" && pwd)" = "$tmp/prefix/include/ndisrt" ] \
  && pass "pkg-config --cflags ndisrt names the installed headers" \
  || bad "pkg-config --cflags ndisrt gave '$cflags'"

cp "$root/drivers/external/vn1_line.c" "$tmp/drv.c"
# Only the installed headers: no -I into the source tree.
if cc -shared -fPIC -Wall -Wextra -Werror $cflags "$tmp/drv.c" -o "$tmp/drv.so"; then
  pass "a miniport compiles against the installed <ndis.h>"
else
  bad "a miniport does not compile against the installed <ndis.h>"
fi
out=$("$tmp/prefix/bin/ndisrt" run --quiet --driver "$tmp/drv.so" --irq line --frames 500 2>&1)
[ $? -eq 0 ] && pass "installed ndisrt runs it" || { bad "installed ndisrt run"; echo "$out" | tail -20; }
out=$(env -u NDISRT_DRIVER_DIR "$tmp/prefix/bin/ndisrt" run --quiet --frames 500 2>&1)
[ $? -eq 0 ] && pass "installed ndisrt finds the installed sample driver" \
  || { bad "installed ndisrt with the default driver"; echo "$out" | tail -20; }

[ $fail -eq 0 ] && echo "install: all passed"
exit $fail
