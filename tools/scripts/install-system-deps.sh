#!/usr/bin/env bash
# Installs the Debian packages that downloader's tests and benchmarks run against:
# nginx (a real HTTP origin with Range support), curl and aria2 (benchmark peers),
# chromium (dashboard tests), openssl (test certificates), bsdutils (`script`, a pty for CLI tests).
# Idempotent: installs only what is missing. Needs root (or sudo) and apt.
set -euo pipefail

declare -A binary_of=(
  [nginx]=/usr/sbin/nginx
  [curl]=/usr/bin/curl
  [aria2]=/usr/bin/aria2c
  [openssl]=/usr/bin/openssl
  [chromium]=/usr/bin/chromium
  # `script` gives the fetch-stream CLI tests a pseudo-terminal.
  [bsdutils]=/usr/bin/script
)

missing=()
for pkg in "${!binary_of[@]}"; do
  [ -x "${binary_of[$pkg]}" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing: ${missing[*]} — install them with your package manager" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "system packages missing: ${missing[*]} — rerun as root or install them" >&2
    exit 1
  fi
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
