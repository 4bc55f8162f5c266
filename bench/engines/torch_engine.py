"""One engine of `npm run bench`: PyTorch training a workload, driven over stdin/stdout.

Started by bench/engines/torch.ts with the workload's files in a folder (meta.json, x.f32,
y.f32, and each layer's weight and bias as float32): the same weights, the same batches in the
same order as our engine. Reads one command per line and answers with one JSON line:
  warmup N                       -> {"first": loss of step 1, "last": loss of step N}
  window MIN_STEPS MIN_SECONDS   -> {"steps": s, "seconds": t, "cpuSeconds": c}
  steps N                        -> {"steps": N, "seconds": t, "cpuSeconds": c}
(t: wall time, perf_counter; c: CPU time of this process, all its threads, process_time).
The first line it writes describes the engine (version, threads, the BLAS library loaded).
"""

import json
import os
import sys
import time

import numpy as np
import torch

folder = sys.argv[1]
threads = int(sys.argv[2])
torch.set_num_threads(threads)
meta = json.load(open(os.path.join(folder, "meta.json")))


def floats(name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(folder, name), dtype=np.float32).reshape(shape))


widths = meta["widths"]
layers = []
for l in range(1, len(widths)):
    lin = torch.nn.Linear(widths[l - 1], widths[l])
    with torch.no_grad():
        lin.weight.copy_(floats(f"fc{l}.weight.f32", (widths[l], widths[l - 1])))
        lin.bias.copy_(floats(f"fc{l}.bias.f32", (widths[l],)))
    layers.append(lin)
    if l < len(widths) - 1 or meta["activateOutput"]:
        layers.append(torch.nn.ReLU() if meta["activation"] == "ReLU" else torch.nn.Sigmoid())
model = torch.nn.Sequential(*layers)
n, b = meta["n"], meta["batchSize"]
x = floats("x.f32", (n, widths[0]))
classes = meta["loss"] == "CrossEntropy"
y = floats("y.f32", (n,) if classes else (n, widths[-1]))
if classes:
    y = y.long()
loss_fn = torch.nn.CrossEntropyLoss() if classes else torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=meta["lr"])
batches = [(x[i * b : (i + 1) * b], y[i * b : (i + 1) * b]) for i in range(meta["batches"])]
at = 0


def step():
    global at
    xb, yb = batches[at % len(batches)]
    at += 1
    optimizer.zero_grad()
    loss = loss_fn(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()


step_count = 0


def blas():
    """The BLAS libraries this process has loaded, from its memory map."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path).lower():
                libs.add(os.path.realpath(path))
    return sorted(libs)


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


torch.matmul(x[:b], x[:b].T)  # loads the BLAS before it is named
answer({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()})
for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "warmup":
        first = last = step()
        for _ in range(int(cmd[1]) - 1):
            last = step()
        answer({"first": first, "last": last})
    elif cmd[0] == "window":
        min_steps, min_seconds = int(cmd[1]), float(cmd[2])
        t0, c0 = time.perf_counter(), time.process_time()
        steps = 0
        while True:
            step()
            steps += 1
            seconds = time.perf_counter() - t0
            if steps >= min_steps and seconds >= min_seconds:
                break
        answer({"steps": steps, "seconds": seconds, "cpuSeconds": time.process_time() - c0})
    elif cmd[0] == "steps":
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(int(cmd[1])):
            step()
        answer(
            {
                "steps": int(cmd[1]),
                "seconds": time.perf_counter() - t0,
                "cpuSeconds": time.process_time() - c0,
            }
        )
    elif cmd[0] == "quit":
        break
