// Issue 12: nothing hangs silently. A plugin stuck in an endless loop while loading or while
// training, with the step time limit set to 1 s in the Training tab: the run stops, naming the
// node and phase, the network and its last weights stay; a training worker that dies is noticed
// at once and replaced.
import { writeFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import { makeProject } from '../../helpers/project';
import { button, openApp, openFile, runState, setTraining } from '../app/app';

const LOOP_LATER = `let calls = 0;
export default {
  type: 'LoopLater',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  // Fine for the load-time check (batch 2); stuck from the 60th training batch on.
  forward(ctx, x) {
    if (x.shape[0] >= 16 && ++calls > 60) for (;;) {}
    return ctx.ops.scale(x, 1);
  },
};
`;

const LOOP_AT_LOAD = `for (;;) {}
export default {};
`;

async function loadPlugin(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Load plugin…' }).first().click(),
  ]);
  await chooser.setFiles(file);
}

test('a plugin stuck while loading or training is stopped after the step time limit', async ({
  page,
}, info) => {
  await openApp(page);
  await setTraining(page, { 'Step time limit (s)': 1 });

  const atLoad = info.outputPath('loop-at-load.js');
  await writeFile(atLoad, LOOP_AT_LOAD);
  await loadPlugin(page, atLoad);
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  const list = page.getByRole('list', { name: 'Plugin files' });
  await expect(list.locator(':scope > li', { hasText: 'loop-at-load.js' })).toContainText(
    'did not finish loading within 1 s',
    { timeout: 10_000 },
  );

  const later = info.outputPath('loop-later.js');
  await writeFile(later, LOOP_LATER);
  await loadPlugin(page, later);
  await expect(list.locator(':scope > li', { hasText: 'loop-later.js' })).toContainText(
    'gradients ok',
  );
  const project = makeProject(
    [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'loop', type: 'LoopLater', inputs: ['fc1'] },
      { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['loop'] },
      { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
    ],
    { name: 'Loops later' },
  );
  project.data = { source: 'builtin:xor', samples: 200, noise: 0.1, testFraction: 0.2 };
  project.training = { ...project.training, batchSize: 16, epochs: 1000 };
  const file = info.outputPath('loops-later.json');
  await writeFile(file, JSON.stringify(project));
  await openFile(page, file);
  await expect(page.getByTestId('project-name')).toHaveText('Loops later');
  await expect(page.locator('.vue-flow__node')).toHaveCount(5);

  const started = Date.now();
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/failed/i, { timeout: 15_000 });
  const seconds = (Date.now() - started) / 1000;
  const error = page.getByTestId('training-error');
  await expect(error).toContainText(
    'node loop (LoopLater from plugin user:loop-later.js): forward did not finish within 1 s (during a training step: epoch',
  );
  await expect(error).toContainText('the network and its last weights are kept');
  expect(seconds).toBeLessThan(10);
  // The network is as it was, and the weights of the last epochs before the loop are there.
  await expect(page.locator('.vue-flow__node')).toHaveCount(5);
  await page.getByRole('banner').getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toContainText(/Exports the weights .* epoch \d+/);
});

test('a training worker that dies is noticed at once and replaced', async ({ page }) => {
  await openApp(page);
  await expect.poll(() => page.workers().some((w) => /training\.worker/.test(w.url()))).toBe(true);
  const worker = page.workers().find((w) => /training\.worker/.test(w.url()))!;
  const started = Date.now();
  await worker.evaluate(() => self.close()).catch(() => {});
  await expect(page.getByRole('status').filter({ hasText: 'stopped unexpectedly' })).toBeVisible({
    timeout: 5_000,
  });
  expect(Date.now() - started).toBeLessThan(3_000);
  // The new worker trains.
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 30_000 });
});
