#!/usr/bin/env python3
"""Prints what lab_rng.py of a training folder draws, for the port's test against core/util/rng.ts.

    rng_outputs.py FOLDER REQUEST_JSON

REQUEST_JSON: {"seeds": [...], "count": N, "n": N, "epochs": E}. Prints one JSON object with,
per seed, its first `count` 32-bit integers, uniforms and int(7) draws (each from a fresh
generator), and `epochs` shuffled epoch orders of n samples.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from lab_rng import Rng, epoch_order  # noqa: E402

request = json.loads(sys.argv[2])
out = []
for seed in request["seeds"]:
    count = request["count"]
    ints = Rng(seed).uint32s(count)
    one_by_one = Rng(seed)
    singles = [one_by_one.next_uint32() for _ in range(count)]
    u = Rng(seed)
    uniforms = [u.uniform() for _ in range(count)]
    k = Rng(seed)
    picks = [k.int(7) for _ in range(count)]
    o = Rng(seed)
    orders = [epoch_order(o, request["n"], True) for _ in range(request["epochs"])]
    out.append({"uint32s": ints, "singles": singles, "uniforms": uniforms, "ints": picks, "orders": orders})
print(json.dumps(out))
