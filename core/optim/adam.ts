import { kernelFloats } from '../ops/kernels/resident';
import { adamWasm } from '../ops/kernels/vector';
import type { Tensor, TensorData } from '../tensor/tensor';
import { type Optimizer, type StateFields, type WeightState, zeroGrads } from './optimizer';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * Adam exactly as torch.optim.Adam (L2 weight decay added to the gradient, no amsgrad):
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
 */
export class Adam implements Optimizer {
  private readonly state = new Map<Tensor, { m: TensorData; v: TensorData; t: number }>();
  steps = 0;
  readonly stateFields: StateFields = { m: 'buffer', v: 'buffer', t: 'count' };

  constructor(
    private readonly params: readonly Tensor[],
    private readonly o: AdamOptions,
  ) {}

  stateOf(p: Tensor): WeightState | null {
    const s = this.state.get(p);
    return s ? { m: Float32Array.from(s.m), v: Float32Array.from(s.v), t: s.t } : null;
  }

  setStateOf(p: Tensor, s: WeightState): void {
    this.state.set(p, {
      m: Float32Array.from(s.m as Float32Array),
      v: Float32Array.from(s.v as Float32Array),
      t: s.t as number,
    });
  }

  step(): void {
    const lr = this.o.lr,
      b1 = this.o.beta1 ?? 0.9,
      b2 = this.o.beta2 ?? 0.999,
      eps = this.o.eps ?? 1e-8,
      wd = this.o.weightDecay ?? 0;
    for (const p of this.params) {
      if (!p.grad) continue;
      let s = this.state.get(p);
      if (!s) {
        s = { m: kernelFloats(p.size), v: kernelFloats(p.size), t: 0 };
        this.state.set(p, s);
      }
      s.t++;
      const bc1 = 1 - Math.pow(b1, s.t);
      const bc2 = 1 - Math.pow(b2, s.t);
      const stepSize = lr / bc1;
      const bc2Sqrt = Math.sqrt(bc2);
      const P = p.data,
        G = p.grad.data,
        M = s.m,
        V = s.v;
      // Where the arrays live in the kernels' memory, WebAssembly updates all but an odd last
      // value, with the same float64 arithmetic as the loop, which does the rest.
      const even = P.length & ~1;
      const from = adamWasm(P, G, M, V, even, { wd, b1, b2, step: stepSize, bc2Sqrt, eps })
        ? even
        : 0;
      for (let i = from; i < P.length; i++) {
        const g = G[i] + wd * P[i];
        M[i] = b1 * M[i] + (1 - b1) * g;
        V[i] = b2 * V[i] + (1 - b2) * g * g;
        P[i] -= (stepSize * M[i]) / (Math.sqrt(V[i]) / bc2Sqrt + eps);
      }
    }
    this.steps++;
  }

  zeroGrad(): void {
    zeroGrads(this.params);
  }
}
