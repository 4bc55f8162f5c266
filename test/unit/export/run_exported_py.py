#!/usr/bin/env python3
"""Runs a .py file exported by Backprop Lab, for the export tests.

    run_exported_py.py MODULE.py WEIGHTS.safetensors INPUT.f32 DIMS_JSON

Imports the module from its path, calls load(WEIGHTS), runs the network on the float32 input
(little-endian, shape DIMS_JSON) and prints one JSON object: the output's shape and values, the
state_dict keys and shapes, and, when forward raised NotImplementedError, its message.
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def main(module_path, weights_path, input_path, dims_json):
    spec = importlib.util.spec_from_file_location("exported_network", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.load(weights_path)
    result = {
        "training": net.training,
        "stateDict": {k: list(v.shape) for k, v in net.state_dict().items()},
        "weightNames": module.WEIGHT_NAMES,
        "inputShape": list(module.INPUT_SHAPE),
        "outputShape": list(module.OUTPUT_SHAPE),
    }
    dims = json.loads(dims_json)
    x = torch.from_numpy(np.fromfile(input_path, dtype="<f4").reshape(dims).copy())
    try:
        with torch.no_grad():
            y = net(x)
        result["shape"] = list(y.shape)
        result["values"] = [float(v) for v in y.reshape(-1).tolist()]
    except NotImplementedError as e:
        result["notImplemented"] = str(e)
        result["loadedWeights"] = {
            k: [float(v) for v in t.reshape(-1).tolist()] for k, t in net.state_dict().items()
        }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print("usage: run_exported_py.py MODULE.py WEIGHTS.safetensors INPUT.f32 DIMS_JSON", file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
