import { backwardMany } from '../autograd/backward';
import { record } from '../autograd/record';
import { autogradState, inNode, noGrad, withGrad } from '../autograd/state';
import type { CompiledGraph, CompiledNode } from '../graph/compile';
import { runLayer } from '../layers/run';
import { kernelFloats } from '../ops/kernels/resident';
import { Tensor, formatShape, sameShape, sizeOf, zerosLike } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { initWeight } from './init';
import { type PlanStep, makePlan } from './recompute-plan';

export interface ForwardOptions {
  training: boolean;
  /** Generator for dropout and any plugin randomness. */
  rng: Rng;
  /** Make the input require a gradient, so the local error δ reaches every node (inspection). */
  inputRequiresGrad?: boolean;
  /** Check every node's output for NaN/∞ and name the first node that produced one. */
  checkFinite?: boolean;
}

export interface ForwardResult {
  output: Tensor;
  /** Every node's output, by node id. */
  outputs: Map<string, Tensor>;
}

/** Plain named tensors (the form weights take in files). */
export type WeightMap = Record<string, { shape: number[]; data: Float32Array }>;

/**
 * A compiled network with its weights: runs forward, recording for backward exactly what the
 * memory policy of each node says (store, recompute segments, frozen, detach).
 *
 * @example const model = new Model(graph, 42); const { output } = model.forward(x, { training: false, rng });
 */
export class Model {
  readonly graph: CompiledGraph;
  /** `<nodeId>.<weight>` → tensor, in node order, then in the order each layer declares them. */
  readonly weights = new Map<string, Tensor>();
  private readonly nodeWeights = new Map<string, Record<string, Tensor>>();
  private readonly plan: PlanStep[];

  constructor(graph: CompiledGraph, seed: number) {
    this.graph = graph;
    const rng = new Rng(seed);
    for (const n of graph.nodes) {
      const own: Record<string, Tensor> = {};
      for (const [name, spec] of Object.entries(n.weights)) {
        // A built-in layer's weights live in the kernels' memory, where products use them in
        // place; a plugin's are ordinary arrays (a plugin never sees that memory).
        const t =
          n.source === 'builtin'
            ? new Tensor(kernelFloats(sizeOf(spec.shape)), spec.shape.slice())
            : Tensor.zeros(spec.shape.slice());
        initWeight(t.data, spec.init, rng);
        t.isParam = true;
        t.requiresGrad = n.trainable;
        own[name] = t;
        this.weights.set(`${n.id}.${name}`, t);
      }
      this.nodeWeights.set(n.id, own);
    }
    this.plan = makePlan(graph.nodes, graph.output.id);
  }

  /** The weights of one node by their short names (`weight`, `bias`, a plugin's `a`). */
  weightsOf(nodeId: string): Record<string, Tensor> {
    return this.nodeWeights.get(nodeId) ?? {};
  }

  /** Trainable weights: those that get a gradient. */
  parameters(): Tensor[] {
    return [...this.weights.values()].filter((t) => t.requiresGrad);
  }

  get paramCount(): number {
    let n = 0;
    for (const t of this.weights.values()) n += t.size;
    return n;
  }

