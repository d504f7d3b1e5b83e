#!/usr/bin/env bash
# Set-up for the bench's peers only (not for training: scripts/setup.sh never installs these).
# The PyTorch peer (bench/peers/pytorch_vae.py) runs on the CPU with Debian's python3-torch and
# /usr/bin/python3 (npm run bench's default --python: a python3 earlier on the PATH may lack it).
# The jax-js and TF.js peers are npm packages, installed by setup. Safe to run again: skipped when
# torch already imports.
set -euo pipefail
cd "$(dirname "$0")/.."
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "python3-torch already installed ($(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))"
else
  echo "installing Debian's python3-torch for the bench's PyTorch peer"
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo) # apt needs root
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
  echo "python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') installed"
fi
