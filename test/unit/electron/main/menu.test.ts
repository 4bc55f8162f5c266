import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, installMenu, type MenuOptions } from '../../../../electron/main/menu';
import { Menu, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

type Item = MenuItemConstructorOptions;

function options(over: Partial<MenuOptions> = {}): MenuOptions {
  return {
    platform: 'linux',
    isDev: false,
    appName: 'Backprop Lab',
    recent: [],
    actions: {
      command: vi.fn(),
      openRecent: vi.fn(),
      clearRecent: vi.fn(),
      openPluginFolder: vi.fn(),
      nativeEdit: vi.fn(),
      showAbout: vi.fn(),
    },
    ...over,
  };
}

function submenu(template: Item[], label: string): Item[] {
  const menu = template.find((m) => m.label === label);
  if (!menu) throw new Error(`no menu ${label}`);
  return menu.submenu as Item[];
}

function item(items: Item[], label: string): Item {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no item ${label}`);
  return found;
}

const click = (i: Item) => (i.click as () => void)();

beforeEach(resetElectron);

describe('the menu template', () => {
  it('has File, Edit, View and Help', () => {
    expect(buildMenuTemplate(options()).map((m) => m.label)).toEqual([
      'File',
      'Edit',
      'View',
      'Help',
    ]);
  });

  it.each([
    ['File', 'New', 'CmdOrCtrl+N', 'new'],
    ['File', 'Open…', 'CmdOrCtrl+O', 'open'],
    ['File', 'Save', 'CmdOrCtrl+S', 'save'],
    ['File', 'Save As…', 'CmdOrCtrl+Shift+S', 'saveAs'],
    ['File', 'Export weights…', 'CmdOrCtrl+E', 'exportWeights'],
    ['File', 'Import weights…', undefined, 'importWeights'],
    ['File', 'Load plugin…', undefined, 'loadPlugin'],
    ['Edit', 'Select all', 'CmdOrCtrl+A', 'selectAll'],
    ['View', 'Fit view', undefined, 'fitView'],
    ['View', 'Tidy layout', undefined, 'tidyLayout'],
    ['Help', 'Keyboard shortcuts', 'F1', 'toggleHelp'],
  ] as const)('%s ▸ %s (%s) sends %s', (menu, label, accelerator, command) => {
    const o = options();
    const i = item(submenu(buildMenuTemplate(o), menu), label);
    expect(i.accelerator).toBe(accelerator);
    click(i);
    expect(o.actions.command).toHaveBeenCalledWith(command);
    expect(o.actions.nativeEdit).not.toHaveBeenCalled();
  });

  it.each([
    ['Undo', 'CmdOrCtrl+Z', 'undo'],
    ['Redo', 'CmdOrCtrl+Shift+Z', 'redo'],
    ['Cut', 'CmdOrCtrl+X', 'cut'],
    ['Copy', 'CmdOrCtrl+C', 'copy'],
    ['Paste', 'CmdOrCtrl+V', 'paste'],
    ['Delete', 'Delete', 'delete'],
  ] as const)('Edit ▸ %s (%s) edits text natively and sends %s', (label, accelerator, command) => {
    const o = options();
    const i = item(submenu(buildMenuTemplate(o), 'Edit'), label);
    expect(i.accelerator).toBe(accelerator);
    click(i);
    expect(o.actions.nativeEdit).toHaveBeenCalledWith(command);
    expect(o.actions.command).toHaveBeenCalledWith(command);
  });

  it('leaves the Delete key to the page (forward-delete in text fields)', () => {
    const del = item(submenu(buildMenuTemplate(options()), 'Edit'), 'Delete');
    expect(del.registerAccelerator).toBe(false);
    const copy = item(submenu(buildMenuTemplate(options()), 'Edit'), 'Copy');
    expect(copy.registerAccelerator).toBeUndefined();
  });

  it('opens the plugin folder and quits from File', () => {
    const o = options();
    const file = submenu(buildMenuTemplate(o), 'File');
    click(item(file, 'Open plugin folder'));
    expect(o.actions.openPluginFolder).toHaveBeenCalled();
    expect(item(file, 'Quit')).toMatchObject({ role: 'quit', accelerator: 'CmdOrCtrl+Q' });
  });

  it('lists recent projects, most recent first, and opens one', () => {
    const o = options({ recent: ['/p/b.json', '/p/R&D.json'] });
    const recent = item(submenu(buildMenuTemplate(o), 'File'), 'Open Recent').submenu as Item[];
    expect(recent.map((i) => i.label ?? i.type)).toEqual([
      '/p/b.json',
      '/p/R&&D.json',
      'separator',
      'Clear Recent',
    ]);
    click(recent[1]);
    expect(o.actions.openRecent).toHaveBeenCalledWith('/p/R&D.json');
    click(item(recent, 'Clear Recent'));
    expect(o.actions.clearRecent).toHaveBeenCalled();
  });

  it('says when there are no recent projects', () => {
    const recent = item(submenu(buildMenuTemplate(options()), 'File'), 'Open Recent')
      .submenu as Item[];
    expect(recent[0]).toMatchObject({ label: 'No recent projects', enabled: false });
    expect(item(recent, 'Clear Recent').enabled).toBe(false);
  });

  it('has zoom and full screen always, Reload and DevTools in development only', () => {
    const roles = (isDev: boolean) =>
      submenu(buildMenuTemplate(options({ isDev })), 'View').map((i) => i.role);
    expect(roles(false)).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('shows About from Help', () => {
    const o = options();
    click(item(submenu(buildMenuTemplate(o), 'Help'), 'About Backprop Lab'));
    expect(o.actions.showAbout).toHaveBeenCalled();
  });

  it('follows macOS conventions: an app menu with About and Quit, Close in File', () => {
    const o = options({ platform: 'darwin' });
    const template = buildMenuTemplate(o);
    expect(template.map((m) => m.label ?? m.role)).toEqual([
      'Backprop Lab',
      'File',
      'Edit',
      'View',
      'windowMenu',
      'Help',
    ]);
    const appMenu = submenu(template, 'Backprop Lab');
    expect(appMenu.map((i) => i.role)).toContain('quit');
    click(item(appMenu, 'About Backprop Lab'));
    expect(o.actions.showAbout).toHaveBeenCalled();
    expect(submenu(template, 'File').map((i) => i.role)).toContain('close');
    expect(submenu(template, 'File').map((i) => i.role)).not.toContain('quit');
  });
});

describe('installMenu', () => {
  it('sets the built template as the application menu', () => {
    installMenu(options());
    expect(Menu.buildFromTemplate).toHaveBeenCalledTimes(1);
    const built = Menu.buildFromTemplate.mock.results[0].value;
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(built);
  });
});
