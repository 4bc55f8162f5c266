/**
 * Buffers for the tensors of one training step, reused step after step. Allocating typed
 * arrays is what dominates the cost of a small network's step, and every step of a run has the
 * same shapes, so the engine's own intermediate buffers (outputs, gradients, saved tensors) come
 * from here while a step runs and all go back when it ends. Reused buffers are zeroed.
 *
 * Only the engine's ops draw from the arena; tensors a plugin makes with ctx.zeros or ctx.tensor
 * and weights are ordinary allocations, so nothing a user keeps is ever overwritten.
 */
export class BufferArena {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly used: Float32Array[] = [];

  f32(n: number): Float32Array {
    const list = this.free.get(n);
    const a = list?.pop();
    if (a) {
      a.fill(0);
      this.used.push(a);
      return a;
    }
    const fresh = new Float32Array(n);
    this.used.push(fresh);
    return fresh;
  }

  /** Give every buffer handed out since the last reset back for reuse. */
  reset(): void {
    for (const a of this.used) {
      let list = this.free.get(a.length);
      if (!list) {
        list = [];
        this.free.set(a.length, list);
      }
      list.push(a);
    }
    this.used.length = 0;
  }
}

export const arenaState: { current: BufferArena | null } = { current: null };

/** Run `fn` with its engine buffers drawn from `arena`; they are all released afterwards. */
export function inArena<T>(arena: BufferArena, fn: () => T): T {
  const prev = arenaState.current;
  arenaState.current = arena;
  try {
    return fn();
  } finally {
    arenaState.current = prev;
    arena.reset();
  }
}
