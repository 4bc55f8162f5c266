import type { Tensor, TensorData } from '../tensor/tensor';

export interface NodeMemory {
  /** Bytes this node's operations saved for backward during the forward pass. */
  savedBytes: number;
  /** Bytes held again while a recompute segment re-ran its forward during backward. */
  recomputedBytes: number;
  /** Number of distinct tensors behind savedBytes. */
  tensors: number;
}

export interface MemoryReport {
  nodes: Record<string, NodeMemory>;
  /** Most bytes held for backward at any moment of the step. */
  peakSavedBytes: number;
  /** Bytes held when the forward pass ended (before backward released anything). */
  afterForwardBytes: number;
}

interface Entry {
  bytes: number;
  refs: number;
}

/**
 * Measures what is actually held for backward: every saved tensor is registered when an
 * operation records it and released when that operation's backward has run. Buffers shared by
 * several tensors (a reshape, the same activation saved by two layers) are counted once, and
 * charged to the first node that held them. Weights are held anyway and are not counted.
 */
export class MemoryMeter {
  private live = new Map<TensorData, Entry>();
  private liveBytes = 0;
  private peak = 0;
  private afterForward = 0;
  private phase: 'forward' | 'backward' = 'forward';
  private readonly nodes = new Map<string, NodeMemory>();

  hold(tensors: readonly Tensor[], node: string | null): void {
    for (const t of tensors) {
      if (t.isParam) continue;
      const e = this.live.get(t.data);
      if (e) {
        e.refs++;
        continue;
      }
      const bytes = t.data.byteLength;
      this.live.set(t.data, { bytes, refs: 1 });
      this.liveBytes += bytes;
      const m = this.nodeEntry(node ?? '(none)');
      if (this.phase === 'forward') {
        m.savedBytes += bytes;
        m.tensors++;
      } else {
        m.recomputedBytes += bytes;
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

  report(): MemoryReport {
    const nodes: Record<string, NodeMemory> = {};
    for (const [id, m] of this.nodes) nodes[id] = { ...m };
    return { nodes, peakSavedBytes: this.peak, afterForwardBytes: this.afterForward };
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
