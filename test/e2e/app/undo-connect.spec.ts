// Undo and redo from the keyboard (Ctrl+Z, Ctrl+Shift+Z) over a node dragged in and a parameter
// changed in the inspector; connections that do not fit (a cycle, shapes that differ) are refused
// with the reason, while dragging and after letting go; New asks before unsaved work is dropped.
import { type Page, expect, test } from '@playwright/test';
import {
  canvasRegion,
  connect,
  dragConnection,
  dragLayer,
  edge,
  nodeEl,
  newProject,
  nodeIds,
  openApp,
  setParam,
} from './app';

test.use({ viewport: { width: 1440, height: 900 } });

const fc1Label = (page: Page) => nodeEl(page, 'fc1');

/** Leave the inspector's fields: in a text field Ctrl+Z is the field's own undo. */
async function focusCanvas(page: Page): Promise<void> {
  const box = (await canvasRegion(page).boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + 40);
  await expect(canvasRegion(page)).toBeFocused();
}

test('Ctrl+Z and Ctrl+Shift+Z undo and redo an added node and a parameter change', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('project-name')).not.toContainText('unsaved');
  const start = (await nodeIds(page)).sort();

  // 1: a ReLU dragged in.
  const relu = await dragLayer(page, 'ReLU', { x: 450, y: 520 });
  expect((await nodeIds(page)).sort()).toEqual([...start, relu].sort());
  await expect(page.getByTestId('project-name')).toContainText('unsaved');

  // 2: fc1's units, 8 → 4, in the inspector.
  await setParam(page, 'fc1', 'units', '4');
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [4], 12 params');
  await focusCanvas(page);

  // Undo 2, then 1.
  await page.keyboard.press('Control+z');
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [8], 24 params');
  await expect(nodeEl(page, relu)).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(nodeEl(page, relu)).toHaveCount(0);
  expect((await nodeIds(page)).sort()).toEqual(start);
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [8], 24 params');

  // Redo 1, then 2.
  await page.keyboard.press('Control+Shift+z');
  await expect(nodeEl(page, relu)).toHaveCount(1);
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [8], 24 params');
  await page.keyboard.press('Control+Shift+z');
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [4], 12 params');
  // Nothing more to redo: the same keys change nothing.
  await page.keyboard.press('Control+Shift+z');
  await expect(fc1Label(page)).toHaveAttribute('aria-label', 'Dense fc1, output [4], 12 params');
  expect((await nodeIds(page)).sort()).toEqual([...start, relu].sort());

  // The inspector follows an undo of the node it shows.
  const inspector = page.getByRole('tabpanel', { name: 'Inspector' });
  await nodeEl(page, 'fc1').locator('.head').click();
  await expect(inspector.getByLabel('units', { exact: true })).toHaveValue('4');
  await focusCanvasKeepingSelection(page);
  await page.keyboard.press('Control+z');
  await expect(inspector.getByLabel('units', { exact: true })).toHaveValue('8');
});

/** Put the keyboard on the canvas without clicking away the selection. */
async function focusCanvasKeepingSelection(page: Page): Promise<void> {
  await canvasRegion(page).focus();
  await expect(canvasRegion(page)).toBeFocused();
}

test('a connection that would close a cycle is refused with the reason', async ({ page }) => {
  await openApp(page);
  const a1 = await dragLayer(page, 'Add', { x: 330, y: 480 });
  const a2 = await dragLayer(page, 'Add', { x: 580, y: 480 });
  await connect(page, 'y', a1);
  await connect(page, a1, a2);
  const edges = canvasRegion(page).getByRole('group', { name: /^Edge / });
  await expect(edges).toHaveCount(6);

  // While dragging, the node that cannot take it says why.
  await dragConnection(page, a2, a1, async () => {
    await expect(nodeEl(page, a1).locator('.layer')).toHaveAttribute(
      'title',
      `that would make a cycle: ${a1} → ${a2} → ${a1}`,
    );
  });
  const notice = canvasRegion(page).getByRole('alert');
  await expect(notice).toContainText(
    `${a2} cannot feed ${a1}: that would make a cycle: ${a1} → ${a2} → ${a1}`,
  );
  await expect(edge(page, a2, a1)).toHaveCount(0);
  await expect(edges).toHaveCount(6);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('a connection whose shape does not fit is refused with the reason', async ({ page }) => {
  await openApp(page);
  const add = await dragLayer(page, 'Add', { x: 450, y: 480 });
  await connect(page, 'y', add);
  await expect(edge(page, 'y', add)).toHaveAttribute('aria-label', `Edge y → ${add}, [1]`);
  // fc1 gives [8]; Add sums inputs of the same shape, and it has a [1] already.
  await dragConnection(page, 'fc1', add, async () => {
    await expect(nodeEl(page, add).locator('.layer')).toHaveClass(/\bconnect-no\b/);
  });
  await expect(canvasRegion(page).getByRole('alert')).toContainText(
    `fc1 cannot feed ${add}: the shapes do not fit (fc1 gives [8]): inputs must have the same shape, got [1] and [8]`,
  );
  await expect(edge(page, 'fc1', add)).toHaveCount(0);
  // A [1] fits: fc2 → add is taken.
  await connect(page, 'fc2', add);
  await expect(edge(page, 'fc2', add)).toHaveCount(1);
});

test('New asks before unsaved changes are dropped: Cancel keeps them, Discard starts over', async ({
  page,
}) => {
  await openApp(page);
  const relu = await dragLayer(page, 'ReLU', { x: 450, y: 520 });
  await expect(page.getByTestId('project-name')).toContainText('unsaved');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const ask = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  await expect(ask).toContainText('XOR has changes that are not saved');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(nodeEl(page, relu)).toHaveCount(1);
  await expect(page.getByTestId('project-name')).toContainText('XOR');

  await newProject(page);
  await expect(page.getByTestId('project-name')).toHaveText('Untitled');
  // A fresh start: nothing to undo.
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect(canvasRegion(page).locator('.vue-flow__node')).toHaveCount(0);
});
