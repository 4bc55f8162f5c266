// Menu commands (Electron's menu, or shortcuts in a browser) carried out on the stores.
import type { MenuCommand } from '../../electron/ipc/channels';
import { useGraphStore } from './graph';
import { usePluginsStore } from './plugins';
import { useProjectStore } from './project';
import { services } from './services';
import { useTrainingStore } from './training';
import { useUiStore } from './ui';

export async function runCommand(command: MenuCommand): Promise<void> {
  const graph = useGraphStore();
  const project = useProjectStore();
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
      await useTrainingStore().exportWeights('safetensors');
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
    case 'paste':
      graph.paste();
      return;
    case 'delete':
      graph.deleteSelection();
      return;
    case 'selectAll':
      graph.selectAll();
      return;
    case 'fitView':
      useUiStore().requestFitView();
      return;
    case 'tidyLayout':
      graph.tidy();
      return;
    case 'toggleHelp':
      useUiStore().toggleHelp();
      return;
  }
}

/** Keyboard shortcuts of a browser page (Electron's menu has its own accelerators). */
export function shortcutCommand(e: KeyboardEvent): MenuCommand | null {
  const t = e.target as HTMLElement | null;
  // Typing in a field keeps the field's own undo, copy and paste.
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return null;
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
  if (!mod && (key === 'delete' || key === 'backspace')) return 'delete';
  if (!mod && (key === '?' || key === 'f1')) return 'toggleHelp';
  return null;
}
