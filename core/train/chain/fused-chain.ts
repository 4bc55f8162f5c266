import type { CompiledGraph } from '../../graph/compile';
import type { LossDefinition } from '../../losses';
import type { Model } from '../../model/model';
import type { FusedStep } from '../../layers/fused';
import { kernelFloats } from '../../ops/kernels/resident';
import { Tensor } from '../../tensor/tensor';
import { Rng } from '../../util/rng';
import { type ChainStep, chainSteps } from './steps';

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
  /** What the loss's forward keeps for its backward (ŷ − y for MSE, softmax(z) for CrossEntropy). */
  lossTmp: Float32Array;
  xT: Tensor;
  yT: Tensor;
  outT: Tensor;
}

/** What evaluating one batch size needs: no gradients, allocated once. */
type EvalBuffers = Pick<Buffers, 'x' | 'y' | 'outs' | 'calls' | 'lossTmp' | 'yT' | 'outT'>;

/**
 * A fused training step for plain chains of layers with fused kernels: each layer's kernel
 * computes what its forward and backward on the tape compute, in the same order — so the
 * weights come out bit for bit the same — but on buffers allocated once per batch size, so a
 * steady-state step allocates nothing.
 */
export class FusedChain {
  private readonly weights: StepWeights[];
  private readonly byBatch = new Map<number, Buffers>();
  private readonly evalByBatch = new Map<number, EvalBuffers>();
  private current: Buffers | null = null;
  private evalCurrent: EvalBuffers | null = null;
  private batch = 0;
  private evalBatch = 0;
  /** Every layer of the chain has a fused `evaluate`: evaluation can run here too. */
  readonly evaluates: boolean;

  private constructor(
    private readonly graph: CompiledGraph,
    private readonly steps: ChainStep[],
    private readonly loss: LossDefinition,
    model: Model,
  ) {
    this.weights = steps.map((s) => {
      const w: StepWeights = { data: {}, grads: {}, learning: [] };
      for (const [name, t] of Object.entries(model.weightsOf(s.node.id))) {
        w.data[name] = t.data as Float32Array;
        const g = t.requiresGrad ? new Tensor(kernelFloats(t.size), t.shape.slice()) : null;
        w.grads[name] = g ? (g.data as Float32Array) : null;
        if (g) w.learning.push([t, g]);
      }
      return w;
    });
    this.evaluates = steps.every((s) => s.kernel.evaluate !== null);
  }

  /** A runner for this graph, or null when it is not a plain chain of fused layers. */
  static create(graph: CompiledGraph, model: Model, loss: LossDefinition): FusedChain | null {
    const steps = chainSteps(graph);
    return steps ? new FusedChain(graph, steps, loss, model) : null;
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
    return Math.fround(this.loss.forward(buf.outs[this.steps.length - 1], buf.y, buf.lossTmp, b));
  }

  /** Backward from the loss; leaves each trainable weight's gradient in its `.grad`. */
  backward(): void {
    const buf = this.current!;
    const b = this.batch;
    const last = this.steps.length - 1;
    this.loss.backward(buf.outs[last], buf.y, buf.lossTmp, 1, b, buf.grads[last]!);
    for (let i = last; i >= 0; i--) {
      const s = this.steps[i];
      if (!s.outNeedsGrad) break;
      s.kernel.backward(buf.calls[i]);
      const learning = this.weights[i].learning;
      for (let k = 0; k < learning.length; k++) learning[k][0].grad = learning[k][1];
    }
  }

  /**
   * The input and target buffers of a batch of size b to evaluate, to gather the batch into
   * (only where `evaluates`). They are not the training step's: evaluating between two steps
   * leaves the step's buffers as they are.
   */
  evalInputs(b: number, targetShape: number[]): { x: Float32Array; y: Float32Array } {
    this.evalCurrent = this.evalBuffers(b, targetShape);
    this.evalBatch = b;
    return this.evalCurrent;
  }

