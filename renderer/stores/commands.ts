// Menu commands (Electron's menu, or shortcuts in a browser) carried out on the stores.
import type { MenuCommand } from '../../electron/ipc/channels';
import { canvas } from '../builder/canvas-bridge';
import { useGraphStore } from './graph';
import { usePluginsStore } from './plugins';
import { useProjectStore } from './project';
import { services } from './services';
import { useTrainingStore } from './training';
import { useUiStore } from './ui';

/** Inputs that hold no editable text: the edit commands act on the graph while one has focus. */
const NON_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'hidden',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

/** Is this element a text field (or a select) whose own editing the edit commands belong to? */
export function isTextEditing(el: Element | null | undefined): boolean {
  if (!el) return false;
  if ((el as HTMLElement).isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !NON_TEXT_INPUTS.has(((el as HTMLInputElement).type || 'text').toLowerCase());
}

/** Edit-menu commands: in a text field they are the field's own (the native edit already ran). */
const EDIT_COMMANDS = new Set<MenuCommand>([
  'undo',
  'redo',
  'cut',
  'copy',
  'paste',
  'delete',
  'selectAll',
]);

function focusedElement(): Element | null {
  return typeof document === 'undefined' ? null : document.activeElement;
}

export async function runCommand(command: MenuCommand): Promise<void> {
  const graph = useGraphStore();
  const project = useProjectStore();
  // Electron's Edit menu runs the native edit on the page first and then sends the command: in
  // a text field that edit is all there is to do (select-all has no native half: do it here).
  const field = focusedElement();
  if (EDIT_COMMANDS.has(command) && isTextEditing(field)) {
    if (command === 'selectAll' && field && 'select' in field) (field as HTMLInputElement).select();
    return;
  }
  switch (command) {
    case 'new':
      await project.newProject();
      return;
    case 'open':
      await project.open();
      return;
    case 'save':
      await project.save();
      return;
    case 'saveAs':
      await project.saveAs();
      return;
    case 'saveAndClose':
      if (await project.save()) services().host.closeWindow();
      return;
    case 'exportWeights':
      // One way to export, from the menu as from the toolbar: the dialog with every format.
      useUiStore().exportOpen = true;
      return;
    case 'importWeights':
      await useTrainingStore().importWeights();
      return;
    case 'loadPlugin':
      await usePluginsStore().loadPlugin();
      return;
    case 'undo':
      graph.undo();
      return;
    case 'redo':
      graph.redo();
      return;
    case 'cut':
      graph.cut();
      return;
    case 'copy':
      graph.copy();
      return;
    case 'paste': {
      // The canvas finds a place where the pasted nodes cover nothing.
      const view = canvas();
      if (view) view.paste();
      else graph.paste();
      return;
    }
    case 'delete': {
      // The canvas also deletes the edges selected on it.
      const view = canvas();
      if (view) view.deleteSelection();
      else graph.deleteSelection();
      return;
    }
    case 'selectAll':
      graph.selectAll();
      return;
    case 'fitView':
      useUiStore().requestFitView();
      return;
    case 'tidyLayout': {
      const view = canvas();
      if (view) view.tidy();
      else graph.tidy();
      return;
    }
    case 'toggleHelp':
      useUiStore().toggleHelp();
      return;
  }
}

/**
 * Keyboard shortcuts of a browser page (Electron's menu has its own accelerators). Delete and
 * Backspace are the canvas's own keys (they delete only while the canvas has focus); a key a
 * part of the page already handled (defaultPrevented) is left alone.
 */
export function shortcutCommand(e: KeyboardEvent): MenuCommand | null {
  if (e.defaultPrevented) return null;
  // Typing in a field keeps the field's own undo, copy and paste.
  if (isTextEditing(e.target as Element | null)) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'x') return 'cut';
  if (mod && key === 'c') return 'copy';
  if (mod && key === 'v') return 'paste';
  if (mod && key === 'a') return 'selectAll';
  if (mod && key === 's') return e.shiftKey ? 'saveAs' : 'save';
  if (mod && key === 'o') return 'open';
  if (!mod && (key === '?' || key === 'f1')) return 'toggleHelp';
  return null;
}
