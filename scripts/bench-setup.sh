#!/usr/bin/env bash
# Set-up for the bench's PyTorch peer (bench/peers/pytorch_vae.py): Debian's python3-torch, for
# Debian's /usr/bin/python3 (which npm run bench uses by default, --python to change it). Not part
# of scripts/setup.sh: the app and the tests never need torch, and it is large. Safe to run again.
set -euo pipefail
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "python3-torch already installed: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
  exit 0
fi
echo "installing Debian's python3-torch (the bench's PyTorch peer, on the CPU)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
/usr/bin/python3 -c 'import torch; print("python3-torch", torch.__version__)'
