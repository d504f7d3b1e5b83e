#!/usr/bin/env bash
# tvae GPU bundle (built by scripts/gpu-bundle.sh): on a bare x86-64 Linux machine with a Vulkan
# GPU driver (no Node, no browser, no network needed), runs, writing everything under OUT:
#   1. the adapter report  2. the self-check (GPU kernels vs float64 at the real layer sizes)
#   3. the bench (ours, TF.js WebGPU, the PyTorch peer)  4. the reference study, sized to the
#   budget  5. OUT/report.md, the summary of all of it.
#   bash run.sh [--budget-s SECONDS] [--out OUT]     (defaults: 480 s, ./tvae-out)
# OUT/report.md is the summary, OUT/all.tar holds every file written.
# Needs only bash, coreutils, tar, and xz or python3 (to unpack node). Picks the GPU's Vulkan
# driver (an NVIDIA ICD with /dev/nvidiactl, or another GPU ICD with a DRM render node), else the
# bundled lavapipe; TVAE_ADAPTER=gpu|lavapipe forces one. Progress lines go to stdout (and
# OUT/log.txt), so a run that is cut off says how far it got. The budget is a target: each stage
# also has a hard stop, the last at about the budget plus 60 s.
set -uo pipefail
B=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUDGET=480
OUT=./tvae-out
while [ $# -gt 0 ]; do
  case "$1" in
    --budget-s|--out)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      if [ "$1" = --budget-s ]; then BUDGET=$2; else OUT=$2; fi
      shift 2 ;;
    -h|--help) echo "usage: bash run.sh [--budget-s SECONDS] [--out OUT]"; exit 0 ;;
    *) echo "run.sh: unknown argument \"$1\" (usage: bash run.sh [--budget-s SECONDS] [--out OUT])" >&2; exit 2 ;;
  esac
done
[[ "$BUDGET" =~ ^[0-9]+$ ]] && [ "$BUDGET" -ge 30 ] || { echo "run.sh: --budget-s must be a whole number of seconds >= 30, got \"$BUDGET\"" >&2; exit 2; }
[ -n "$OUT" ] || { echo "run.sh: --out needs a folder" >&2; exit 2; }
mkdir -p "$OUT" || { echo "run.sh: cannot create $OUT" >&2; exit 2; }
OUT=$(cd "$OUT" && pwd)
LOG="$OUT/log.txt"
: >"$LOG"
: >"$OUT/stages.tsv"
mkdir -p "$OUT/bench"
SECONDS=0
say() { echo "[tvae-gpu ${SECONDS}s] $*" | tee -a "$LOG"; }
left() { echo $((BUDGET - SECONDS)); }

# -- unpack: node and the native libraries, into a private folder removed at the end
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tvae-bundle.XXXXXX") || { echo "run.sh: mktemp failed" >&2; exit 1; }
trap 'rm -rf "$WORK"' EXIT
unxz() {
  if command -v xz >/dev/null 2>&1; then xz -dc "$1"
  elif command -v python3 >/dev/null 2>&1; then python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  else echo "run.sh: needs xz or python3 to unpack $1" >&2; return 1; fi
}
say "unpacking node and native libraries into $WORK"
mkdir -p "$WORK/bin" "$WORK/xdg" && chmod 700 "$WORK/xdg"
unxz "$B/node.xz" >"$WORK/bin/node" && chmod +x "$WORK/bin/node" || { say "FATAL: could not unpack node"; exit 1; }
unxz "$B/native.tar.xz" | tar -C "$WORK" -xf - || { say "FATAL: could not unpack native.tar.xz"; exit 1; }
cp -r "$B/app" "$WORK/app"
mkdir -p "$WORK/app/dist/linux-x64"
mv "$WORK/dawn/dawn.node" "$WORK/app/dist/linux-x64/dawn.node" # where the webgpu package looks, beside its module
ln -s "$B/shaders" "$WORK/shaders"
NODE="$WORK/bin/node"
say "node $("$NODE" --version)"

