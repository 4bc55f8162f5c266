// Helpers for the app's end-to-end tests: open the app, build a network with the mouse (palette
// drags, handle-to-handle connections), edit it in the inspector and the Training tab, read the
// toolbar, and move files in and out through downloads and the file chooser.
import { readFile } from 'node:fs/promises';
import { type Download, type Locator, type Page, expect } from '@playwright/test';

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  // The example's nodes are drawn (and measured) before the tests touch the canvas.
  await expect(page.locator('.vue-flow__node')).toHaveCount(5);
}

export const canvasRegion = (page: Page): Locator =>
  page.getByRole('region', { name: 'Network canvas' });

export const nodeEl = (page: Page, id: string): Locator =>
  canvasRegion(page).locator(`.vue-flow__node[data-id="${id}"]`);

export async function nodeIds(page: Page): Promise<string[]> {
  return canvasRegion(page)
    .locator('.vue-flow__node')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id ?? ''));
}

/** File › New on an empty canvas, answering "Discard changes" when the app asks. */
export async function newProject(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const ask = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  const empty = page.getByTestId('empty-hint');
  await expect(ask.or(empty)).toBeVisible();
  if (await ask.isVisible()) await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(empty).toBeVisible();
  await expect(canvasRegion(page).locator('.vue-flow__node')).toHaveCount(0);
}

/**
 * Drag a palette item (found by its accessible name, the layer type) onto the canvas at a point
 * relative to the canvas; returns the id of the node the drop made.
 */
export async function dragLayer(
  page: Page,
  type: string,
  at: { x: number; y: number },
): Promise<string> {
  const before = new Set(await nodeIds(page));
  const item = page
    .getByRole('complementary', { name: 'Layer palette' })
    .getByRole('listitem', { name: type, exact: true });
  await item.dragTo(canvasRegion(page), { targetPosition: at });
  let added: string[] = [];
  await expect
    .poll(async () => {
      added = (await nodeIds(page)).filter((id) => !before.has(id));
      return added.length;
    })
    .toBe(1);
  const id = added[0];
  await expect(nodeEl(page, id)).toContainText(type);
  return id;
}

async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element is not on screen');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/**
 * Where an element's centre is once it stays put: a node grows when the worker's check brings
 * its shape and parameter count, and its handles move with it.
 */
async function settledCentre(page: Page, l: Locator): Promise<{ x: number; y: number }> {
  let last = await centre(l);
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const now = await centre(l);
    if (now.x === last.x && now.y === last.y) return now;
    last = now;
  }
  return last;
}

/**
 * On a new canvas, Input → Dense → `layer` → Dense → Sigmoid dragged from the palette and
 * connected in a row (a plugin layer between two Dense); their ids in that order.
 */
export async function chainAround(page: Page, layer: string): Promise<string[]> {
  await newProject(page);
  const ids: string[] = [];
  for (const [type, at] of [
    ['Input', { x: 90, y: 160 }],
    ['Dense', { x: 260, y: 280 }],
    [layer, { x: 430, y: 160 }],
    ['Dense', { x: 600, y: 280 }],
    ['Sigmoid', { x: 770, y: 160 }],
  ] as const)
    ids.push(await dragLayer(page, type, at));
  for (let i = 0; i + 1 < ids.length; i++) await connect(page, ids[i], ids[i + 1]);
  return ids;
}

/** Press on `from`'s output handle, move to `to`'s input handle, let go. */
export async function dragConnection(
  page: Page,
  from: string,
  to: string,
  /** Runs over the target, before letting go. */
  beforeDrop?: () => Promise<void>,
): Promise<void> {
  const source = nodeEl(page, from).locator('.vue-flow__handle.source');
  const target = nodeEl(page, to).locator('.vue-flow__handle.target');
  const a = await settledCentre(page, source);
  await settledCentre(page, target);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 12, a.y + 4, { steps: 3 });
  // The press caught the handle (a press beside it would pan the canvas instead).
  await expect(canvasRegion(page).locator('.vue-flow__connection-path')).toBeVisible();
  const b = await centre(target);
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 6 });
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await beforeDrop?.();
  await page.mouse.up();
}

/** The edge `from → to`, named by the canvas after its ends and the shape it carries. */
export const edge = (page: Page, from: string, to: string): Locator =>
  canvasRegion(page).getByRole('group', { name: new RegExp(`^Edge ${from} → ${to}(,|$)`) });

export async function connect(page: Page, from: string, to: string): Promise<void> {
  await dragConnection(page, from, to);
  await expect(edge(page, from, to)).toHaveCount(1);
}

/** Click a node (on its title) and bring the inspector forward. */
export async function selectNode(page: Page, id: string): Promise<Locator> {
  await nodeEl(page, id).locator('.head').click();
  await expect(nodeEl(page, id)).toHaveClass(/selected/);
  await page.getByRole('tab', { name: 'Inspector', exact: true }).click();
  const inspector = page.getByRole('tabpanel', { name: 'Inspector' });
  await expect(inspector.getByLabel('Id', { exact: true })).toHaveValue(id);
  return inspector;
}

/** Replace all the text of a code editor (CodeMirror) as a user would: select all, delete, type. */
export async function replaceEditorText(editor: Locator, text: string): Promise<void> {
  await editor.click();
  const keyboard = editor.page().keyboard;
  await keyboard.press('Control+A');
  await keyboard.press('Delete');
  await keyboard.insertText(text);
}

