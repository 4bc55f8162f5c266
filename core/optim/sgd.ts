import { kernelFloats } from '../ops/kernels/resident';
import { sgdMomentumWasm, sgdWasm } from '../ops/kernels/vector';
import type { Tensor, TensorData } from '../tensor/tensor';
import { type Optimizer, type StateFields, type WeightState, zeroGrads } from './optimizer';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  weightDecay?: number;
}

/**
 * Stochastic gradient descent exactly as torch.optim.SGD (dampening 0, no Nesterov):
 * g ← g + λθ;  b ← g on the first step, else μb + g;  θ ← θ − η·b.
 */
export class Sgd implements Optimizer {
  private readonly buffers = new Map<Tensor, TensorData>();
  steps = 0;
  readonly stateFields: StateFields = { momentum: 'buffer' };

  constructor(
    private readonly params: readonly Tensor[],
    private readonly o: SgdOptions,
  ) {}

  stateOf(p: Tensor): WeightState | null {
    const b = this.buffers.get(p);
    return b ? { momentum: Float32Array.from(b) } : null;
  }

  setStateOf(p: Tensor, s: WeightState): void {
    this.buffers.set(p, Float32Array.from(s.momentum as Float32Array));
  }

  step(): void {
    const { lr } = this.o;
    const mu = this.o.momentum ?? 0;
    const wd = this.o.weightDecay ?? 0;
    for (const p of this.params) {
      if (!p.grad) continue;
      const P = p.data,
        G = p.grad.data;
      // Where the arrays live in the kernels' memory, WebAssembly updates all but an odd last
      // value, with the same float64 arithmetic as the loops, which do the rest.
      const even = P.length & ~1;
      if (mu === 0) {
        const from = sgdWasm(P, G, even, lr, wd) ? even : 0;
        for (let i = from; i < P.length; i++) P[i] -= lr * (G[i] + wd * P[i]);
        continue;
      }
      let B = this.buffers.get(p);
      const first = !B;
      if (!B) {
        B = kernelFloats(P.length);
        this.buffers.set(p, B);
      }
      const from = sgdMomentumWasm(P, G, B, even, { lr, wd, mu, first }) ? even : 0;
      if (first) for (let i = from; i < P.length; i++) B[i] = G[i] + wd * P[i];
      else for (let i = from; i < P.length; i++) B[i] = mu * B[i] + (G[i] + wd * P[i]);
      for (let i = from; i < P.length; i++) P[i] -= lr * B[i];
    }
    this.steps++;
  }

  zeroGrad(): void {
    zeroGrads(this.params);
  }
}
