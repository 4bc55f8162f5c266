// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canvasKeyAction } from '../../../../renderer/builder/keyboard';
import { isTextEditing, runCommand, shortcutCommand } from '../../../../renderer/stores/commands';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { XOR, freshStores } from '../helpers/stores';

function el(html: string): HTMLElement {
  const box = document.createElement('div');
  box.innerHTML = html;
  const e = box.firstElementChild as HTMLElement;
  document.body.appendChild(e);
  return e;
}

const keyOn = (target: EventTarget | null, key: string, o: Partial<KeyboardEvent> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target,
  ...o,
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('text fields', () => {
  it('are inputs that hold text, textareas, selects and editable content', () => {
    expect(isTextEditing(el('<input>'))).toBe(true);
    expect(isTextEditing(el('<input type="number">'))).toBe(true);
    expect(isTextEditing(el('<input type="search">'))).toBe(true);
    expect(isTextEditing(el('<textarea></textarea>'))).toBe(true);
    expect(isTextEditing(el('<select><option>a</option></select>'))).toBe(true);
    const editable = el('<div contenteditable="true">x</div>');
    Object.defineProperty(editable, 'isContentEditable', { value: true });
    expect(isTextEditing(editable)).toBe(true);
    // A checkbox or a button holds no text: Ctrl+Z there is the graph's undo.
    expect(isTextEditing(el('<input type="checkbox">'))).toBe(false);
    expect(isTextEditing(el('<button>b</button>'))).toBe(false);
    expect(isTextEditing(el('<div tabindex="0"></div>'))).toBe(false);
    expect(isTextEditing(null)).toBe(false);
  });
});

describe('the canvas keys', () => {
  it('delete with Delete and Backspace, except in a text field', () => {
    const pane = el('<div tabindex="0"></div>');
    expect(canvasKeyAction(keyOn(pane, 'Delete'))).toEqual({ type: 'delete' });
    expect(canvasKeyAction(keyOn(pane, 'Backspace'))).toEqual({ type: 'delete' });
    expect(canvasKeyAction(keyOn(el('<input>'), 'Backspace'))).toBeNull();
    expect(canvasKeyAction(keyOn(el('<textarea></textarea>'), 'Delete'))).toBeNull();
    expect(canvasKeyAction(keyOn(pane, 'Delete', { ctrlKey: true }))).toBeNull();
  });

  it('clear the selection with Escape and select all with Ctrl+A or ⌘A', () => {
    const pane = el('<div tabindex="0"></div>');
    expect(canvasKeyAction(keyOn(pane, 'Escape'))).toEqual({ type: 'clearSelection' });
    expect(canvasKeyAction(keyOn(pane, 'a', { ctrlKey: true }))).toEqual({ type: 'selectAll' });
    expect(canvasKeyAction(keyOn(pane, 'A', { metaKey: true }))).toEqual({ type: 'selectAll' });
    expect(canvasKeyAction(keyOn(el('<input>'), 'a', { ctrlKey: true }))).toBeNull();
    expect(canvasKeyAction(keyOn(pane, 'a'))).toBeNull();
  });

  it('nudge the selection with the arrow keys, further with Shift', () => {
    const pane = el('<div tabindex="0"></div>');
    expect(canvasKeyAction(keyOn(pane, 'ArrowLeft'))).toEqual({ type: 'nudge', dx: -5, dy: 0 });
    expect(canvasKeyAction(keyOn(pane, 'ArrowDown', { shiftKey: true }))).toEqual({
      type: 'nudge',
      dx: 0,
      dy: 20,
    });
    expect(canvasKeyAction(keyOn(el('<input>'), 'ArrowLeft'))).toBeNull();
  });
});

describe('menu commands in a text field (Electron sends them after the native edit)', () => {
  let graph: ReturnType<typeof useGraphStore>;
  beforeEach(() => {
    freshStores();
    graph = useGraphStore();
    graph.load(XOR);
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 3 } });
    graph.select(['h1']);
  });

  it('leave the graph alone while a text field has focus', async () => {
    const field = el('<input value="fc1">') as HTMLInputElement;
    field.focus();
    expect(document.activeElement).toBe(field);
    const before = graph.project;
    for (const c of ['delete', 'undo', 'redo', 'cut', 'paste'] as const) await runCommand(c);
    await runCommand('copy');
    expect(graph.project).toBe(before);
    expect(graph.clipboard).toBeNull();
    expect(graph.selection).toEqual(['h1']);
  });

  it('select the field’s text on Select all, not the nodes', async () => {
    const field = el('<input value="hello">') as HTMLInputElement;
    field.focus();
    await runCommand('selectAll');
    expect(field.selectionStart).toBe(0);
    expect(field.selectionEnd).toBe(5);
    expect(graph.selection).toEqual(['h1']);
  });

  it('edit the graph when the focus is elsewhere (a checkbox, the page)', async () => {
    const box = el('<input type="checkbox">') as HTMLInputElement;
    box.focus();
    await runCommand('undo');
    expect(graph.node('fc1')?.params).toEqual({ units: 8 });
    box.blur();
    await runCommand('delete');
    expect(graph.node('h1')).toBeUndefined();
    await runCommand('selectAll');
    expect(graph.selection).toEqual(['x', 'fc1', 'fc2', 'y']);
  });
});

describe('page shortcuts (web)', () => {
  const event = (key: string, o: KeyboardEventInit = {}, target?: Element) => {
    const e = new KeyboardEvent('keydown', { key, cancelable: true, ...o });
    if (target) Object.defineProperty(e, 'target', { value: target });
    return e;
  };

  it('map the edit keys, but not in text fields and not when the canvas took the key', () => {
    expect(shortcutCommand(event('z', { ctrlKey: true }))).toBe('undo');
    expect(shortcutCommand(event('z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutCommand(event('v', { ctrlKey: true }))).toBe('paste');
    expect(shortcutCommand(event('z', { ctrlKey: true }, el('<input>')))).toBeNull();
    const taken = event('a', { ctrlKey: true });
    taken.preventDefault();
    expect(shortcutCommand(taken)).toBeNull();
  });

  it('leave Delete and Backspace to the canvas', () => {
    expect(shortcutCommand(event('Delete'))).toBeNull();
    expect(shortcutCommand(event('Backspace'))).toBeNull();
  });
});
