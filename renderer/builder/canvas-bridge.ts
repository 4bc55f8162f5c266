// What the canvas offers to code outside the builder (the palette, menu commands) without them
// importing vue-flow: the mounted canvas registers these, and they are absent otherwise.
import type { Position } from '../stores/graph-edits';

/** The drag-and-drop type of a palette item; the data is the layer type. */
export const LAYER_MIME = 'application/x-backprop-layer';

export interface CanvasBridge {
  /** The centre of the visible part of the canvas, in canvas coordinates. */
  viewCenter(): Position | null;
  /** Delete what is selected on the canvas: nodes and edges. */
  deleteSelection(): void;
  /** Scroll the canvas so that these nodes are in view. */
  reveal(ids: string[]): void;
  /** Paste the graph clipboard where the pasted nodes cover no other node. */
  paste(): void;
  /** Tidy the layout by the nodes' drawn sizes and show it at a readable zoom. */
  tidy(): void;
}

let current: CanvasBridge | null = null;

export function registerCanvas(bridge: CanvasBridge): () => void {
  current = bridge;
  return () => {
    if (current === bridge) current = null;
  };
}

/** The mounted canvas, or null when there is none (tests, before mount). */
export function canvas(): CanvasBridge | null {
  return current;
}
