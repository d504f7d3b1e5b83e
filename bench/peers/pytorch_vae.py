#!/usr/bin/env python3
"""The PyTorch peer of the bench: the same VAE and training step as ours, in plain PyTorch.

Same shapes (784-400-128-10 MLP: encoder 784-400-128 -> [mu | logvar] (20), decoder 10-128-400-784,
ReLU between layers), batch 500, SGD lr 0.005, Bernoulli loss from logits, and the same KL as the
GPU model: closed form for the Gaussian prior, the one-sample estimate log q(z) - log p(z) for the
Student-t prior (nu 21; t-distributed noise N / sqrt(Gamma(nu/2, rate nu/2))). Runs on CUDA when
torch sees a GPU, else on the CPU. Images are random bytes, 80% zeros like MNIST (no op's cost
depends on pixel values), kept on the device as the whole data set, like ours and TF.js's.

Prints one JSON object (and writes it with --json PATH): per model the mean wall time of a
training step and of a validation step, after warm-up, synchronized with the device. Without
torch it prints {"available": false, "reason": "torch not installed"} and exits 0, so a bench on a
machine without torch still completes and says why this peer is missing.

  python3 bench/peers/pytorch_vae.py [--steps N] [--quick] [--json PATH]
"""
import argparse
import json
import os
import platform
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description="PyTorch peer of the tvae bench: step times of the same VAE")
    p.add_argument("--steps", type=int, default=20, help="timed training steps per model (after 2 warm-up steps)")
    p.add_argument("--quick", action="store_true", help="tiny shapes (64-32-16-4, batch 16), as npm run bench -- --quick")
    p.add_argument("--json", help="also write the JSON here")
    a = p.parse_args()
    if a.steps < 1:
        p.error(f"--steps must be at least 1, got {a.steps}")
    return a


def emit(result, path):
    text = json.dumps(result, indent=2)
    print(text)
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            f.write(text + "\n")


def main():
    args = parse_args()
    base = {"peer": "pytorch", "python": platform.python_version()}
    try:
        import torch
    except ImportError as e:
        emit({**base, "available": False, "reason": f"torch not installed ({e})"}, args.json)
        return 0

    hidden, latent, D, B = ([32, 16], 4, 64, 16) if args.quick else ([400, 128], 10, 784, 500)
    lr, nu = 0.005, 21.0
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(1)

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    enc_sizes = [D, *hidden, 2 * latent]
    dec_sizes = [latent, *reversed(hidden), D]

    def make_layers(sizes):
        # weights N(0, 0.1), zero biases: the GPU trainer's initialization
        ws, bs = [], []
        for i, o in zip(sizes[:-1], sizes[1:]):
            ws.append((0.1 * torch.randn(o, i, device=dev)).requires_grad_())
            bs.append(torch.zeros(o, device=dev, requires_grad=True))
        return ws, bs

    count = (args.steps + 4) * B
    gen = torch.Generator(device="cpu").manual_seed(7)
    keep = torch.rand(count, D, generator=gen) >= 0.8
    data = (torch.randint(0, 256, (count, D), generator=gen) * keep).float().div(255).to(dev)

    def mlp(x, ws, bs):
        for k, (w, b) in enumerate(zip(ws, bs)):
            x = torch.nn.functional.linear(x, w, b)
            if k < len(ws) - 1:
                x = torch.relu(x)
        return x

    def loss_fn(x, params, prior):
        ews, ebs, dws, dbs = params
        h = mlp(x, ews, ebs)
        mu, logvar = h[:, :latent], h[:, latent:]
        if prior == "gaussian":
            eps = torch.randn_like(mu)
            kl = -0.5 * torch.sum(1 + logvar - mu * mu - torch.exp(logvar), dim=1)
            z = mu + torch.exp(0.5 * logvar) * eps
        else:
            n = torch.randn_like(mu)
            g = torch._standard_gamma(torch.full_like(mu, nu / 2)) / (nu / 2)
            eps = n / torch.sqrt(g)
            z = mu + torch.exp(0.5 * logvar) * eps
            a = (nu + 1) / 2
            # log q(z) - log p(z) for one draw; the t normalizers cancel
            kl = torch.sum(-0.5 * logvar - a * torch.log1p(eps * eps / nu) + a * torch.log1p(z * z / nu), dim=1)
        logits = mlp(z, dws, dbs)
        re = torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
        return torch.mean(re + kl)

    flop = 0
    sizes = list(zip(enc_sizes[:-1], enc_sizes[1:])) + list(zip(dec_sizes[:-1], dec_sizes[1:]))
    for k, (i, o) in enumerate(sizes):
        flop += (2 if k == 0 else 3) * 2 * B * i * o  # forward, weight gradient, input gradient

    models = []
    for prior in ("gaussian", "t"):
        ews, ebs = make_layers(enc_sizes)
        dws, dbs = make_layers(dec_sizes)
        params = (ews, ebs, dws, dbs)
        flat = [*ews, *ebs, *dws, *dbs]
        opt = torch.optim.SGD(flat, lr=lr)
        loss_sum = torch.zeros((), device=dev)

        def train_step(s):
            nonlocal loss_sum
            x = data[s * B:(s + 1) * B]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(x, params, prior)
            loss.backward()
            opt.step()
            loss_sum = loss_sum + loss.detach()  # read once at the end, like ours

        for s in range(2):
            train_step(s)
        sync()
        loss_sum = torch.zeros((), device=dev)
        t0 = time.perf_counter()
        for s in range(2, 2 + args.steps):
            train_step(s)
        sync()
        step_ms = (time.perf_counter() - t0) * 1e3 / args.steps
        with torch.no_grad():
            loss_fn(data[:B], params, prior)  # warm-up of the no-grad path
            sync()
            t1 = time.perf_counter()
            loss_fn(data[B:2 * B], params, prior)
            sync()
            valid_ms = (time.perf_counter() - t1) * 1e3
        models.append({
            "model": prior, "stepMs": step_ms, "validMs": valid_ms, "steps": args.steps,
            "stepGflop": flop / 1e9, "meanLoss": float(loss_sum) / args.steps,
        })

    device_name = torch.cuda.get_device_name(0) if dev.type == "cuda" else platform.processor() or "cpu"
    emit({
        **base, "available": True, "torch": torch.__version__, "device": dev.type, "deviceName": device_name,
        "threads": torch.get_num_threads(), "quick": args.quick, "batch": B,
        "shape": {"encoder": enc_sizes[:-1], "latent": latent, "decoder": dec_sizes[1:]},
        "tf32": bool(dev.type == "cuda" and torch.backends.cuda.matmul.allow_tf32),
        "models": models,
    }, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