# -- the Vulkan driver, chosen here from the machine's files: the loader reads VK_ICD_FILENAMES and
# the dynamic linker LD_LIBRARY_PATH once, when node starts
gpu_icd() {
  local d f
  for d in /usr/local/nvidia/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/share/vulkan/icd.d; do
    for f in "$d"/*.json; do
      [ -f "$f" ] || continue
      case "${f##*/}" in *lvp*|*lavapipe*|*swiftshader*) continue ;; esac
      case "${f##*/}" in
        *nvidia*) { [ -e /dev/nvidiactl ] || [ -e /dev/nvidia0 ]; } && { echo "$f"; return 0; } ;;
        *) compgen -G '/dev/dri/renderD*' >/dev/null && { echo "$f"; return 0; } ;;
      esac
    done
  done
  return 1
}
lavapipe_icd() {
  [ -f "$WORK/lavapipe/libvulkan_lvp.so" ] || return 1
  local api=1.3.0
  [ -f "$WORK/lavapipe/api_version" ] && api=$(<"$WORK/lavapipe/api_version")
  printf '{\n  "ICD": { "api_version": "%s", "library_path": "%s" },\n  "file_format_version": "1.0.0"\n}\n' "$api" "$WORK/lavapipe/libvulkan_lvp.so" >"$WORK/lavapipe/lvp_icd.json"
  echo "$WORK/lavapipe/lvp_icd.json"
}
libs="$WORK/lib"
case "${TVAE_ADAPTER:-}" in
  gpu) icd=$(gpu_icd) || { say "FATAL: TVAE_ADAPTER=gpu but no GPU Vulkan driver with its device node was found"; exit 1; }; kind=gpu ;;
  lavapipe) icd=$(lavapipe_icd) || { say "FATAL: TVAE_ADAPTER=lavapipe but this bundle has no lavapipe"; exit 1; }; kind=lavapipe ;;
  "") if icd=$(gpu_icd); then kind=gpu; elif icd=$(lavapipe_icd); then kind=lavapipe; else say "FATAL: no GPU Vulkan driver and no bundled lavapipe"; exit 1; fi ;;
  *) say "FATAL: TVAE_ADAPTER must be gpu or lavapipe (or unset), got \"$TVAE_ADAPTER\""; exit 2 ;;
esac
# fallbacks (libGLdispatch, X11, libstdc++ ...) only where the machine has none of its own
for f in "$WORK"/fallback/*; do
  [ -f "$f" ] || continue
  n=${f##*/} have=0
  for d in /usr/local/nvidia/lib64 /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /usr/local/lib; do [ -e "$d/$n" ] && have=1 && break; done
  [ "$have" = 0 ] && ln -s "$f" "$WORK/lib/$n" && say "carried library used: $n (the machine has none)"
done
[ "$kind" = lavapipe ] && libs="$WORK/lavapipe:$libs"
# the NVIDIA container toolkit mounts the driver's libraries here, not always in the linker cache
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [ -d "$d" ] && libs="$libs:$d"; done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export VK_ICD_FILENAMES="$icd" VK_DRIVER_FILES="$icd"
export TVAE_ROOT="$WORK" TVAE_RUNTIME=node XDG_RUNTIME_DIR="$WORK/xdg" HOME="${HOME:-$WORK}"
unset TVAE_ADAPTER # chosen above; the node side reads VK_ICD_FILENAMES as the user's choice
say "Vulkan driver: $kind ($icd)"
printf 'driver\t%s\t%s\n' "$kind" "$icd" >>"$OUT/stages.tsv"

# stage NAME HARD_LIMIT_S COMMAND...: runs it with its output in the log, records status and time
stage() {
  local name=$1 limit=$2 t0=$SECONDS rc
  shift 2
  [ "$limit" -lt 5 ] && limit=5
  say "== $name (hard stop ${limit}s)"
  timeout --signal=INT --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$LOG"
  rc=${PIPESTATUS[0]}
  local status=ok
  [ "$rc" = 0 ] || status="failed($rc)"
  [ "$rc" = 124 ] && status="cut off at ${limit}s"
  printf '%s\t%s\t%s\n' "$name" "$status" "$((SECONDS - t0))" >>"$OUT/stages.tsv"
  say "== $name: $status in $((SECONDS - t0))s"
  return 0
}