  /** Expected weight names and shapes. */
  weightShapes(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [k, t] of this.weights) out[k] = t.shape.slice();
    return out;
  }

  /** Copies of every weight, ready to serialize. */
  exportWeights(): WeightMap {
    const out: WeightMap = {};
    for (const [k, t] of this.weights)
      out[k] = { shape: t.shape.slice(), data: Float32Array.from(t.data) };
    return out;
  }

  /** Overwrite weights in place; names and shapes must already have been checked. */
  importWeights(w: WeightMap): void {
    for (const [k, v] of Object.entries(w)) {
      const t = this.weights.get(k);
      if (!t || !sameShape(t.shape, v.shape)) {
        throw new LabError(
          'WEIGHTS',
          `weight ${k} ${t ? `has shape ${formatShape(t.shape)}, got ${formatShape(v.shape)}` : 'is not in this network'}`,
        );
      }
      t.data.set(v.data);
    }
  }

  forward(x: Tensor, opts: ForwardOptions): ForwardResult {
    const want = this.graph.input.outShape;
    if (x.rank < 1 || !sameShape(x.shape.slice(1), want)) {
      throw new LabError(
        'SHAPE_MISMATCH',
        `the input has shape ${formatShape(x.shape)} but node '${this.graph.input.id}' expects [batch, ${want.join(', ')}]`,
        { node: this.graph.input.id },
      );
    }
    const input = opts.inputRequiresGrad ? new Tensor(x.data, x.shape, true) : x;
    const outs = new Map<string, Tensor>();
    for (const step of this.plan) {
      if (step.kind === 'node') {
        const y = this.runNode(step.node, outs, input, opts);
        outs.set(step.node.id, y);
        if (opts.checkFinite) checkFinite(step.node, y);
      } else this.runSegment(step, outs, input, opts);
    }
    return { output: outs.get(this.graph.output.id)!, outputs: outs };
  }

  private runNode(
    n: CompiledNode,
    outs: Map<string, Tensor>,
    input: Tensor,
    opts: ForwardOptions,
  ): Tensor {
    const meter = autogradState.meter;
    if (meter) meter.touch(n.id);
    if (n.def.entry) return input;
    const inputs = new Array<Tensor>(n.inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const t = outs.get(n.inputs[i])!;
      inputs[i] = n.detach ? t.detach() : t;
    }
    const prev = autogradState.node;
    autogradState.node = n.id; // charge what this layer saves to this node
    try {
      return runLayer(n.def, inputs, this.nodeWeights.get(n.id)!, {
        node: n.id,
        source: n.source,
        params: n.params,
        training: opts.training,
        rng: opts.rng,
        outShape: n.outShape,
        multiInput: n.inputs.length > 1,
      });
    } finally {
      autogradState.node = prev;
    }
  }

  /**
   * A recompute segment keeps only the tensors entering it; its forward runs again, with the
   * same random draws, just before its backward.
   */
  private runSegment(
    step: Extract<PlanStep, { kind: 'segment' }>,
    outs: Map<string, Tensor>,
    input: Tensor,
    opts: ForwardOptions,
  ): void {
    const entering = step.inputs.map((s) => outs.get(s)!);
    const wantsGrad =
      autogradState.enabled &&
      (entering.some((t) => t.requiresGrad) || step.nodes.some((n) => n.trainable));
    if (!wantsGrad) {
      for (const n of step.nodes) outs.set(n.id, this.runNode(n, outs, input, opts));
      return;
    }
    const rngAtStart = opts.rng.clone();
    const local = new Map<string, Tensor>();
    noGrad(() => {
      step.inputs.forEach((s, i) => local.set(s, entering[i]));
      for (const n of step.nodes) {
        const y = this.runNode(n, local, input, opts);
        local.set(n.id, y);
        if (opts.checkFinite) checkFinite(n, y);
      }
    });
    const results = step.outputs.map((id) => new Tensor(local.get(id)!.data, local.get(id)!.shape));
    for (const n of step.nodes) outs.set(n.id, local.get(n.id)!);
    step.outputs.forEach((id, i) => outs.set(id, results[i]));

    inNode(step.nodes[0].id, () =>
      record('recompute', entering, results, entering.slice(), (gys, saved, needs) => {
        const leaves = saved.map((t) => new Tensor(t.data, t.shape, t.requiresGrad));
        const again = new Map<string, Tensor>();
        step.inputs.forEach((s, i) => again.set(s, leaves[i]));
        withGrad(true, () => {
          const o = { ...opts, rng: rngAtStart.clone() };
          for (const n of step.nodes) again.set(n.id, this.runNode(n, again, input, o));
        });
        const roots = step.outputs.map((id) => again.get(id)!);
        const seeds = gys.map((g, i) => g ?? zerosLike(roots[i]));
        backwardMany(roots, seeds);
        return leaves.map((l, i) => (needs[i] ? (l.grad ?? zerosLike(l)) : null));
      }),
    );
  }
}

function checkFinite(n: CompiledNode, y: Tensor): void {
  const d = y.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new LabError(
        'NON_FINITE',
        `node '${n.id}' (${n.type}) produced ${d[i]} at index [${unravel(i, y.shape).join(', ')}] of its output`,
        { node: n.id, tensor: 'output' },
      );
    }
  }
}

function unravel(i: number, shape: number[]): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