/** Type a value into a field and commit it with Enter; the field then shows it. */
export async function fillField(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.press('Enter');
  await expect(field).toHaveValue(value);
}

/** Set a layer parameter of the selected node in the inspector. */
export async function setParam(page: Page, id: string, name: string, value: string) {
  const inspector = await selectNode(page, id);
  await fillField(inspector.getByLabel(name, { exact: true }), value);
}

/** Give a node a new id in the inspector. */
export async function renameNode(page: Page, id: string, newId: string): Promise<void> {
  const inspector = await selectNode(page, id);
  await fillField(inspector.getByLabel('Id', { exact: true }), newId);
  await expect(nodeEl(page, newId)).toHaveCount(1);
}

export async function trainingTab(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Training', exact: true }).click();
  return page.getByRole('tabpanel', { name: 'Training' });
}

/** Training-tab fields by their labels: 'Learning rate', 'Batch size', 'Epochs', 'Seed'… */
export async function setTraining(page: Page, values: Record<string, string | number>) {
  const tab = await trainingTab(page);
  for (const [label, value] of Object.entries(values))
    await fillField(tab.getByLabel(label, { exact: true }), String(value));
}

/**
 * The example (XOR) trained 20 epochs at a learning rate of 1e6, which saturates its units: the
 * loss stays at 48.75, worse than guessing (the training store's `stuck`).
 */
export async function trainStuckXor(page: Page): Promise<void> {
  await openApp(page);
  await setTraining(page, { 'Learning rate': '1000000', Epochs: '20' });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
}

// ---- the toolbar ----

export const button = (page: Page, name: string): Locator =>
  page.getByRole('banner').getByRole('button', { name, exact: true });

export const lossText = (page: Page): Locator => page.getByLabel('Loss', { exact: true });

/** The number the toolbar's "Loss" shows, NaN while it shows none. */
export async function lossValue(page: Page): Promise<number> {
  const m = (await lossText(page).textContent())?.match(/-?\d+(\.\d+)?(e-?\d+)?/i);
  return m ? Number(m[0]) : NaN;
}

/** "Epoch 12 / 200" as [12, 200]. */
export async function epochCounter(page: Page): Promise<[number, number]> {
  const t = (await page.getByTestId('epoch').textContent()) ?? '';
  const m = /Epoch\s*(\d+)\s*\/\s*(\d+)/.exec(t.replace(/\u2009/g, ' '));
  if (!m) throw new Error(`no epoch counter in "${t}"`);
  return [Number(m[1]), Number(m[2])];
}

export const runState = (page: Page): Locator => page.getByTestId('run-state');

/** The charts' latest test loss (the Loss card's legend). */
export async function chartTestLoss(page: Page): Promise<number> {
  const b = page
    .getByRole('region', { name: 'Training charts' })
    .locator('figure.loss .key', { hasText: 'test' })
    .locator('b');
  return Number(await b.textContent());
}

// ---- files ----

/** Run `act` (a click that saves or exports) and return what the page downloaded. */
export async function download(
  page: Page,
  act: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), act()]);
  return { name: d.suggestedFilename(), bytes: await downloadBytes(d) };
}

async function downloadBytes(d: Download): Promise<Buffer> {
  const path = await d.path();
  return readFile(path);
}

/** File › Open… and pick `file` in the file chooser. */
export async function openFile(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…', exact: true }).click(),
  ]);
  await chooser.setFiles(file);
}

export interface SavedNode {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  inputs?: string[];
}

export interface SavedProject {
  format: string;
  version: number;
  name: string;
  nodes: SavedNode[];
  output: string;
  loss: { type: string };
  training: {
    optimizer: { type: string; lr: number; momentum?: number; weightDecay?: number };
    batchSize: number;
    epochs: number;
  };
  layout?: Record<string, { x: number; y: number }>;
}

/** The part of a project that is the network: ids, types, params, inputs, output. */
export function network(p: SavedProject) {
  return {
    nodes: p.nodes.map(({ id, type, params, inputs }) => ({ id, type, params, inputs })),
    output: p.output,
  };
}

/** The Export dialog, opened from the toolbar. */
export async function openExportDialog(page: Page): Promise<Locator> {
  await page.getByRole('banner').getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Export the weights as safetensors through the Export dialog; `source` is what it says. */
export async function exportWeights(
  page: Page,
  source: string,
): Promise<{ name: string; bytes: Buffer }> {
  const dialog = await openExportDialog(page);
  await expect(dialog).toContainText(`Exports ${source}`);
  await dialog.getByRole('radio', { name: /^safetensors weights/ }).check();
  const file = await download(page, () =>
    dialog.getByRole('button', { name: 'Export', exact: true }).click(),
  );
  expect(file.name).toMatch(/\.safetensors$/);
  await expect(dialog.getByRole('status')).toContainText(`Exported ${file.name}`);
  await dialog.getByRole('contentinfo').getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  return file;
}

/** Import CSV… in the Training tab with this file; returns the tab and the column picker. */
export async function importCsv(
  page: Page,
  name: string,
  text: string,
): Promise<{ tab: Locator; dialog: Locator }> {
  const tab = await trainingTab(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    tab.getByRole('button', { name: 'Import CSV…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  const dialog = page.getByRole('dialog', { name: `Columns of ${name}` });
  await expect(dialog).toBeVisible();
  return { tab, dialog };
}
