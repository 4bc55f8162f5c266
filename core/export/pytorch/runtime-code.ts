/** The part of every exported `.py` file that does not depend on the network. */

/** Reads safetensors with struct, json and numpy only (no `safetensors` package needed). */
export const READ_SAFETENSORS = `
def read_safetensors(path):
    """The tensors of a .safetensors file as float32 torch tensors, by name."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    data = raw[8 + n :]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        chunk, dtype = data[begin:end], entry["dtype"]
        if dtype == "BF16":  # the upper half of a float32
            values = (np.frombuffer(chunk, dtype="<u2").astype("<u4") << 16).view("<f4")
        elif dtype in ("F32", "F64", "F16"):
            values = np.frombuffer(chunk, dtype={"F32": "<f4", "F64": "<f8", "F16": "<f2"}[dtype])
        else:
            raise ValueError(f"{path}: tensor {name!r} has dtype {dtype}; expected F32, F64, F16 or BF16")
        array = values.astype(np.float32).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors
`;

export const LOAD = `
def load(weights_path):
    """build(), then the weights of a .safetensors file exported by Backprop Lab; in eval mode."""
    tensors = read_safetensors(weights_path)
    missing = [name for name in WEIGHT_NAMES if name not in tensors]
    extra = [name for name in tensors if name not in WEIGHT_NAMES]
    if missing or extra:
        raise ValueError(
            f"{weights_path}: the weights do not match this network: "
            f"missing {missing or 'none'}, not in the network {extra or 'none'}"
        )
    net = build()
    # Buffers (the input normalization, when there is one) are part of the code, not the file.
    state = dict(net.named_buffers())
    state.update({WEIGHT_NAMES[name]: value for name, value in tensors.items()})
    net.load_state_dict(state)
    return net.eval()
`;

export const MAIN = `
if __name__ == "__main__":
    if len(sys.argv) > 1:
        net = load(sys.argv[1])
    else:
        print("no weights file given: using PyTorch's initial weights", file=sys.stderr)
        net = build().eval()
    with torch.no_grad():
        print(net(torch.zeros(1, *INPUT_SHAPE)))
`;
