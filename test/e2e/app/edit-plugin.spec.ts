// An existing plugin file opens in the same layer editor, and saving it again updates the network
// that uses it: when every weight still fits, the trained weights are kept as they are; when a
// weight's shape changes, the others are kept and only that one starts again. Saving under a name
// or a layer type another of your files has asks Replace / Keep both / Cancel, as Load plugin…
// does.
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

/** y = a ⊙ x with `a` of the shape `shape` (an expression), repeated over x. */
const scaleLayer = (type: string, description: string, shape: string) => `export default {
  type: '${type}',
  description: '${description}',
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: ${shape}, init: 'ones' } } };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = a.data[i % a.size] * x.data[i];
    ctx.save(x);
    return y;
  },
  backward(ctx, gy, { a }) {
    const [x] = ctx.saved;
    const gx = ctx.zeros(x.shape);
    const ga = ctx.zeros(a.shape);
    for (let i = 0; i < x.data.length; i++) {
      gx.data[i] = a.data[i % a.size] * gy.data[i];
      ga.data[i % a.size] += gy.data[i] * x.data[i];
    }
    return { x: gx, a: ga };
  },
};
`;

const editor = (page: Page) => page.getByRole('dialog', { name: /layer/i });

const check = (page: Page) => editor(page).getByRole('region', { name: 'Gradient check' });

/** Type `text` and wait for its check to pass (or, with `clash`, to name that clash). */
async function setText(page: Page, text: string, clash?: string): Promise<void> {
  await replaceEditorText(editor(page).getByRole('textbox', { name: 'Layer source' }), text);
  if (clash) await expect(check(page)).toContainText(clash);
  else await expect(check(page).getByTestId('draft-layer')).toContainText('gradients ok');
}

async function newLayer(page: Page, name: string, text: string, clash?: string): Promise<void> {
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  await page.getByRole('button', { name: 'New layer…' }).click();
  await expect(editor(page)).toBeVisible();
  await editor(page).getByLabel('File name').fill(name);
  await setText(page, text, clash);
}

const save = (page: Page) => editor(page).getByRole('button', { name: 'Save' }).click();
const closeEditor = async (page: Page) => {
  await editor(page).getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(editor(page)).toHaveCount(0);
};

test('an existing plugin opens in the editor; saving it keeps the weights that still fit', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await openApp(page);

  await newLayer(page, 'scale-w.js', scaleLayer('ScaleW', 'y = a x', '[1]'));
  await save(page);
  await expect(editor(page).getByRole('status')).toContainText(
    'Saved scale-w.js and loaded it: ScaleW',
  );
  await closeEditor(page);

  // ---- a network using it, trained ----
  const ids = await chainAround(page, 'ScaleW');
  await setParam(page, ids[0], 'shape', '2');
  await setParam(page, ids[1], 'units', '4');
  await setParam(page, ids[3], 'units', '1');
  await setTraining(page, { Epochs: '5' });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  const scale = ids[2];

  // ---- the file opens in the same editor, with its text ----
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  await page.getByRole('button', { name: 'Edit scale-w.js' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit layer: scale-w.js' })).toBeVisible();
  const code = editor(page).getByRole('textbox', { name: 'Layer source' });
  await expect(code).toContainText("type: 'ScaleW'");
  await expect(code).toContainText("description: 'y = a x'");
  await expect(editor(page).getByLabel('File name')).toHaveValue('scale-w.js');

  // New code, same shapes: saved over its own file without a question, the weights kept.
  await setText(page, scaleLayer('ScaleW', 'y = a x, edited', '[1]'));
  await save(page);
  const status = editor(page).getByRole('status');
  await expect(status).toContainText('Saved scale-w.js and loaded it: ScaleW in the palette.');
  await expect(status).toContainText(
    `The weights still fit: Train continues from them with the new code of ${scale}.`,
  );
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  // a's shape changes from [1] to the input's [4]: the other four weights are kept.
  await setText(page, scaleLayer('ScaleW', 'y = a ⊙ x', 'inShapes[0]'));
  await save(page);
  await expect(status).toContainText(
    `Kept 4 of 5 weights; ${scale}.a [1] → [4] starts from the initialisation.`,
  );
  await closeEditor(page);
  await expect(page.getByTestId('plugins-panel')).toContainText('y = a ⊙ x');
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('saving under a name or a layer type another file has asks first', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await newLayer(page, 'scale-w.js', scaleLayer('ScaleW', 'y = a x', '[1]'));
  await save(page);
  await expect(editor(page).getByRole('status')).toContainText('Saved scale-w.js');
  await closeEditor(page);
  const files = page.getByRole('list', { name: 'Plugin files' });
  const fileNames = () => files.locator('.file-name').allTextContents();

  // Another file defining ScaleW: asked; Cancel saves nothing and keeps the editor's text.
  // The live check already says so.
  await newLayer(
    page,
    'copy.js',
    scaleLayer('ScaleW', 'y = 2 a x', '[1]'),
    "layer type 'ScaleW' clashes with the same type in user:scale-w.js",
  );
  await save(page);
  const sameType = page.getByRole('alertdialog', {
    name: 'copy.js defines a layer that is already loaded',
  });
  await expect(sameType).toContainText('scale-w.js already defines the layer ScaleW');
  await sameType.getByRole('button', { name: 'Cancel' }).click();
  await expect(sameType).toHaveCount(0);
  await expect(editor(page)).toBeVisible();
  await expect(editor(page).getByRole('status')).toHaveCount(0);
  expect(await fileNames()).not.toContain('copy.js');

  // Replace: copy.js is saved and scale-w.js, which defined the same layer, is removed.
  await save(page);
  await sameType.getByRole('button', { name: 'Replace' }).click();
  await expect(editor(page).getByRole('status')).toContainText(
    'Saved copy.js and loaded it: ScaleW in the palette. Removed scale-w.js.',
  );
  await expect(check(page).getByTestId('draft-layer')).toContainText('gradients ok');
  await expect.poll(fileNames).toContain('copy.js');
  expect(await fileNames()).not.toContain('scale-w.js');
  await closeEditor(page);

  // A new layer under the name copy.js: Keep both keeps it as copy-2.js.
  await newLayer(page, 'copy.js', scaleLayer('OtherScale', 'y = 3 a x', '[1]'));
  await save(page);
  const sameName = page.getByRole('alertdialog', {
    name: 'A plugin named copy.js is already loaded',
  });
  await expect(sameName).toContainText('kept as copy-2.js');
  await sameName.getByRole('button', { name: 'Keep both' }).click();
  await expect(editor(page).getByRole('status')).toContainText(
    'Saved copy-2.js and loaded it: OtherScale in the palette. Kept copy.js as copy-2.js',
  );
  await expect(editor(page).getByLabel('File name')).toHaveValue('copy-2.js');
  await closeEditor(page);
  await expect.poll(fileNames).toEqual(expect.arrayContaining(['copy.js', 'copy-2.js']));
  await expect(files).toContainText('y = 2 a x');
  await expect(files).toContainText('y = 3 a x');
});
