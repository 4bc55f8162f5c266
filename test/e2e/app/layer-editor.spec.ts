// Write a layer inside the app, end to end: "New layer…" opens the editor (loaded only then), a
// forward and a wrong backward are typed, the live check fails at the right tensor with a marker
// on the backward's line, the fix makes it pass, Save loads it into the palette, and a network
// using it trains.
import { expect, test, type Page } from '@playwright/test';
import {
  button,
  chainAround,
  openApp,
  replaceEditorText,
  runState,
  setParam,
  setTraining,
} from './app';

test.use({ viewport: { width: 1440, height: 900 } });

const FORWARD = `export default {
  type: 'Square',
  description: 'y = x * x',
  build({ inShapes }) {
    return { outShape: inShapes[0] };
  },
  forward(ctx, x) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i] * x.data[i];
    ctx.save(x);
    return y;
  },
`;
// d(x²)/dx is 2x: this backward forgets the 2.
const WRONG_BACKWARD = `  backward(ctx, gy) {
    const [x] = ctx.saved;
    const gx = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) gx.data[i] = gy.data[i] * x.data[i];
    return { x: gx };
  },
};
`;

const editorDialog = (page: Page) => page.getByRole('dialog', { name: /layer/i });

test('write a layer in the app: a wrong backward fails at x, the fix passes, it trains', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const chunks: string[] = [];
  page.on('request', (r) => chunks.push(new URL(r.url()).pathname));
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await openApp(page);
  // The first paint does not wait for the editor: its chunk (with CodeMirror) is not loaded.
  expect(chunks.some((c) => /LayerEditor/.test(c))).toBe(false);

  await page.getByRole('tab', { name: /^Plugins/ }).click();
  await page.getByRole('button', { name: 'New layer…' }).click();
  const dialog = editorDialog(page);
  await expect(dialog).toBeVisible();
  expect(chunks.some((c) => /LayerEditor/.test(c))).toBe(true);
  const code = dialog.getByRole('textbox', { name: 'Layer source' });
  await expect(code).toContainText("type: 'MyLayer'");
  // The template passes its own check.
  const check = dialog.getByRole('region', { name: 'Gradient check' });
  await expect(check.getByTestId('draft-layer')).toContainText('gradients ok');

  // ---- type a forward and a wrong backward ----
  await replaceEditorText(code, FORWARD);
  // Completion knows ctx's API (from plugins/api.d.ts).
  await page.keyboard.type('  // ctx.');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('zeros');
  await expect(completions).toContainText('needsInputGrad');
  await page.keyboard.press('Escape');
  // Escape closed the completion, and did not ask to close the editor.
  await expect(completions).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Your changes are not saved')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await page.keyboard.insertText(WRONG_BACKWARD);

  // ---- the check fails at the right tensor, marked on the backward's line ----
  const x = check.locator('tr[data-tensor="x"]');
  await expect(x).toHaveClass(/fail/);
  await expect(check.getByTestId('draft-layer')).toContainText('gradient check failed');
  await expect(check).toContainText(/Gradient of x is wrong at \[\d+, \d+\]/);
  const marker = dialog.locator('.cm-lint-marker-error');
  await expect(marker).toHaveCount(1);
  const markerBox = (await marker.boundingBox())!;
  const backwardLine = dialog.locator('.cm-line', { hasText: 'backward(ctx, gy)' });
  const lineBox = (await backwardLine.boundingBox())!;
  expect(
    Math.abs(markerBox.y + markerBox.height / 2 - (lineBox.y + lineBox.height / 2)),
  ).toBeLessThan(lineBox.height / 2);

  if (process.env.APP_SCREENSHOTS) {
    await page.mouse.move(1430, 890);
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'docs/screenshots/app-layer-editor.png' });
  }

  // ---- fix it: the 2 of d(x²)/dx ----
  await dialog.locator('.cm-line', { hasText: 'gx.data[i] = gy.data[i]' }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 'gy.data[i] * x.data[i];'.length; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('2 * ');
  await expect(x).toHaveClass(/pass/);
  await expect(check.getByTestId('draft-layer')).toContainText('gradients ok');
  await expect(dialog.locator('.cm-lint-marker-error')).toHaveCount(0);

  // ---- save it under a name: it loads into the palette ----
  await dialog.getByLabel('File name').fill('square.js');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status')).toContainText('Saved square.js and loaded it: Square');
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toHaveCount(0);
  const palette = page.getByRole('complementary', { name: 'Layer palette' });
  await expect(palette.getByRole('listitem', { name: 'Square', exact: true })).toBeVisible();
  await expect(page.getByTestId('plugins-panel')).toContainText('square.js');

  // ---- a network using it trains ----
  const ids = await chainAround(page, 'Square');
  await setParam(page, ids[0], 'shape', '2');
  await setParam(page, ids[3], 'units', '1');
  await setTraining(page, { Epochs: '20' });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 90_000 });
  await expect(page.getByTestId('epoch')).toHaveText(/20\s*\/\s*20/);
  expect(errors).toEqual([]);
});
