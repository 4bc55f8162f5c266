import type { GradFn } from '../autograd/grad-fn';
import type { Tensor, TensorData } from '../tensor/tensor';

export interface NodeMemory {
  /** Bytes this node's operations saved for backward during the forward pass. */
  savedBytes: number;
  /** Bytes held again while a recompute segment re-ran its forward during backward. */
  recomputedBytes: number;
  /** Number of distinct tensors behind savedBytes. */
  tensors: number;
}

/** One operation that holds a tensor for its backward, and the gradients it needs it for. */
export interface Keeper {
  node: string;
  /** The op or layer that saved it ('linear', 'tanh', a plugin's type, 'recompute' …). */
  op: string;
  /**
   * What the tensor needs it for: the op's inputs whose gradient its backward computes from
   * it, each named as the tensor is (a node id for a node's output, `fc1.weight` for a weight).
   */
  for: string[];
  /** Held while forward ran, or again while a recompute segment re-ran inside backward. */
  phase: 'forward' | 'backward';
}

/** One buffer held for backward (counted once, charged to the first node that kept it). */
export interface HeldTensor extends Keeper {
  shape: number[];
  bytes: number;
  /**
   * Which tensor: a node's output by its node id (the Input's output is the batch), or null
   * for a value the op computed itself and kept (a dropout mask, a plugin's intermediate).
   */
  tensor: string | null;
  /** How it relates to the op that kept it. */
  role: 'input' | 'output' | 'computed';
  /** Other operations that held the same buffer (and are not charged for it). */
  alsoKeptBy: Keeper[];
}

export interface MemoryReport {
  nodes: Record<string, NodeMemory>;
  /** Most bytes held for backward at any moment of the step. */
  peakSavedBytes: number;
  /** Bytes held when the forward pass ended (before backward released anything). */
  afterForwardBytes: number;
  /** Every buffer held, in the order it was first held (only when asked for: see detail). */
  held?: HeldTensor[];
}

interface Entry {
  bytes: number;
  refs: number;
  held?: Held;
}

/** A HeldTensor before its names are known (the step's tensors are named once it ran). */
interface Held {
  node: string;
  op: GradFn | null;
  shape: number[];
  bytes: number;
  data: TensorData;
  role: HeldTensor['role'];
  index: number;
  phase: HeldTensor['phase'];
  also: { node: string; op: GradFn | null; index: number; phase: HeldTensor['phase'] }[];
}

/** Names a buffer: the node whose output it is, or the weight it is; null if neither. */
export type TensorNamer = (data: TensorData) => string | null;

/**
 * Measures what is actually held for backward: every saved tensor is registered when an
 * operation records it and released when that operation's backward has run. Buffers shared by
 * several tensors (a reshape, the same activation saved by two layers) are counted once, and
 * charged to the first node that held them. Weights are held anyway and are not counted.
 * With `detail`, it also keeps which tensor each buffer is and which gradients need it.
 */
export class MemoryMeter {
  private live = new Map<TensorData, Entry>();
  private liveBytes = 0;
  private peak = 0;
  private afterForward = 0;
  private phase: 'forward' | 'backward' = 'forward';
  private readonly nodes = new Map<string, NodeMemory>();
  private readonly held: Held[] = [];

  constructor(private readonly detail = false) {}

  /**
   * `fn` (when given) is the operation that keeps the tensors, and `outputs` what it made: they
   * tell, with `detail`, what each tensor is to it and what it keeps it for.
   */
  hold(
    tensors: readonly Tensor[],
    node: string | null,
    fn?: GradFn,
    outputs?: readonly Tensor[],
  ): void {
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i];
      if (t.isParam) continue;
      const e = this.live.get(t.data);
      if (e) {
        e.refs++;
        if (e.held)
          e.held.also.push({ node: node ?? '(none)', op: fn ?? null, index: i, phase: this.phase });
        continue;
      }
      const bytes = t.data.byteLength;
      const entry: Entry = { bytes, refs: 1 };
      this.live.set(t.data, entry);
      this.liveBytes += bytes;
      const m = this.nodeEntry(node ?? '(none)');
      if (this.phase === 'forward') {
        m.savedBytes += bytes;
        m.tensors++;
      } else {
        m.recomputedBytes += bytes;
      }
      if (this.detail) {
        const role = fn?.inputs.some((x) => x.data === t.data)
          ? 'input'
          : outputs?.some((y) => y.data === t.data)
            ? 'output'
            : 'computed';
        entry.held = {
          node: node ?? '(none)',
          op: fn ?? null,
          shape: t.shape.slice(),
          bytes,
          data: t.data,
          role,
          index: i,
          phase: this.phase,
          also: [],
        };
        this.held.push(entry.held);
      }
    }
    if (this.liveBytes > this.peak) this.peak = this.liveBytes;
  }

  release(tensors: readonly Tensor[]): void {
    for (const t of tensors) {
      if (t.isParam) continue;
      const e = this.live.get(t.data);
      if (!e) continue;
      if (--e.refs === 0) {
        this.live.delete(t.data);
        this.liveBytes -= e.bytes;
      }
    }
  }

  /** Call between the forward and the backward pass. */
  forwardDone(): void {
    this.afterForward = this.liveBytes;
    this.phase = 'backward';
  }

  /** Make sure a node appears in the report even when it saved nothing. */
  touch(node: string): void {
    this.nodeEntry(node);
  }

  get heldBytes(): number {
    return this.liveBytes;
  }

  /** The measurement; with `detail`, `name` tells which tensor each buffer is. */
  report(name: TensorNamer = () => null): MemoryReport {
    const nodes: Record<string, NodeMemory> = {};
    for (const [id, m] of this.nodes) nodes[id] = { ...m };
    const r: MemoryReport = {
      nodes,
      peakSavedBytes: this.peak,
      afterForwardBytes: this.afterForward,
    };
    if (!this.detail) return r;
    r.held = this.held.map((h) => ({
      node: h.node,
      op: h.op?.name ?? '(unknown)',
      for: gradientsFor(h.op, h.index, name),
      shape: h.shape,
      bytes: h.bytes,
      tensor: name(h.data),
      role: h.role,
      phase: h.phase,
      alsoKeptBy: h.also.map((a) => ({
        node: a.node,
        op: a.op?.name ?? '(unknown)',
        for: gradientsFor(a.op, a.index, name),
        phase: a.phase,
      })),
    }));
    return r;
  }

  private nodeEntry(id: string): NodeMemory {
    let m = this.nodes.get(id);
    if (!m) {
      m = { savedBytes: 0, recomputedBytes: 0, tensors: 0 };
      this.nodes.set(id, m);
    }
    return m;
  }
}

/**
 * The inputs of `fn` whose gradient its backward computes from saved tensor `index`: those the
 * op declared for it (GradFn.serves), else every input that wants a gradient.
 */
function gradientsFor(fn: GradFn | null, index: number, name: TensorNamer): string[] {
  if (!fn) return [];
  const which = fn.serves?.[index] ?? fn.inputs.map((_, i) => i);
  return which
    .filter((i) => fn.needs[i])
    .map((i) => name(fn.inputs[i].data) ?? `input ${i + 1} of ${fn.name}`);
}
