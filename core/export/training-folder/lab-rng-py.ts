/**
 * lab_rng.py of a PyTorch training folder: core/util/rng.ts ported to Python, integer for
 * integer (tested against the TypeScript generator), and the epoch order of
 * core/train/sample-order.ts. Python source, kept here as text because core reads no files.
 */
export const LAB_RNG_PY = String.raw`"""Backprop Lab's seeded random number generator, ported exactly from its core/util/rng.ts.

sfc32 seeded through splitmix32: the same seed gives the same 32-bit integers as the engine,
so uniform() gives the same doubles and shuffle() the same permutation. train.py draws the
batch order and the dropout masks from it. (The engine's normal() is not ported: the initial
weights come with the folder instead of being drawn again.)

    python3 lab_rng.py SEED [COUNT]   prints COUNT (default 8) of its 32-bit integers
"""
import math
import sys

_M = 0xFFFFFFFF


class Rng:
    """Same seed, same sequence as the engine's Rng (a seed is taken modulo 2**32)."""

    def __init__(self, seed):
        s = int(seed) & _M
        words = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & _M
            z = s
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & _M
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & _M
            words.append((z ^ (z >> 16)) & _M)
        self.a, self.b, self.c, self.d = words
        for _ in range(12):
            self.next_uint32()

    def next_uint32(self):
        """A uniformly distributed 32-bit unsigned integer."""
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & _M
        self.d = (d + 1) & _M
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & _M
        c = ((c << 21) | (c >> 11)) & _M
        self.c = (c + t) & _M
        return t

    def uint32s(self, count):
        """The next count integers, as a list (the same as calling next_uint32 that often)."""
        a, b, c, d = self.a, self.b, self.c, self.d
        out = [0] * count
        for i in range(count):
            t = (a + b + d) & _M
            d = (d + 1) & _M
            a = b ^ (b >> 9)
            b = (c + (c << 3)) & _M
            c = ((((c << 21) | (c >> 11)) & _M) + t) & _M
            out[i] = t
        self.a, self.b, self.c, self.d = a, b, c, d
        return out

    def uniform(self):
        """Uniform in [0, 1)."""
        return self.next_uint32() / 4294967296.0

    def int(self, n):
        """An integer in [0, n)."""
        return math.floor(self.uniform() * n)

    def shuffle(self, items):
        """Fisher-Yates shuffle in place, drawing as the engine does."""
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]


def epoch_order(rng, n, shuffle):
    """One epoch's sample order: 0..n-1, shuffled by rng when asked (core/train/sample-order.ts)."""
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return order


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print("usage: lab_rng.py SEED [COUNT]", file=sys.stderr)
        sys.exit(2)
    rng = Rng(int(sys.argv[1]))
    print(" ".join(str(v) for v in rng.uint32s(int(sys.argv[2]) if len(sys.argv) == 3 else 8)))
`;
