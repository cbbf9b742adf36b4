#!/usr/bin/env bash
# Installs what ndisrt needs to build and test, if missing: Debian 12
# (bookworm) packages, then the SARIF 2.1.0 JSON schema the --sarif test
# validates against (from the npm registry, once, into the cache).
# Runs apt-get and npm only when something is missing.
set -euo pipefail
pkgs=(gcc make cmake pkg-config libcriterion-dev libpcap-dev clang libclang-rt-14-dev
      libdw-dev python3 python3-jsonschema universal-ctags clang-format)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come with a nodejs that is not Debian's: any npm will do.
command -v npm >/dev/null || missing+=(npm)

sudo=""
if [ ${#missing[@]} -gt 0 ]; then
  echo "ndisrt: installing missing packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "ndisrt: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The SARIF schema: Microsoft ships it inside @microsoft/jest-sarif.
cache=${NDISRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ndisrt}
schema="$cache/sarif-schema-2.1.0.json"
if [ ! -s "$schema" ]; then
  echo "ndisrt: fetching the SARIF 2.1.0 schema (npm: @microsoft/jest-sarif) into $cache"
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null &&
    tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json) ||
    { echo "ndisrt: could not fetch the SARIF schema from npm" >&2; exit 1; }
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema.tmp" && mv "$schema.tmp" "$schema"
fi
