import type { CompiledGraph } from '../../graph/compile';
import { bceBackward, bceValue } from '../../losses/bce';
import { bceWithLogitsBackward, bceWithLogitsValue } from '../../losses/bce-with-logits';
import { crossEntropyBackward, crossEntropyValue } from '../../losses/cross-entropy';
import type { LossType } from '../../losses';
import { mseBackward, mseForward } from '../../losses/mse';
import type { Model } from '../../model/model';
import type { FusedStep } from '../../layers/fused';
import { softmaxForward } from '../../ops/softmax';
import { Tensor } from '../../tensor/tensor';
import { LabError } from '../../util/errors';
import { Rng } from '../../util/rng';
import { type ChainStep, chainSteps } from './plan';

/** A node's weights as its kernel reads them, and the gradient buffers it writes. */
interface StepWeights {
  data: Record<string, Float32Array>;
  grads: Record<string, Float32Array | null>;
  /** Each weight that learns and its gradient buffer, reused every step; handed to the optimizer as `.grad`. */
  learning: [Tensor, Tensor][];
}

/** Everything one batch size needs, allocated once. */
interface Buffers {
  x: Float32Array;
  y: Float32Array;
  outs: Float32Array[];
  grads: (Float32Array | null)[];
  /** What each node's kernel is handed, forward and backward. */
  calls: FusedStep[];
  /** ŷ − y for MSE, softmax(z) for CrossEntropy. */
  lossTmp: Float32Array;
  xT: Tensor;
  yT: Tensor;
  outT: Tensor;
}

/**
 * A fused training step for plain chains of layers with fused kernels: each layer's kernel
 * computes what its forward and backward on the tape compute, in the same order — so the
 * weights come out bit for bit the same — but on buffers allocated once per batch size, so a
 * steady-state step allocates nothing.
 */
export class ChainRunner {
  private readonly weights: StepWeights[];
  private readonly byBatch = new Map<number, Buffers>();
  private current: Buffers | null = null;
  private batch = 0;

  private constructor(
    private readonly graph: CompiledGraph,
    private readonly steps: ChainStep[],
    private readonly loss: LossType,
    model: Model,
  ) {
    this.weights = steps.map((s) => {
      const w: StepWeights = { data: {}, grads: {}, learning: [] };
      for (const [name, t] of Object.entries(model.weightsOf(s.node.id))) {
        w.data[name] = t.data as Float32Array;
        const g = t.requiresGrad ? Tensor.zeros(t.shape) : null;
        w.grads[name] = g ? (g.data as Float32Array) : null;
        if (g) w.learning.push([t, g]);
      }
      return w;
    });
  }

  /** A runner for this graph, or null when it is not a plain chain of fused layers. */
  static create(graph: CompiledGraph, model: Model, loss: LossType): ChainRunner | null {
    const steps = chainSteps(graph);
    return steps ? new ChainRunner(graph, steps, loss, model) : null;
  }

  /** The input and target buffers of a batch of size b, to gather the batch into. */
  inputs(b: number, targetShape: number[]): { x: Float32Array; y: Float32Array } {
    this.current = this.buffers(b, targetShape);
    this.batch = b;
    return this.current;
  }

  /** Forward over the gathered batch; returns the loss. */
  forward(rng: Rng): number {
    const buf = this.current!;
    const b = this.batch;
    for (let i = 0; i < this.steps.length; i++) {
      const call = buf.calls[i];
      call.rng = rng;
      this.steps[i].kernel.forward(call);
    }
    // The tape stores the loss in a float32 tensor: round the same way.
    return Math.fround(this.lossValue(buf, buf.outs[this.steps.length - 1], b));
  }

  /** Backward from the loss; leaves each trainable weight's gradient in its `.grad`. */
  backward(): void {
    const buf = this.current!;
    const b = this.batch;
    const last = this.steps.length - 1;
    this.lossGrad(buf, buf.outs[last], b, buf.grads[last]!);
    for (let i = last; i >= 0; i--) {
      const s = this.steps[i];
      if (!s.outNeedsGrad) break;
      s.kernel.backward(buf.calls[i]);
      const learning = this.weights[i].learning;
      for (let k = 0; k < learning.length; k++) learning[k][0].grad = learning[k][1];
    }
  }

