/**
 * train.py of a PyTorch training folder: the same for every project (training.json says what
 * differs). It reproduces the engine's Trainer (core/train/trainer.ts): the batch order, the
 * dropout masks, the loss as a mean over the global batch, the optimizer, the per-epoch
 * history, and runs data-parallel under torchrun. Python source, kept here as text because core
 * reads no files.
 */
export const TRAIN_PY = String.raw`#!/usr/bin/env python3
"""Train this network in PyTorch as Backprop Lab trains it: same data, split, normalization,
initial weights, loss, optimizer, batch order and dropout masks (README.md says what is
reproduced and how closely).

    python3 train.py [--epochs N] [--device cpu|cuda] [--out trained.safetensors] [--history FILE]

Data-parallel, with DistributedDataParallel (gloo on the CPU, nccl on GPUs), each global batch
split across the processes:

    torchrun --nproc_per_node=2 train.py [options]

or start the processes yourself with the variables torchrun sets: MASTER_ADDR, MASTER_PORT,
RANK, WORLD_SIZE and LOCAL_RANK. Needs only torch and numpy.
"""
import argparse
import json
import math
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import model  # noqa: E402  the network, exported by Backprop Lab
from lab_rng import Rng, epoch_order  # noqa: E402  the engine's generator, ported exactly

CONFIG_FORMAT = "backprop-lab.pytorch-training"
HISTORY_FORMAT = "backprop-lab.pytorch-history"


def main():
    args = parse_args()
    config = json.loads((HERE / "training.json").read_text(encoding="utf-8"))
    if config.get("format") != CONFIG_FORMAT or config.get("version") != 1:
        fail(f"{HERE / 'training.json'} is not a {CONFIG_FORMAT} file, version 1")
    epochs = config["epochs"] if args.epochs is None else args.epochs

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(args.device, local_rank, world)
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")

    data = model.read_safetensors(HERE / "data.safetensors")
    train_x, train_y = data["train.x"].to(device), data["train.y"].to(device)
    test_x, test_y = data["test.x"].to(device), data["test.y"].to(device)

    net = model.build()
    initial = model.read_safetensors(HERE / "initial.safetensors")
    # The input normalization's buffers, when there is one, are part of model.py, not the file.
    state = dict(net.named_buffers())
    state.update({model.WEIGHT_NAMES[name]: t for name, t in initial.items()})
    net.load_state_dict(state)
    parameters = dict(net.named_parameters())
    trainable = set(config["trainable"])
    for name, key in model.WEIGHT_NAMES.items():
        parameters[key].requires_grad_(name in trainable)
    masks = MaskStream(config["dropoutSeed"])
    for name, child in list(net.named_children()):
        if isinstance(child, nn.Dropout):
            setattr(net, name, EngineDropout(child.p, masks))
    net.to(device).train()
    learned = [p for p in net.parameters() if p.requires_grad]
    stepper = net
    # With nothing to learn (every weight frozen) there are no gradients to share or apply.
    if world > 1 and learned:
        ids = [device.index] if device.type == "cuda" else None
        stepper = nn.parallel.DistributedDataParallel(net, device_ids=ids)
    optimizer = make_optimizer(config["optimizer"], learned) if learned else None

    loss_of = Loss(config)
    batch_size = config["batchSize"]
    n = train_x.shape[0]
    batches = math.ceil(n / batch_size)
    shuffle_rng = Rng(config["shuffleSeed"])
    history = []
    samples = 0
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        order = epoch_order(shuffle_rng, n, config["shuffle"])
        loss_sum = 0.0
        correct = 0.0
        for b in range(batches):
            start, end = b * batch_size, min((b + 1) * batch_size, n)
            size = end - start
            lo, hi = start + (size * rank) // world, start + (size * (rank + 1)) // world
            masks.batch(size, lo - start, hi - start)
            rows = torch.tensor(order[lo:hi], dtype=torch.long, device=device)
            x, y = train_x[rows], loss_of.targets(train_y[rows])
            out = stepper(x)
            total, count = loss_of.sum(out, y), loss_of.count(size)
            value = total.item()
            if not math.isfinite(value):
                fail(
                    f"training diverged at epoch {epoch}, batch {b + 1}: the {loss_of.type} loss is "
                    f"{value}; try a smaller learning rate",
                    code=1,
                )
            if optimizer is not None:
                optimizer.zero_grad(set_to_none=True)
                # Each process's share of the global batch's mean; DistributedDataParallel
                # averages the gradients over the processes, hence the factor world.
                (total * (world / count)).backward()
                optimizer.step()
            loss_sum += value * size / count
            c = loss_of.correct(out.detach(), y)
            correct += 0.0 if c is None else c
            samples += size
        if world > 1:
            sums = torch.tensor([loss_sum, correct], dtype=torch.float64, device=device)
            dist.all_reduce(sums)
            loss_sum, correct = sums.tolist()
        if rank == 0:
            test = evaluate(net, loss_of, test_x, test_y, config["evalBatchSize"])
            stats = {
                "epoch": epoch,
                "trainLoss": loss_sum / n,
                "trainAccuracy": None if loss_of.no_accuracy else correct / n,
                "testLoss": test[0] if test else None,
                "testAccuracy": test[1] if test else None,
            }
            history.append(stats)
            if not args.quiet:
                print(progress_line(stats, epochs), file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started

    if rank == 0:
        out_path = Path(args.out)
        weights = {
            name: parameters[key].detach().to("cpu", torch.float32).contiguous()
            for name, key in model.WEIGHT_NAMES.items()
        }
        write_safetensors(out_path, weights, read_metadata(HERE / "initial.safetensors"))
        initial_eval = None
        if not history:
            initial_eval = (
                evaluate(net, loss_of, train_x, train_y, config["evalBatchSize"]),
                evaluate(net, loss_of, test_x, test_y, config["evalBatchSize"]),
            )
        report = history_report(config, epochs, world, device, history, initial_eval, out_path)
        report["timing"] = {
            "seconds": seconds,
            "samples": samples,
            "samplesPerSecond": samples / seconds if seconds > 0 else 0,
        }
        history_path = Path(args.history) if args.history else out_path.with_suffix(".history.json")
        write_text_atomic(history_path, json.dumps(finite_or_null(report), indent=2) + "\n")
        if not args.quiet:
            print(f"wrote {out_path}\nwrote {history_path}")
    if world > 1:
        dist.destroy_process_group()


def parse_args():
    p = argparse.ArgumentParser(description="Train the exported network as Backprop Lab does.")
    p.add_argument("--epochs", type=int, help="train N epochs instead of the project's")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="default: cpu")
    p.add_argument("--out", default="trained.safetensors", help="the trained weights")
    p.add_argument("--history", help="loss and accuracy per epoch (default: OUT.history.json)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = p.parse_args()
    if args.epochs is not None and args.epochs < 0:
        p.error("--epochs must be a whole number >= 0")
    return args


def pick_device(name, local_rank, world):
    if name == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        fail("--device cuda: this PyTorch sees no CUDA device (torch.cuda.is_available() is False)")
    index = local_rank if world > 1 else 0
    torch.cuda.set_device(index)
    return torch.device("cuda", index)


def make_optimizer(o, params):
    if o["type"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], weight_decay=o["weightDecay"])
    if o["type"] == "adam":
        return torch.optim.Adam(
            params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weightDecay"]
        )
    fail(f"training.json: unknown optimizer {o['type']!r}")


class Loss:
    """The project's loss as the engine computes it: a mean over the global batch."""

    def __init__(self, config):
        self.type = config["loss"]
        self.index_targets = config["targets"]["kind"] == "index"
        self.target_shape = config["targets"]["shape"]
        self.per_sample = 1 if self.type == "CrossEntropy" else math.prod(config["outputShape"])
        self.no_accuracy = self.type == "MSE" and not config["classTargets"]

    def targets(self, y):
        if self.index_targets:
            return y[:, 0].long()
        return y.reshape(y.shape[0], *self.target_shape)

    def count(self, size):
        """How many values the mean runs over: one per sample (CrossEntropy) or per output value."""
        return size * self.per_sample

    def sum(self, out, y):
        if self.type == "BCE":
            return F.binary_cross_entropy(out, y, reduction="sum")
        if self.type == "BCEWithLogits":
            return F.binary_cross_entropy_with_logits(out, y, reduction="sum")
        if self.type == "MSE":
            return F.mse_loss(out, y, reduction="sum")
        return F.cross_entropy(out, y, reduction="sum")

    def correct(self, out, y):
        """Correct predictions as the engine counts them (core/train/metrics.ts), or None."""
        if self.type == "CrossEntropy":
            want = y if self.index_targets else y.argmax(dim=1)
            return float((out.argmax(dim=1) == want).sum().item())
        if self.no_accuracy:
            return None
        cut = 0.0 if self.type == "BCEWithLogits" else 0.5
        hits = ((out > cut) == (y > 0.5)).sum().item()
        return hits / self.per_sample


def evaluate(net, loss_of, x, y, batch_size):
    """Mean loss and accuracy in evaluation mode (dropout off), as the engine's evaluate()."""
    n = x.shape[0]
    if n == 0:
        return None
    net.eval()
    loss_sum, correct = 0.0, 0.0
    with torch.no_grad():
        for s in range(0, n, batch_size):
            e = min(s + batch_size, n)
            out, t = net(x[s:e]), loss_of.targets(y[s:e])
            loss_sum += loss_of.sum(out, t).item() / loss_of.count(e - s) * (e - s)
            c = loss_of.correct(out, t)
            correct += 0.0 if c is None else c
    net.train()
    return loss_sum / n, None if loss_of.no_accuracy else correct / n


class MaskStream:
    """The engine's dropout generator: every process draws the whole global batch's masks, in
    the order the layers run, and keeps the rows of its own share."""

    def __init__(self, seed):
        self.rng = Rng(seed)
        self.size, self.lo, self.hi = 0, 0, 0

    def batch(self, size, lo, hi):
        self.size, self.lo, self.hi = size, lo, hi

    def mask(self, x, p):
        keep = 1.0 - p
        per_row = math.prod(x.shape[1:])
        draws = np.array(self.rng.uint32s(self.size * per_row), dtype=np.float64) / 4294967296.0
        scale = np.float32(1.0 / keep)
        m = np.where(draws < keep, scale, np.float32(0)).astype(np.float32)
        rows = m.reshape(self.size, *x.shape[1:])[self.lo : self.hi]
        return torch.from_numpy(np.ascontiguousarray(rows)).to(x.device)


class EngineDropout(nn.Module):
    """Inverted dropout with the engine's masks (core/ops/dropout.ts); the identity in eval mode."""

    def __init__(self, p, stream):
        super().__init__()
        self.p = p
        self.stream = stream

    def forward(self, x):
        if not self.training or self.p <= 0:
            return x
        return x * self.stream.mask(x, self.p)


def history_report(config, epochs, world, device, history, initial_eval, out_path):
    last = history[-1] if history else None
    train0, test0 = initial_eval if initial_eval else (None, None)
    return {
        "format": HISTORY_FORMAT,
        "version": 1,
        "name": config["name"],
        "epochs": epochs,
        "seed": config["seed"],
        "batchSize": config["batchSize"],
        "processes": world,
        "device": str(device),
        "loss": {
            "type": config["loss"],
            "final": last["trainLoss"] if last else (train0[0] if train0 else None),
            "history": [h["trainLoss"] for h in history],
            "testFinal": last["testLoss"] if last else (test0[0] if test0 else None),
            "testHistory": [h["testLoss"] for h in history],
        },
        "accuracy": {
            "final": last["trainAccuracy"] if last else (train0[1] if train0 else None),
            "testFinal": last["testAccuracy"] if last else (test0[1] if test0 else None),
            "train": [h["trainAccuracy"] for h in history],
            "test": [h["testAccuracy"] for h in history],
        },
        "weights": str(out_path),
    }


def progress_line(s, epochs):
    parts = [f"epoch {s['epoch']}/{epochs}", f"loss {s['trainLoss']:.6g}"]
    if s["testLoss"] is not None:
        parts.append(f"test loss {s['testLoss']:.6g}")
    if s["trainAccuracy"] is not None:
        parts.append(f"accuracy {100 * s['trainAccuracy']:.1f}%")
    return "  ".join(parts)


def finite_or_null(v):
    """NaN and infinities as null, which JSON can hold (as the engine's report does)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: finite_or_null(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite_or_null(x) for x in v]
    return v


def read_metadata(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n).decode("utf-8")).get("__metadata__", {})


def write_safetensors(path, tensors, metadata):
    """float32, little-endian, tensors sorted by name, as Backprop Lab writes them."""
    header, offset, chunks = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        raw = tensors[name].numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    write_bytes_atomic(path, struct.pack("<Q", len(text)) + text + b"".join(chunks))


def write_bytes_atomic(path, data):
    """Through a temporary file and a rename: a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(path, text):
    write_bytes_atomic(path, text.encode("utf-8"))


def fail(message, code=2):
    print(f"train.py: {message}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
`;
