// The canvas's own keys. Delete and Backspace delete the selection only while the canvas (or a
// node or edge on it) has focus and never while a text field does; Escape clears the selection;
// Ctrl+A (⌘A) selects every node; the arrow keys move the selected nodes (Shift: further).
import { isTextEditing } from '../stores/commands';

export type CanvasKeyAction =
  | { type: 'delete' }
  | { type: 'clearSelection' }
  | { type: 'selectAll' }
  | { type: 'nudge'; dx: number; dy: number };

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'> & {
  target: EventTarget | null;
};

/** Pixels per arrow key press (vue-flow moves a focused node by the same). */
const NUDGE = 5;
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export function canvasKeyAction(e: KeyLike): CanvasKeyAction | null {
  if (isTextEditing(e.target as Element | null)) return null;
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) return { type: 'delete' };
  if (!mod && e.key === 'Escape') return { type: 'clearSelection' };
  if (mod && !e.shiftKey && e.key.toLowerCase() === 'a') return { type: 'selectAll' };
  const arrow = ARROWS[e.key];
  if (!mod && arrow) {
    const step = e.shiftKey ? NUDGE * 4 : NUDGE;
    return { type: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
  }
  return null;
}
