#!/usr/bin/env bash
# Set-up on a fresh Debian machine: Debian's Chromium (WebGPU; SwiftShader without a GPU) and the
# node packages. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${TVAE_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "installing Debian's chromium (WebGPU falls back to SwiftShader without a GPU)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# puppeteer must never download a browser: the project launches Debian's
export PUPPETEER_SKIP_DOWNLOAD=true
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
