#!/usr/bin/env bash
# Installs Mesa 25's lavapipe (Debian 12 bookworm-backports' mesa-vulkan-drivers) into the
# project-local .vendor/lavapipe/ for the plain-Node runtime: Dawn rejects Debian 12's own Mesa 22
# lavapipe, and Mesa 25's runs our kernels ~3.5x faster than SwiftShader (/work/shared/webgpu.md).
# The system's apt state and graphics stack are untouched: the packages are fetched with a private
# sources list, lists and cache (from the mirror the machine already uses) and unpacked with
# dpkg -x, never installed. Writes .vendor/lavapipe/lvp_icd.json last, with an absolute
# library_path; src/node/vulkan_driver.ts looks for that file.
#   bash scripts/lavapipe.sh            install (skipped when done); exit 1 with a reason if it cannot
#   bash scripts/lavapipe.sh --mirror   print the Debian mirror found in $TVAE_APT_ETC (default /etc/apt)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_ETC="${TVAE_APT_ETC:-/etc/apt}"
DEST="$PWD/.vendor/lavapipe"
ICD="$DEST/lvp_icd.json"

# The first mirror serving suite "bookworm" (not -security, -updates), from one-line .list files
# or deb822 .sources files. Read at run time so the repository names no host.
find_mirror() {
  local f
  for f in "$APT_ETC/sources.list" "$APT_ETC"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } if ($(i + 1) == "bookworm") { print $i; exit } }' "$f"
  done
  for f in "$APT_ETC"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # blocks separated by blank lines; a block's URIs and Suites fields
    awk 'BEGIN { RS = ""; FS = "\n" } {
      uri = ""; hit = 0; deb = 0
      for (j = 1; j <= NF; j++) {
        if ($j ~ /^Types:/ && $j ~ /[[:space:]]deb([[:space:]]|$)/) deb = 1
        if ($j ~ /^URIs:/) { split($j, u, /[[:space:]]+/); uri = u[2] }
        if ($j ~ /^Suites:/) { n = split($j, s, /[[:space:]]+/); for (k = 2; k <= n; k++) if (s[k] == "bookworm") hit = 1 }
      }
      if (deb && hit && uri != "") { print uri; exit }
    }' "$f"
  done
}

mirror=$(find_mirror | sed -n 1p) # sed reads all: head would SIGPIPE the awks under pipefail
if [ "${1:-}" = "--mirror" ]; then
  [ -n "$mirror" ] && echo "$mirror"
  exit 0
fi

lib_of_icd() { sed -n 's/.*"library_path": *"\([^"]*\)".*/\1/p' "$ICD"; }
if [ -f "$ICD" ] && [ -f "$(lib_of_icd)" ]; then
  exit 0 # done before
fi

command -v apt-get >/dev/null && command -v dpkg >/dev/null || { echo "no apt-get/dpkg: not a Debian machine"; exit 1; }
[ -n "$mirror" ] || { echo "no Debian bookworm mirror found in $APT_ETC/sources.list or $APT_ETC/sources.list.d/"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/debs" "$work/root"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
signed=""
[ -f "$keyring" ] && signed="[signed-by=$keyring] "
# bookworm for dependencies the machine lacks (e.g. libllvm15), bookworm-backports for Mesa 25
cat >"$work/sources.list" <<EOF
deb ${signed}$mirror bookworm main
deb ${signed}$mirror bookworm-backports main
EOF
# Private sources, preferences, lists and cache; the system's dpkg status is only read, so the
# simulated install below lists exactly what this machine lacks. The system's apt.conf.d (a proxy,
# say) still applies. The sandbox user is us: _apt cannot write into our private folders.
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=$work/parts"
  -o "Dir::Etc::preferences=$work/none" -o "Dir::Etc::preferencesparts=$work/parts"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=$(id -un)" -qq)

echo "lavapipe: fetching Mesa 25's lavapipe (Debian 12 backports) into .vendor/lavapipe/ from $mirror"
apt-get "${apt_opts[@]}" update || { echo "apt-get update of the private lists failed"; exit 1; }
# what installing mesa-vulkan-drivers from backports would add or upgrade here (libdrm2 and
# libdrm-amdgpu1 from backports; on a bare machine also libllvm15 & co. from bookworm)
# as pkg=version: a plain name would download bookworm's version (backports is not the default)
pkgs=$(apt-get "${apt_opts[@]}" -s install --no-install-recommends \
  mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports 2>/dev/null |
  awk '$1 == "Inst" { v = ($3 ~ /^\[/) ? $4 : $3; sub(/^\(/, "", v); print $2 "=" v }')
echo "$pkgs" | grep -q '^mesa-vulkan-drivers=.*bpo' || { echo "bookworm-backports has no installable mesa-vulkan-drivers"; exit 1; }
(cd "$work/debs" && apt-get "${apt_opts[@]}" download $pkgs) || { echo "apt-get download failed for: $pkgs"; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done

lib=$(find "$work/root/usr/lib" -name libvulkan_lvp.so | head -n 1)
[ -n "$lib" ] || { echo "the backports package holds no libvulkan_lvp.so"; exit 1; }
libdir_rel=$(dirname "${lib#"$work/root/"}")
missing=$(LD_LIBRARY_PATH="$work/root/$libdir_rel" ldd "$lib" | awk '/not found/ { print $1 }')
[ -z "$missing" ] || { echo "libvulkan_lvp.so still misses: $missing"; exit 1; }

rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mv "$work/root" "$DEST.tmp"
mkdir -p "$DEST"
mv "$DEST.tmp" "$DEST/root"
api=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$DEST"/root/usr/share/vulkan/icd.d/lvp_icd*.json | head -n 1)
# written last: its presence means the folder is complete
cat >"$ICD.tmp" <<EOF
{
    "ICD": {
        "api_version": "${api:-1.3.0}",
        "library_path": "$DEST/root/$libdir_rel/libvulkan_lvp.so"
    },
    "file_format_version": "1.0.0"
}
EOF
mv "$ICD.tmp" "$ICD"
echo "lavapipe: installed, ICD $ICD; unpacked:" $pkgs
