import type { CompiledGraph } from '../../graph/compile';
import type { LossDefinition } from '../../losses';
import type { Model } from '../../model/model';
import { dropoutBackward, dropoutForward } from '../../ops/dropout';
import { gemmNN, gemmTN } from '../../ops/kernels/gemm';
import { leakyReluBackward, leakyReluForward } from '../../ops/leaky-relu';
import { biasGrad, linearForward } from '../../ops/linear';
import { reluBackward, reluForward } from '../../ops/relu';
import { sigmoidBackward, sigmoidForward } from '../../ops/sigmoid';
import { softmaxBackward, softmaxForward } from '../../ops/softmax';
import { tanhBackward, tanhForward } from '../../ops/tanh';
import { Tensor } from '../../tensor/tensor';
import type { Rng } from '../../util/rng';
import { type ChainStep, chainSteps } from './plan';

interface DenseWeights {
  w: Tensor;
  b: Tensor | null;
  /** Gradient buffers, reused every step; handed to the optimizer as w.grad / b.grad. */
  gw: Tensor | null;
  gb: Tensor | null;
}

/** Everything one batch size needs, allocated once. */
interface Buffers {
  x: Float32Array;
  y: Float32Array;
  outs: Float32Array[];
  grads: (Float32Array | null)[];
  masks: (Float32Array | null)[];
  /** What the loss's forward keeps for its backward (ŷ − y for MSE, softmax(z) for CrossEntropy). */
  lossTmp: Float32Array;
  xT: Tensor;
  yT: Tensor;
  outT: Tensor;
}

/**
 * A fused training step for plain chains of built-in layers: the same kernels, in the same
 * order, as the tape would run — so the weights come out bit for bit the same — but on buffers
 * allocated once per batch size, so a steady-state step allocates nothing.
 */
export class ChainRunner {
  private readonly dense = new Map<number, DenseWeights>();
  private readonly byBatch = new Map<number, Buffers>();
  private current: Buffers | null = null;
  private batch = 0;

  private constructor(
    private readonly graph: CompiledGraph,
    private readonly steps: ChainStep[],
    private readonly loss: LossDefinition,
    model: Model,
  ) {
    steps.forEach((s, i) => {
      if (s.kind !== 'Dense') return;
      const own = model.weightsOf(s.node.id);
      const w = own.weight,
        b = own.bias ?? null;
      this.dense.set(i, {
        w,
        b,
        gw: w.requiresGrad ? Tensor.zeros(w.shape) : null,
        gb: b && b.requiresGrad ? Tensor.zeros(b.shape) : null,
      });
    });
  }

  /** A runner for this graph, or null when it is not a plain chain of built-in layers. */
  static create(graph: CompiledGraph, model: Model, loss: LossDefinition): ChainRunner | null {
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
    let xin: Float32Array = buf.x;
    for (let i = 0; i < this.steps.length; i++) {
      const s = this.steps[i];
      const out = buf.outs[i];
      switch (s.kind) {
        case 'Dense': {
          const d = this.dense.get(i)!;
          linearForward(xin, d.w.data, d.b ? d.b.data : null, out, b, s.inSize, s.outSize);
          break;
        }
        case 'Sigmoid':
          sigmoidForward(xin, out);
          break;
        case 'Tanh':
          tanhForward(xin, out);
          break;
        case 'ReLU':
          reluForward(xin, out);
          break;
        case 'LeakyReLU':
          leakyReluForward(xin, out, s.node.params.slope as number);
          break;
        case 'Softmax':
          softmaxForward(xin, out, lastDim(s));
          break;
        case 'Dropout': {
          const p = s.node.params.p as number;
          if (p > 0) dropoutForward(xin, buf.masks[i]!, out, p, rng);
          else out.set(xin);
          break;
        }
      }
      xin = out;
    }
    // The tape stores the loss in a float32 tensor: round the same way.
    return Math.fround(this.loss.forward(xin, buf.y, buf.lossTmp, b));
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
      const g = buf.grads[i]!;
      const xin = i === 0 ? buf.x : buf.outs[i - 1];
      const gin = s.inNeedsGrad ? buf.grads[i - 1] : null;
      switch (s.kind) {
        case 'Dense': {
          const d = this.dense.get(i)!;
          if (gin) gemmNN(g, d.w.data, gin, b, s.inSize, s.outSize);
          if (d.gw) {
            gemmTN(g, xin, d.gw.data, s.outSize, s.inSize, b);
            d.w.grad = d.gw;
          }
          if (d.gb) {
            d.gb.data.fill(0);
            biasGrad(g, d.gb.data, b, s.outSize);
            d.b!.grad = d.gb;
          }
          break;
        }
        case 'Sigmoid':
          if (gin) sigmoidBackward(g, buf.outs[i], gin);
          break;
        case 'Tanh':
          if (gin) tanhBackward(g, buf.outs[i], gin);
          break;
        case 'ReLU':
          if (gin) reluBackward(g, buf.outs[i], gin);
          break;
        case 'LeakyReLU':
          if (gin) leakyReluBackward(g, xin, gin, s.node.params.slope as number);
          break;
        case 'Softmax':
          if (gin) softmaxBackward(g, buf.outs[i], gin, lastDim(s));
          break;
        case 'Dropout':
          if (gin) {
            if ((s.node.params.p as number) > 0) dropoutBackward(g, buf.masks[i]!, gin);
            else gin.set(g);
          }
          break;
      }
    }
  }

  /** The batch as tensors (views of the runner's buffers, valid until the next step). */
  tensors(): { x: Tensor; y: Tensor; output: Tensor } {
    const buf = this.current!;
    return { x: buf.xT, y: buf.yT, output: buf.outT };
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
    buf = {
      x,
      y,
      outs,
      grads: this.steps.map((s) => (s.outNeedsGrad ? new Float32Array(b * s.outSize) : null)),
      masks: this.steps.map((s) => (s.kind === 'Dropout' ? new Float32Array(b * s.outSize) : null)),
      lossTmp: new Float32Array(this.loss.scratchSize(b * lastSize)),
      xT: new Tensor(x, [b, ...inShape]),
      yT: new Tensor(y, targetShape.slice()),
      outT: new Tensor(outs[outs.length - 1], [b, ...this.graph.output.outShape]),
    };
    this.byBatch.set(b, buf);
    return buf;
  }
}

function lastDim(s: ChainStep): number {
  return s.node.outShape[s.node.outShape.length - 1];
}
