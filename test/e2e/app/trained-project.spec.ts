// Nothing is lost on reload, and a project keeps its training: train, reload the page, see the
// same curves, epoch and loss, and Train continues to the weights an uninterrupted run gives, bit
// for bit (also from the middle of an epoch). A saved file reopens trained; Recent opens it
// again; a file whose training is broken opens without it and says why.
import { readFile, writeFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import { readSafetensors } from '../../../core/io';
import {
  button,
  download,
  epochCounter,
  exportWeights,
  lossText,
  newProject,
  openApp,
  openFile,
  runState,
  setTraining,
} from './app';

/** What the charts show: the legend's last values, and each chart's "no curve yet" note. */
async function charts(page: Page): Promise<{ legend: string[]; empty: number }> {
  const region = page.getByRole('region', { name: 'Training charts' });
  return {
    legend: await region.locator('.legend b').allTextContents(),
    empty: await region.getByText('Train to see the curves per epoch').count(),
  };
}

async function screen(page: Page) {
  return {
    epoch: await epochCounter(page),
    loss: await lossText(page).textContent(),
    state: await runState(page).textContent(),
    charts: await charts(page),
  };
}

/** The weights as their float32 bits, exported through the Export dialog. */
async function weightBits(page: Page, source: string): Promise<Record<string, number[]>> {
  const file = await exportWeights(page, source);
  const { tensors } = readSafetensors(new Uint8Array(file.bytes));
  return Object.fromEntries(
    Object.entries(tensors).map(([k, t]) => [k, Array.from(new Uint32Array(t.data.buffer))]),
  );
}

/** Reload the page, leaving it even though it has unsaved changes (the browser asks). */
async function reload(page: Page): Promise<void> {
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
}

async function stepTimes(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = await lossText(page).textContent();
    await button(page, 'Step').click();
    await expect(lossText(page)).not.toHaveText(before ?? '');
    await expect(runState(page)).toHaveText(/paused/i);
  }
}

test('train, reload: the same curves and epoch; Train resumes to the uninterrupted run’s weights', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openApp(page);
  await setTraining(page, { Epochs: 30 });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  const before = await screen(page);
  expect(before.epoch).toEqual([30, 30]);
  expect(before.charts.empty).toBe(0);
  await expect(page.getByTestId('project-name')).toContainText('unsaved');

  await reload(page);
  // The same project, trained: the curves, the epoch, the last batch's loss; still unsaved.
  await expect(runState(page)).toHaveText(/finished/i);
  expect(await screen(page)).toEqual(before);
  await expect(page.getByTestId('project-name')).toContainText('unsaved');
  const lab = page.getByRole('tab', { name: 'Lab', exact: true });
  await lab.click();
  await expect(page.getByTestId('lab-weights')).toHaveText(/epoch 30/);

  // ---- on to 60 epochs: Train continues where it stopped ----
  await setTraining(page, { Epochs: 60 });
  await expect(button(page, 'Train')).toHaveAttribute(
    'title',
    /^Continue the saved training at epoch 31/,
  );
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  expect(await epochCounter(page)).toEqual([60, 60]);
  const resumed = await weightBits(page, 'the weights after epoch 60');

  // ---- the same 60 epochs at once, after Reset ----
  await button(page, 'Reset').click();
  await expect(runState(page)).toHaveText(/idle/i);
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  expect(await weightBits(page, 'the weights after epoch 60')).toEqual(resumed);
});

test('stopped in the middle of an epoch, reloaded, resumed: still the uninterrupted run', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openApp(page);
  await setTraining(page, { Epochs: 4 });
  // One epoch and three batches of the next (ten batches an epoch), then Stop.
  await stepTimes(page, 13);
  expect(await epochCounter(page)).toEqual([2, 4]);
  await button(page, 'Stop').click();
  await expect(runState(page)).toHaveText(/stopped/i);
  const stopped = await screen(page);

  await reload(page);
  await expect(runState(page)).toHaveText(/stopped/i);
  expect(await screen(page)).toEqual(stopped);
  await expect(button(page, 'Train')).toHaveAttribute(
    'title',
    'Continue the saved training at batch 4 of epoch 2 (Reset to start over)',
  );
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  const resumed = await weightBits(page, 'the weights after epoch 4');

  await button(page, 'Reset').click();
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  expect(await weightBits(page, 'the weights after epoch 4')).toEqual(resumed);
});

test('a saved file keeps its training; Recent opens it again; a broken training section is named', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await openApp(page);
  await setTraining(page, { Epochs: 20 });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  const trained = await screen(page);
  const saved = await download(page, () => button(page, 'Save').click());
  const file = JSON.parse(saved.bytes.toString('utf8'));
  expect(file.version).toBe(2);
  expect(file.trained.epoch).toBe(20);
  await expect(page.getByTestId('project-name')).not.toContainText('unsaved');
  const savedPath = info.outputPath('xor-trained.json');
  await writeFile(savedPath, saved.bytes);

  // ---- something else, then the file: trained again ----
  await newProject(page);
  expect((await screen(page)).epoch[0]).toBe(0);
  await openFile(page, savedPath);
  await expect(runState(page)).toHaveText(/finished/i);
  expect(await screen(page)).toEqual(trained);

  // ---- Recent: the browser kept the file's text ----
  await newProject(page);
  const recent = page.getByRole('banner').getByRole('button', { name: 'Recent' });
  await recent.click();
  const menu = page.getByRole('menu', { name: 'Recent projects' });
  await expect(menu.getByRole('menuitem')).toHaveText(['xor-trained.json', 'XOR.json']);
  await menu.getByRole('menuitem', { name: 'xor-trained.json' }).click();
  await expect(page.getByTestId('project-name')).toHaveText('XOR');
  await expect(runState(page)).toHaveText(/finished/i);
  expect(await screen(page)).toEqual(trained);

  // ---- a file whose training is broken: the network opens, the banner says why ----
  const broken = structuredClone(file);
  broken.trained.weights['fc1.weight'].data = 'AAAAAA==';
  const brokenPath = info.outputPath('broken-training.json');
  await writeFile(brokenPath, JSON.stringify(broken));
  await openFile(page, brokenPath);
  const banner = page.getByTestId('trained-problem');
  await expect(banner).toContainText('Opened without its training.');
  await expect(banner).toContainText(
    'broken-training.json: trained.weights.fc1.weight.data: holds 1 float32 value, but the shape [8, 2] has 16',
  );
  await expect(page.locator('.vue-flow__node')).toHaveCount(5);
  await expect(runState(page)).toHaveText(/idle/i);
  expect((await screen(page)).epoch[0]).toBe(0);
  expect(JSON.parse(await readFile(brokenPath, 'utf8')).trained.epoch).toBe(20);
});
