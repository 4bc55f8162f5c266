// The app's own training speed, for `npm run bench` beside the command line's: the MLP workload
// (bench/workloads.ts) opened as a project in the web build in Chromium and trained by the
// worker (the preview server sends COOP/COEP: cross-origin isolated, two threads per large
// product where the worker can start its helper). Samples/s from the epoch counter over a
// window after a warm-up. Recorded, not asserted: what is asserted is that it trained.
import { writeFileAtomic } from '../../node/atomic-write';
import { expect, test } from '@playwright/test';
import { button, openApp, openFile, runState } from '../../test/e2e/app/app';
import { workloadProject } from '../engines/cli';
import { MLP, makeData } from '../workloads';
import { record } from './record';

const WARMUP_MS = 3000;
const WINDOW_MS = 8000;

const epochNow = async (page: import('@playwright/test').Page): Promise<number> => {
  const t = ((await page.getByTestId('epoch').textContent()) ?? '').replace(/[\s,\u2009]/g, '');
  const m = /Epoch(\d+)\//.exec(t);
  if (!m) throw new Error(`no epoch counter in "${t}"`);
  return Number(m[1]);
};

test('the MLP trained by the app', async ({ page }, info) => {
  test.setTimeout(120_000);
  const file = info.outputPath('mlp.json');
  writeFileAtomic(file, workloadProject(MLP, makeData(MLP)));
  await openApp(page);
  await openFile(page, file);
  await expect(page.getByTestId('project-name')).toHaveText(MLP.title);
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/running/i);
  await page.waitForTimeout(WARMUP_MS);
  const e0 = await epochNow(page);
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(WINDOW_MS);
  const e1 = await epochNow(page);
  const t1 = await page.evaluate(() => performance.now());
  const engine = (await page.getByTestId('rate').getAttribute('title')) ?? '';
  await button(page, 'Stop').click();
  await expect(runState(page)).toHaveText(/stopped/i);
  const samples = (e1 - e0) * MLP.batches * MLP.batchSize;
  record({
    scenario: `${MLP.title}: the app's worker`,
    windowMs: Math.round(t1 - t0),
    updatesPerSecond: null,
    tracedTasks: 0,
    maxTaskCpuMs: 0,
    longTasksMs: [],
    samplesPerSecond: Math.round((samples * 1000) / (t1 - t0)),
    engine,
  });
  expect(e1, 'epochs trained in the window').toBeGreaterThan(e0);
});
