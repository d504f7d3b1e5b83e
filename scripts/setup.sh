#!/usr/bin/env bash
# Set-up on a fresh Debian machine: Debian's Chromium (WebGPU; SwiftShader without a GPU), the
# node packages and a project-local Mesa 25 lavapipe (scripts/lavapipe.sh). Safe to run again:
# each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# libvulkan1: the Vulkan loader for the plain-Node runtime (TVAE_RUNTIME=node, Dawn)
if [ ! -x "${TVAE_CHROMIUM:-/usr/bin/chromium}" ] || ! ldconfig -p | grep -q libvulkan.so.1; then
  echo "installing Debian's chromium and libvulkan1 (WebGPU falls back to SwiftShader without a GPU)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libvulkan1 >/dev/null
fi
# puppeteer must never download a browser: the project launches Debian's
export PUPPETEER_SKIP_DOWNLOAD=true
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Mesa 25's lavapipe, project-local (.vendor/lavapipe/): the fastest software adapter, Node runtime
# only. Not fatal: without it the Node runtime falls back to SwiftShader.
bash scripts/lavapipe.sh || echo "note: lavapipe was not installed (reason above); the Node runtime uses SwiftShader, and npm test's Node pass will fail until bash scripts/setup.sh succeeds here"
