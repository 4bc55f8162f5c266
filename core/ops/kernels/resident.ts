import { CONTROL_BYTES, type Engine, wasmEngine } from './wasm-kernel';
import type { WasmMemory } from './wasm-api';

// Buffers that live in the kernels' WebAssembly memory ("resident"), so that a matrix product
// reads and writes them where they are instead of copying them in and out: the fused training
// plan's activations and gradients and the built-in layers' weights. Only where that memory is
// shared (Node; cross-origin isolated pages): a shared memory grows without detaching the
// views already handed out. Elsewhere kernelFloats gives an ordinary Float32Array, and the
// products copy it in and out as before.
//
// The memory is never handed to plugins: a plugin's weights and everything the tape makes are
// ordinary arrays. A resident buffer goes back to the heap when its array is garbage
// collected; take no subarray of one that outlives it.

/** Blocks start on 64-byte boundaries (cache lines, whole vectors). */
const ALIGN = 64;
/**
 * Readable bytes after every block: the kernels read up to 32 bytes past an operand's end
 * (blocks at the edge of C compute lanes they do not store).
 */
export const SLACK = 64;

interface Block {
  start: number;
  size: number;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/** A first-fit heap over the memory after the control words, growing the memory as needed. */
export class Heap {
  private readonly free: Block[] = [];
  private top = CONTROL_BYTES;

  constructor(private readonly memory: WasmMemory) {}

  /** The start of a block of at least `bytes` (+ SLACK), zeroed by the caller if it must be. */
  alloc(bytes: number): Block {
    const size = roundUp(bytes + SLACK, ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.size < size) continue;
      const block = { start: f.start, size };
      if (f.size === size) this.free.splice(i, 1);
      else this.free[i] = { start: f.start + size, size: f.size - size };
      return block;
    }
    const start = this.top;
    const end = start + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536)); // throws past MAX_PAGES
    this.top = end;
    return { start, size };
  }

  release(b: Block): void {
    let i = 0;
    while (i < this.free.length && this.free[i].start < b.start) i++;
    this.free.splice(i, 0, { ...b });
    // merge with the next and the previous free block
    const next = this.free[i + 1];
    if (next && b.start + b.size === next.start) {
      this.free[i].size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.start + prev.size === this.free[i].start) {
      prev.size += this.free[i].size;
      this.free.splice(i, 1);
    }
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  /** The end of the highest block handed out (for tests). */
  get end(): number {
    return this.top;
  }

  /** Bytes in blocks handed out (for tests). */
  get used(): number {
    return this.top - CONTROL_BYTES - this.free.reduce((s, f) => s + f.size, 0);
  }
}

let heap: Heap | null = null;
const registry = new FinalizationRegistry<Block>((b) => heap?.release(b));

/** Its constructor returns the object it is given, so a subclass's fields land on that object. */
class Returning {
  constructor(o: object) {
    return o;
  }
}

/**
 * Each resident array's byte offset, kept on the array itself in a private field stamped on it
 * (the array stays an ordinary Float32Array: its class, its keys and how it compares are
 * unchanged). Found with one brand check: a WeakMap lookup cost about 13 ns, three of them a
 * quarter of a 16×16×16 product's time, and reading the `buffer` of a view on a
 * SharedArrayBuffer costs more. A subarray of a resident array has no stamp: it is copied like
 * any other array.
 */
class OffsetStamp extends Returning {
  readonly #at: number;

  private constructor(x: Float32Array, at: number) {
    super(x);
    this.#at = at;
  }

  static stamp(x: Float32Array, at: number): void {
    new OffsetStamp(x, at);
  }

  static offsetOf(x: object): number {
    return #at in x ? (x as unknown as OffsetStamp).#at : -1;
  }
}

function heapOf(e: Engine): Heap {
  if (!heap) heap = new Heap(e.memory);
  return heap;
}

/**
 * A zeroed Float32Array of n values, in the kernels' memory where that memory is shared (so
 * products use it in place), an ordinary one elsewhere.
 *
 * @example const out = kernelFloats(batch * units);
 */
export function kernelFloats(n: number): Float32Array {
  const e = wasmEngine();
  if (!e || !e.shared || n === 0) return new Float32Array(n);
  let block: Block;
  try {
    block = heapOf(e).alloc(n * 4);
  } catch {
    return new Float32Array(n); // the memory cannot grow further: an ordinary array
  }
  const view = new Float32Array(e.memory.buffer, block.start, n);
  view.fill(0); // a reused block holds old values
  OffsetStamp.stamp(view, block.start);
  registry.register(view, block);
  return view;
}

/** The byte offset of `x` in the kernels' memory, or -1 when it is not resident there. */
export function residentOffset(x: object): number {
  return OffsetStamp.offsetOf(x);
}

/** Bytes of the memory in resident buffers and scratch space (for tests). */
export function residentBytes(): number {
  return heap?.used ?? 0;
}

let scratch: Block | null = null;

/**
 * A region of at least `bytes` (+ SLACK) in the kernels' memory for operands that are copied
 * in, valid until the next call; and a Float32Array view of the whole memory.
 */
export function scratchSpace(e: Engine, bytes: number): { at: number; mem: Float32Array } {
  if (!scratch || scratch.size < bytes + SLACK) {
    const h = heapOf(e);
    if (scratch) h.release(scratch);
    scratch = h.alloc(Math.max(bytes, 1 << 16));
  }
  return { at: scratch.start, mem: memoryView(e) };
}

let view: Float32Array | null = null;

/** A Float32Array over the whole memory, made again only after the memory grew. */
export function memoryView(e: Engine): Float32Array {
  const buf = e.memory.buffer;
  if (!view || view.buffer !== buf) view = new Float32Array(buf);
  return view;
}

const work: (Block | null)[] = [null, null];

/**
 * The byte offset of at least `bytes` (+ SLACK) of work space for thread 0 (the caller) or 1
 * (the helper), kept between calls.
 */
export function workSpace(thread: 0 | 1, bytes: number): number {
  const w = work[thread];
  if (w && w.size >= bytes + SLACK) return w.start;
  return newWorkSpace(thread, bytes);
}

/** Whether the work space of `thread` already has `bytes` (workSpace would not move it). */
export function workSpaceFits(thread: 0 | 1, bytes: number): boolean {
  const w = work[thread];
  return !!w && w.size >= bytes + SLACK;
}

function newWorkSpace(thread: 0 | 1, bytes: number): number {
  const e = wasmEngine()!;
  const w = work[thread];
  const h = heapOf(e);
  if (w) h.release(w);
  const fresh = h.alloc(Math.max(bytes, 1 << 14));
  work[thread] = fresh;
  return fresh.start;
}
