// Screenshots of the app's main screens for the README (docs/screenshots/app-*.png, 1440×900),
// and of the Lessons tab with lessons 5 and 7 set up (lesson-*.png). Each is taken once what it
// shows is on screen. Not a test of behaviour: `npm run screenshots` runs it
// (playwright.screenshots.config.ts); `npm test` does not, so the committed files stay.
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Page, expect, test } from '@playwright/test';
import {
  button,
  epochCounter,
  lossValue,
  openApp,
  openExportDialog,
  openFile,
  runState,
  selectNode,
  setTraining,
  trainingTab,
  trainStuckXor,
} from './app';

const DIR = 'docs/screenshots';

test.use({ viewport: { width: 1440, height: 900 } });
test.describe.configure({ timeout: 90_000 });

test.beforeAll(() => mkdirSync(DIR, { recursive: true }));

async function shot(page: Page, name: string): Promise<void> {
  // No hover highlight or tooltip left from the last click.
  await page.mouse.move(1430, 890);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${DIR}/app-${name}.png` });
}

async function trainXor(page: Page): Promise<void> {
  await openApp(page);
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  expect(await lossValue(page)).toBeLessThan(0.1);
}

test('main screen: XOR trained', async ({ page }) => {
  await trainXor(page);
  await trainingTab(page);
  await shot(page, 'main');
});

test('builder: a node selected, the inspector', async ({ page }) => {
  await trainXor(page);
  const inspector = await selectNode(page, 'fc1');
  await expect(inspector.getByLabel('units', { exact: true })).toHaveValue('8');
  await shot(page, 'inspector');
});

test('training in progress, with the charts', async ({ page }) => {
  await openApp(page);
  await openFile(page, 'examples/spiral.json');
  await expect(page.getByTestId('project-name')).toHaveText('Spiral');
  await setTraining(page, { Epochs: 6000 });
  await page.getByRole('tab', { name: 'Lab', exact: true }).click();
  await page.getByTestId('lab-panel').getByRole('tab', { name: 'Boundary', exact: true }).click();
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/running/i);
  // Part way through the run, while it runs: its curves, its speed and the live boundary.
  await expect
    .poll(async () => (await epochCounter(page))[0], { timeout: 60_000, intervals: [50] })
    .toBeGreaterThan(2500);
  await page.screenshot({ path: `${DIR}/app-training.png` });
  await expect(runState(page)).toHaveText(/running/i);
});

test('watching a slow run: neuron maps in the nodes, Forward & δ step by step', async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole('slider', { name: 'Training speed' }).fill('1'); // 2 steps/s
  await page.getByRole('tab', { name: 'Lab', exact: true }).click();
  await page
    .getByTestId('lab-panel')
    .getByRole('tab', { name: 'Forward & δ', exact: true })
    .click();
  await button(page, 'Train').click();
  await expect(page.getByTestId('lab-weights')).toHaveText('live · epoch 1 · batch 5/10', {
    timeout: 30_000,
  });
  await page.mouse.move(1430, 890);
  await page.screenshot({ path: `${DIR}/app-watch.png` });
  await button(page, 'Stop').click();
});

test('a layer dragged onto a connection: the connection is marked', async ({ page }) => {
  await openApp(page);
  const label = page.locator('[data-edge-id="h1->fc2"]');
  const box = (await label.boundingBox())!;
  await label.evaluate(
    (el, { x, y }) => {
      const dataTransfer = new DataTransfer();
      dataTransfer.setData('application/x-backprop-layer', 'ReLU');
      el.dispatchEvent(
        new DragEvent('dragover', { dataTransfer, clientX: x, clientY: y, bubbles: true }),
      );
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  await expect(label).toHaveClass(/insert-target/);
  await page.screenshot({
    path: `${DIR}/app-insert.png`,
    clip: { x: 220, y: 260, width: 900, height: 220 },
  });
});

test('a problem on the node that must change, and a stray node warned about', async ({ page }) => {
  await openApp(page);
  const inspector = await selectNode(page, 'fc2');
  const units = inspector.getByLabel('units', { exact: true });
  await units.fill('8');
  await units.press('Enter');
  await expect(button(page, 'Train')).toBeDisabled();
  await expect(inspector.getByText(/set fc2's units to 1/)).toBeVisible();
  await shot(page, 'live-error');

  await units.fill('1');
  await units.press('Enter');
  await expect(button(page, 'Train')).toBeEnabled();
  const item = page
    .getByRole('complementary', { name: 'Layer palette' })
    .getByRole('listitem', { name: 'ReLU', exact: true });
  await item.dragTo(page.getByRole('region', { name: 'Network canvas' }), {
    targetPosition: { x: 520, y: 470 },
  });
  await selectNode(page, 'relu1');
  await expect(page.getByTestId('node-warning').first()).toBeVisible();
  await shot(page, 'stray-node');
});

test('a run stuck worse than guessing: the loss stays put, and the banner says why', async ({
  page,
}) => {
  await trainStuckXor(page);
  await expect(page.getByTestId('training-stuck')).toBeVisible();
  await shot(page, 'stuck');
});

test('the Export dialog', async ({ page }) => {
  await trainXor(page);
  const dialog = await openExportDialog(page);
  await expect(dialog).toContainText('Exports the weights after epoch 200');
  await shot(page, 'export');
});

test('the Plugins tab, with a broken plugin', async ({ page }, info) => {
  await openApp(page);
  // A plugin with a mistake in it: the tab shows where.
  const broken = info.outputPath('scaled.js');
  writeFileSync(
    broken,
    [
      'export default {',
      "  type: 'Scaled',",
      "  description: 'y = 2x',",
      '  build({ inShapes }) { return { outShape: inShapes[0] } },',
      '  forward(ctx, x) { return ctx.ops.mul(x, 2) ',
      '};',
      '',
    ].join('\n'),
  );
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Load plugin…' }).click(),
  ]);
  await chooser.setFiles(broken);
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  const panel = page.getByRole('tabpanel', { name: /Plugins/ });
  await expect(panel).toContainText('scaled.js');
  await expect(panel).toContainText('wacky.js');
  await expect(panel).toContainText(/scaled\.js.*broken/);
  await shot(page, 'plugins');
});

test('the CSV import column picker', async ({ page }) => {
  await openApp(page);
  const tab = await trainingTab(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    tab.getByRole('button', { name: 'Import CSV…' }).click(),
  ]);
  await chooser.setFiles('data/iris.csv');
  const dialog = page.getByRole('dialog', { name: 'Columns of iris.csv' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('species');
  await expect(dialog).toContainText('setosa');
  await shot(page, 'csv');
});

test('a trained project reopened after a reload, and the Recent menu', async ({ page }) => {
  await openApp(page);
  // Two other files opened before: the Recent menu lists them too.
  await openFile(page, 'examples/iris.json');
  await expect(page.getByTestId('project-name')).toHaveText('Iris');
  await openFile(page, 'examples/xor.json');
  await expect(page.getByTestId('project-name')).toHaveText('XOR');
  await openFile(page, 'examples/spiral.json');
  await expect(page.getByTestId('project-name')).toHaveText('Spiral');
  await setTraining(page, { Epochs: 6000 });
  await button(page, 'Train').click();
  await expect
    .poll(async () => (await epochCounter(page))[0], { timeout: 60_000 })
    .toBeGreaterThan(1500);
  await button(page, 'Stop').click();
  await expect(runState(page)).toHaveText(/stopped/i);
  // Saved once (a download here), so that it is a recent project too.
  const [saved] = await Promise.all([page.waitForEvent('download'), button(page, 'Save').click()]);
  await saved.path();
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(runState(page)).toHaveText(/stopped/i);
  await page.getByRole('tab', { name: 'Lab', exact: true }).click();
  await page.getByTestId('lab-panel').getByRole('tab', { name: 'Boundary', exact: true }).click();
  await expect(page.getByTestId('lab-weights')).toHaveText(/epoch \d+/);
  await shot(page, 'reopened');
  await page.getByRole('banner').getByRole('button', { name: 'Recent' }).click();
  await expect(page.getByRole('menu', { name: 'Recent projects' })).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({
    path: `${DIR}/app-recent.png`,
    clip: { x: 0, y: 0, width: 720, height: 240 },
  });
});

/** Breast-cancer-like columns (scales from 0.003 to 2,500) for the normalization screenshots. */
function tabularCsv(): string {
  const lines = ['mean_radius,mean_area,mean_smoothness,fractal_dimension_error,diagnosis'];
  for (let i = 0; i < 300; i++) {
    const a = ((i * 37) % 100) / 100,
      b = ((i * 53) % 100) / 100;
    const radius = 8 + 16 * a;
    const area = Math.PI * radius * radius * (0.9 + 0.2 * b);
    const smooth = 0.06 + 0.06 * b;
    const fractal = 0.001 + (0.004 * ((i * 71) % 100)) / 100;
    const label = area + 8000 * (smooth - 0.09) > 700 ? 'malignant' : 'benign';
    lines.push(
      `${radius.toFixed(2)},${area.toFixed(1)},${smooth.toFixed(4)},${fractal.toFixed(5)},${label}`,
    );
  }
  return lines.join('\n') + '\n';
}

test('normalization: the CSV import and the data section suggest standardizing', async ({
  page,
}) => {
  await openApp(page);
  const tab = await trainingTab(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    tab.getByRole('button', { name: 'Import CSV…' }).click(),
  ]);
  await chooser.setFiles({
    name: 'cancer.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(tabularCsv()),
  });
  const dialog = page.getByRole('dialog', { name: 'Columns of cancer.csv' });
  await expect(dialog.getByTestId('scale-hint')).toBeVisible();
  await shot(page, 'csv-scales');
  await dialog.getByRole('button', { name: 'Use these columns' }).click();
  await expect(dialog).toBeHidden();
  await expect(tab.getByTestId('scale-hint')).toBeVisible();
  await shot(page, 'normalize');
});

/** Lessons tab → lesson `n` → Set it up, until the lesson waits for the student. */
async function setUpLesson(page: Page, n: number, title: string): Promise<void> {
  await page.getByRole('tab', { name: 'Lessons', exact: true }).click();
  await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: title }).click();
  await page.getByRole('button', { name: `Set up lesson ${n}: ${title}` }).click();
  await expect(page.getByTestId('lesson-status')).toHaveText('Waiting for you to do it.', {
    timeout: 30_000,
  });
}

test('the Lessons panel, and lessons 5 and 7 set up', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Lessons', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Lessons' })).toBeVisible();
  await shot(page, 'lessons');

  // Lesson 5: a weight moved to twice its value, the blame's share doubled.
  await setUpLesson(page, 5, 'Blame scales with the weight');
  const lab = page.getByTestId('lab-panel');
  const slider = lab.getByRole('slider', { name: /^Weight W⁽²⁾ from input \d+ to neuron 1$/ });
  await slider.fill(String(Math.round(200 * Number(await slider.inputValue())) / 100));
  await expect(page.getByTestId('lesson-status')).toHaveText(/^Done — /);
  await page.mouse.move(1430, 890);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${DIR}/lesson-blame.png` });

  // Lesson 7: the broken wacky layer in the lesson's code editor, its gradient check failing.
  await setUpLesson(page, 7, 'The wacky custom layer');
  await expect(page.getByTestId('lesson-editor').locator('.cm-content')).toContainText(
    'backward(ctx, gy, { a })',
  );
  await page.mouse.move(1430, 890);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${DIR}/lesson-wacky.png` });
});