  /** The batch as tensors (views of the runner's buffers, valid until the next step). */
  tensors(): { x: Tensor; y: Tensor; output: Tensor } {
    const buf = this.current!;
    return { x: buf.xT, y: buf.yT, output: buf.outT };
  }

  private lossValue(buf: Buffers, P: Float32Array, b: number): number {
    const Y = buf.y;
    switch (this.loss) {
      case 'MSE':
        return mseForward(P, Y, buf.lossTmp);
      case 'BCE':
        return bceValue(P, Y);
      case 'BCEWithLogits':
        return bceWithLogitsValue(P, Y);
      case 'CrossEntropy': {
        const k = P.length / b;
        const oneHot = Y.length === P.length;
        if (!oneHot) checkClassIndices(Y, k);
        softmaxForward(P, buf.lossTmp, k);
        return crossEntropyValue(buf.lossTmp, Y, b, k, oneHot);
      }
    }
  }

  private lossGrad(buf: Buffers, P: Float32Array, b: number, G: Float32Array): void {
    const Y = buf.y;
    switch (this.loss) {
      case 'MSE':
        return mseBackward(buf.lossTmp, 1, G);
      case 'BCE':
        return bceBackward(P, Y, 1, G);
      case 'BCEWithLogits':
        return bceWithLogitsBackward(P, Y, 1, G);
      case 'CrossEntropy': {
        const k = P.length / b;
        return crossEntropyBackward(buf.lossTmp, Y, 1, b, k, Y.length === P.length, G);
      }
    }
  }

  private buffers(b: number, targetShape: number[]): Buffers {
    let buf = this.byBatch.get(b);
    if (buf) return buf;
    const inShape = this.graph.input.outShape;
    const inSize = inShape.reduce((p, d) => p * d, 1);
    const targetSize = targetShape.slice(1).reduce((p, d) => p * d, 1);
    const outs = this.steps.map((s) => new Float32Array(b * s.outSize));
    const lastSize = this.steps[this.steps.length - 1].outSize;
    const x = new Float32Array(b * inSize);
    const y = new Float32Array(b * targetSize);
    const grads = this.steps.map((s) => (s.outNeedsGrad ? new Float32Array(b * s.outSize) : null));
    const calls = this.steps.map((s, i): FusedStep => ({
      ...s.shapes,
      batch: b,
      inSize: s.inSize,
      outSize: s.outSize,
      x: i === 0 ? x : outs[i - 1],
      y: outs[i],
      weights: this.weights[i].data,
      scratch: s.scratch > 0 ? new Float32Array(b * s.scratch) : null,
      rng: NO_RNG,
      gy: grads[i] ?? EMPTY,
      gx: s.inNeedsGrad ? grads[i - 1] : null,
      grads: this.weights[i].grads,
    }));
    buf = {
      x,
      y,
      outs,
      grads,
      calls,
      lossTmp: new Float32Array(b * lastSize),
      xT: new Tensor(x, [b, ...inShape]),
      yT: new Tensor(y, targetShape.slice()),
      outT: new Tensor(outs[outs.length - 1], [b, ...this.graph.output.outShape]),
    };
    this.byBatch.set(b, buf);
    return buf;
  }
}

const EMPTY = new Float32Array(0);
/** Until the first forward hands the run's generator. */
const NO_RNG = new Rng(0);

function checkClassIndices(T: Float32Array, k: number): void {
  for (let i = 0; i < T.length; i++) {
    if (!Number.isInteger(T[i]) || T[i] < 0 || T[i] >= k) {
      throw new LabError(
        'DATA',
        `CrossEntropy: target ${T[i]} in row ${i} is not a class index in 0..${k - 1}`,
      );
    }
  }
}
