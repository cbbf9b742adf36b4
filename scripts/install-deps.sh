#!/usr/bin/env bash
# Installs the Debian packages ndisrt needs to build and test, if missing.
# Debian 12 (bookworm). Runs apt-get only when something is missing.
set -euo pipefail
pkgs=(gcc make cmake pkg-config libcriterion-dev libpcap-dev clang libclang-rt-14-dev python3 universal-ctags)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ndisrt: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ndisrt: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
