// Every keyboard shortcut the app has, for the help overlay. The keys themselves are handled by
// stores/commands.ts (in a browser) and Electron's menu accelerators (in the desktop app).

export interface Shortcut {
  /** Key combinations, each a list of keys: [['Mod', 'Shift', 'Z'], ['Mod', 'Y']]. */
  keys: string[][];
  does: string;
  /** Where it works, when not everywhere. */
  note?: string;
}

export interface ShortcutGroup {
  title: string;
  items: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Project',
    items: [
      { keys: [['Mod', 'N']], does: 'New project', note: 'desktop app' },
      { keys: [['Mod', 'O']], does: 'Open a project…' },
      { keys: [['Mod', 'S']], does: 'Save' },
      { keys: [['Mod', 'Shift', 'S']], does: 'Save as…' },
      { keys: [['Mod', 'E']], does: 'Export…' },
    ],
  },
  {
    title: 'Edit',
    items: [
      { keys: [['Mod', 'Z']], does: 'Undo any change, settings too' },
      {
        keys: [
          ['Mod', 'Shift', 'Z'],
          ['Mod', 'Y'],
        ],
        does: 'Redo',
      },
      { keys: [['Mod', 'X']], does: 'Cut the selected nodes' },
      { keys: [['Mod', 'C']], does: 'Copy the selected nodes' },
      { keys: [['Mod', 'V']], does: 'Paste' },
      { keys: [['Delete'], ['Backspace']], does: 'Delete the selection', note: 'on the canvas' },
      { keys: [['Mod', 'A']], does: 'Select all nodes' },
    ],
  },
  {
    title: 'Help',
    items: [
      { keys: [['F1'], ['?']], does: 'Show or hide this list' },
      { keys: [['Esc']], does: 'Close a dialog; clear the selection' },
    ],
  },
];

/** 'Mod' is ⌘ on a Mac and Ctrl elsewhere. */
export function keyLabel(key: string, mac: boolean): string {
  if (key === 'Mod') return mac ? '⌘' : 'Ctrl';
  if (mac && key === 'Shift') return '⇧';
  return key;
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}
