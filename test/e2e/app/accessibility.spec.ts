// The accessibility the issue names: the help overlay with the shortcuts (F1, ?, Escape), the
// palette as lists of items named by layer type (and usable from the keyboard), Train, Pause,
// Step, Stop as named buttons, the canvas as a named region, and the loss as text labelled "Loss".
import { expect, test } from '@playwright/test';
import { button, canvasRegion, lossText, nodeIds, openApp } from './app';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('the help overlay opens with F1 and with ?, lists the shortcuts, and closes with Escape', async ({
  page,
}) => {
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toHaveCount(0);

  await page.keyboard.press('F1');
  await expect(help).toBeVisible();
  for (const does of ['Undo any change, settings too', 'Redo', 'Save', 'Show or hide this list'])
    await expect(help.getByText(does, { exact: true })).toBeVisible();
  await expect(help.locator('kbd', { hasText: 'Ctrl' }).first()).toBeVisible();
  // Focus moves into the dialog.
  await expect(help.getByRole('button', { name: 'Close' }).last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // And from the toolbar's help button.
  await page.getByRole('button', { name: 'Keyboard shortcuts and help' }).click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the palette is lists of items named by layer type, usable from the keyboard', async ({
  page,
}) => {
  const palette = page.getByRole('complementary', { name: 'Layer palette' });
  const lists = palette.getByRole('list');
  expect(await lists.count()).toBeGreaterThanOrEqual(4);
  const items = palette.getByRole('listitem');
  // Each item's accessible name is its layer type, the type it shows.
  // Plugin layers load a moment after the built-in ones.
  await expect(palette.getByRole('listitem', { name: 'Wacky', exact: true })).toBeVisible();
  const named = await items.evaluateAll((els) =>
    els.map((e) => ({
      name: e.getAttribute('aria-label'),
      type: e.querySelector('.type')?.textContent?.trim(),
    })),
  );
  for (const n of named) expect(n.name).toBe(n.type);
  const names = named.map((n) => n.name);
  for (const t of ['Input', 'Dense', 'Sigmoid', 'Tanh', 'ReLU', 'Softmax', 'Add', 'Concat'])
    expect(names).toContain(t);
  // Plugin layers are in the palette too, by type.
  expect(names).toContain('Wacky');
  await expect(palette.getByRole('listitem', { name: 'Dense', exact: true })).toHaveAttribute(
    'draggable',
    'true',
  );

  // Search narrows the list (by type and description: 'tanh' alone also finds GELU's tanh form).
  await palette.getByRole('searchbox', { name: 'Search layers' }).fill('tanh(x)');
  await expect(palette.getByRole('listitem')).toHaveCount(1);
  await expect(palette.getByRole('listitem')).toHaveAccessibleName('Tanh');

  // From the keyboard: arrow down to the item, Enter adds it.
  const before = await nodeIds(page);
  await page.keyboard.press('ArrowDown');
  await expect(palette.getByRole('listitem', { name: 'Tanh' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await nodeIds(page)).length).toBe(before.length + 1);
  expect(await nodeIds(page)).toContain('tanh1');
  await expect(palette.getByRole('status').last()).toHaveText(/Added Tanh tanh1/);
});

test('Train, Pause, Step, Stop (and Reset) are buttons; the canvas is a named region; the loss is text labelled Loss', async ({
  page,
}) => {
  // Keyboard reachable: Tab from the start of the page gets to Train.
  const visited: string[] = [];
  for (let i = 0; i < 15 && visited.at(-1) !== 'Train'; i++) {
    await page.keyboard.press('Tab');
    visited.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  expect(visited).toContain('Train');
  await expect(button(page, 'Train')).toBeFocused();

  const controls = page.getByRole('group', { name: 'Training' });
  for (const name of ['Train', 'Pause', 'Step', 'Stop', 'Reset'])
    await expect(controls.getByRole('button', { name, exact: true })).toHaveCount(1);
  await expect(button(page, 'Train')).toBeEnabled();
  await expect(button(page, 'Step')).toBeEnabled();
  await expect(button(page, 'Pause')).toBeDisabled();
  await expect(button(page, 'Stop')).toBeDisabled();

  const region = canvasRegion(page);
  await expect(region).toHaveCount(1);
  await expect(region).toHaveAccessibleName('Network canvas');
  await expect(region).toHaveAccessibleDescription(/Drag layers here from the palette/);
  // The nodes inside are named by type, id, shape and parameters.
  await expect(
    region.getByRole('group', { name: 'Dense fc1, output [8], 24 params', exact: true }),
  ).toBeVisible();

  // One element is labelled "Loss", and it holds the loss as text.
  await expect(lossText(page)).toHaveCount(1);
  await expect(lossText(page)).toHaveText(/—/);
  await button(page, 'Step').click();
  await expect(lossText(page)).toHaveText(/\d\.\d+/);
});