stage adapter 120 "$NODE" "$WORK/app/adapter.mjs" --json "$OUT/adapter.json"
if [ ! -f "$OUT/adapter.json" ]; then
  # no adapter: what the Vulkan loader saw, for the one run a GPU may get (the rest will fail too)
  say "no adapter: the ICD file, the device nodes and the loader's own account (OUT/loader-debug.txt) follow"
  cat "$icd" | tee -a "$LOG"
  ls -l /dev/nvidia* /dev/dri 2>&1 | tee -a "$LOG"
  VK_LOADER_DEBUG=all timeout 60 "$NODE" "$WORK/app/adapter.mjs" >"$OUT/loader-debug.txt" 2>&1
  tail -n 40 "$OUT/loader-debug.txt" | tee -a "$LOG"
fi
stage selfcheck 300 "$NODE" "$WORK/app/selfcheck.mjs" --json "$OUT/selfcheck.json"

# the bench: the full one where it fits (a GPU and a budget of minutes), else --quick
quick=--quick
software=0
[ -f "$OUT/adapter.json" ] && [[ "$(<"$OUT/adapter.json")" =~ \"isSoftware\":\ true ]] && software=1
[ "$software" = 0 ] && [ "$BUDGET" -ge 300 ] && quick=
# (the PyTorch peer runs as its own stage below, so a bench cut off still leaves its numbers)
# a quarter of what is left, but a minute at least: TF.js's first pipelines alone take seconds;
# on a software adapter more than three: from a cold shader cache it compiles every GEMM variant
# that fits (four unrolled templates per form: the per-variant table) and the CNN's conv families,
# which took 114 s of a 161 s quick bench on a shared, loaded 2-core machine
# (a cap: a bench that finishes sooner ends the stage sooner)
bench_s=$(( $(left) / 4 ))
min_bench=60
[ "$software" = 1 ] && min_bench=200
[ "$bench_s" -lt "$min_bench" ] && bench_s=$min_bench
stage bench "$bench_s" "$NODE" "$WORK/app/bench.mjs" $quick --pytorch none --out "$OUT/bench"
if [ -f "$B/peers/pytorch_vae.py" ]; then
  if command -v python3 >/dev/null 2>&1; then
    psteps=20
    [ -n "$quick" ] && psteps=3
    peer_s=$(( $(left) / 4 ))
    [ "$peer_s" -lt 60 ] && peer_s=60 # importing torch and starting CUDA alone take seconds
    stage pytorch-peer "$peer_s" python3 "$B/peers/pytorch_vae.py" --steps "$psteps" --json "$OUT/bench/pytorch.json"
  else
    printf 'pytorch-peer\tskipped (no python3)\t0\n' >>"$OUT/stages.tsv"
    say "pytorch peer: skipped, no python3 here"
  fi
fi

# the study gets what is left, less the report's few seconds; its hard stop is 60 s past that
study_s=$(( $(left) - 10 ))
[ "$study_s" -lt 20 ] && study_s=20
stage study $((study_s + 60)) "$NODE" "$WORK/app/study.mjs" --budget-s "$study_s" --data "$B/data/mnist" --out "$OUT/study"
stage report 60 "$NODE" "$WORK/app/report.mjs" --out "$OUT" --budget-s "$BUDGET"
# everything in one file too, for callers that can take back only a few, small files (the device
# tool: 8 files of 16 MiB): all but the trained weights, which are megabytes per model
tar -C "$OUT" --exclude=./all.tar --exclude='*.safetensors' -cf "$OUT/all.tar" . && say "packed: $OUT/all.tar (weights left out)"
say "done: $OUT/report.md"
