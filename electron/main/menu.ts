// The application menu. Canvas commands go to the renderer as 'menu:command'; the renderer
// decides what they mean where the focus is. Text-editing commands also run natively on the
// focused web contents first, which only acts inside a text field or on selected text.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../ipc/channels';

export type NativeEdit = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'delete';

export interface MenuActions {
  /** Sends 'menu:command' to the renderer. */
  command(command: MenuCommand): void;
  /** Sends 'menu:openRecent' to the renderer. */
  openRecent(path: string): void;
  clearRecent(): void;
  openPluginFolder(): void;
  /** The native text edit on the focused web contents (webContents.undo(), .copy() …). */
  nativeEdit(op: NativeEdit): void;
  showAbout(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** `electron-vite dev`: adds Reload and Toggle DevTools. */
  isDev: boolean;
  appName: string;
  recent: string[];
  actions: MenuActions;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const { actions: a } = o;
  const isMac = o.platform === 'darwin';
  const send = (label: string, command: MenuCommand, accelerator?: string) =>
    ({
      label,
      ...(accelerator ? { accelerator } : {}),
      click: () => a.command(command),
    }) satisfies MenuItemConstructorOptions;
  const edit = (label: string, command: NativeEdit, accelerator: string) =>
    ({
      label,
      accelerator,
      click: () => {
        a.nativeEdit(command);
        a.command(command);
      },
    }) satisfies MenuItemConstructorOptions;

  const recentItems: MenuItemConstructorOptions[] = o.recent.length
    ? o.recent.map((path) => ({
        label: isMac ? path : escapeMnemonic(path),
        click: () => a.openRecent(path),
      }))
    : [{ label: 'No recent projects', enabled: false }];

  const appMenu: MenuItemConstructorOptions = {
    label: o.appName,
    submenu: [
      { label: `About ${o.appName}`, click: () => a.showAbout() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      send('New', 'new', 'CmdOrCtrl+N'),
      send('Open…', 'open', 'CmdOrCtrl+O'),
      {
        label: 'Open Recent',
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { label: 'Clear Recent', enabled: o.recent.length > 0, click: () => a.clearRecent() },
        ],
      },
      { type: 'separator' },
      send('Save', 'save', 'CmdOrCtrl+S'),
      send('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
      { type: 'separator' },
      send('Export weights…', 'exportWeights', 'CmdOrCtrl+E'),
      send('Import weights…', 'importWeights'),
      { type: 'separator' },
      send('Load plugin…', 'loadPlugin'),
      { label: 'Open plugin folder', click: () => a.openPluginFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      edit('Undo', 'undo', 'CmdOrCtrl+Z'),
      edit('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
      { type: 'separator' },
      edit('Cut', 'cut', 'CmdOrCtrl+X'),
      edit('Copy', 'copy', 'CmdOrCtrl+C'),
      edit('Paste', 'paste', 'CmdOrCtrl+V'),
      // Not registered with the system: a menu that swallowed the Delete key would break
      // forward-delete in every text field. The renderer handles the key itself.
      { ...edit('Delete', 'delete', 'Delete'), registerAccelerator: false },
      { type: 'separator' },
      // No native select-all: on the canvas it would select the page's text.
      send('Select all', 'selectAll', 'CmdOrCtrl+A'),
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      send('Fit view', 'fitView'),
      send('Tidy layout', 'tidyLayout'),
      { type: 'separator' },
      ...(o.isDev
        ? ([
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [
      send('Keyboard shortcuts', 'toggleHelp', 'F1'),
      ...(isMac ? [] : [{ label: `About ${o.appName}`, click: () => a.showAbout() }]),
    ],
  };

  return [
    ...(isMac ? [appMenu] : []),
    file,
    editMenu,
    view,
    ...(isMac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    help,
  ];
}

export function installMenu(o: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(o)));
}

/** '&' starts a mnemonic in menu labels on Windows and Linux; a path shows it literally. */
function escapeMnemonic(label: string): string {
  return label.replace(/&/g, '&&');
}