  /**
   * Each layer's `evaluate` over the gathered batch (evaluation mode: dropout off, nothing
   * kept for backward, no gradient); returns the loss and the batch's targets and output as
   * tensors (views of the runner's buffers, valid until the next evaluation).
   */
  evaluate(rng: Rng): { loss: number; y: Tensor; output: Tensor } {
    const buf = this.evalCurrent!;
    for (let i = 0; i < this.steps.length; i++) {
      const call = buf.calls[i];
      call.rng = rng;
      this.steps[i].kernel.evaluate!(call);
    }
    const last = buf.outs[this.steps.length - 1];
    const loss = Math.fround(this.loss.forward(last, buf.y, buf.lossTmp, this.evalBatch));
    return { loss, y: buf.yT, output: buf.outT };
  }

  /** The batch as tensors (views of the runner's buffers, valid until the next step). */
  tensors(): { x: Tensor; y: Tensor; output: Tensor } {
    const buf = this.current!;
    return { x: buf.xT, y: buf.yT, output: buf.outT };
  }

  private buffers(b: number, targetShape: number[]): Buffers {
    let buf = this.byBatch.get(b);
    if (buf) return buf;
    const f = this.forwardParts(b, targetShape);
    const grads = this.steps.map((s) => (s.outNeedsGrad ? kernelFloats(b * s.outSize) : null));
    const calls = this.steps.map((s, i) =>
      this.call(i, b, f, {
        gy: grads[i] ?? EMPTY,
        gx: s.inNeedsGrad ? grads[i - 1] : null,
        grads: this.weights[i].grads,
      }),
    );
    buf = { ...f, grads, calls, xT: new Tensor(f.x, [b, ...this.graph.input.outShape]) };
    this.byBatch.set(b, buf);
    return buf;
  }

  private evalBuffers(b: number, targetShape: number[]): EvalBuffers {
    let buf = this.evalByBatch.get(b);
    if (buf) return buf;
    const f = this.forwardParts(b, targetShape);
    const noGrads = (w: StepWeights) =>
      Object.fromEntries(Object.keys(w.data).map((k) => [k, null]));
    const calls = this.steps.map((_, i) =>
      this.call(i, b, f, { gy: EMPTY, gx: null, grads: noGrads(this.weights[i]) }),
    );
    buf = { ...f, calls };
    this.evalByBatch.set(b, buf);
    return buf;
  }

  /** What a forward at batch size b needs, training or evaluating: its own set each. */
  private forwardParts(b: number, targetShape: number[]): Omit<EvalBuffers, 'calls'> {
    const inSize = this.graph.input.outShape.reduce((p, d) => p * d, 1);
    const targetSize = targetShape.slice(1).reduce((p, d) => p * d, 1);
    // The products' operands live in the kernels' memory (used in place, not copied).
    const outs = this.steps.map((s) => kernelFloats(b * s.outSize));
    const x = kernelFloats(b * inSize);
    const y = new Float32Array(b * targetSize);
    const lastSize = this.steps[this.steps.length - 1].outSize;
    return {
      x,
      y,
      outs,
      lossTmp: new Float32Array(this.loss.scratchSize(b * lastSize)),
      yT: new Tensor(y, targetShape.slice()),
      outT: new Tensor(outs[outs.length - 1], [b, ...this.graph.output.outShape]),
    };
  }

  /** What node i's kernel is handed at batch size b, with the gradients it reads and writes. */
  private call(
    i: number,
    b: number,
    f: Pick<EvalBuffers, 'x' | 'outs'>,
    gradients: Pick<FusedStep, 'gy' | 'gx' | 'grads'>,
  ): FusedStep {
    const s = this.steps[i];
    return {
      ...s.shapes,
      batch: b,
      inSize: s.inSize,
      outSize: s.outSize,
      x: i === 0 ? f.x : f.outs[i - 1],
      y: f.outs[i],
      weights: this.weights[i].data,
      scratch: s.scratch > 0 ? new Float32Array(b * s.scratch) : null,
      rng: NO_RNG,
      ...gradients,
    };
  }
}

const EMPTY = new Float32Array(0);
/** Until the first forward hands the run's generator. */
const NO_RNG = new Rng(0);
