// Issue 7's goal for the UI thread while training runs in the worker: no task longer than 50 ms
// (a long-task observer) and progress on screen at 10 updates a second or more. A measurement
// for `npm run bench` (bench/ui/playwright.config.ts), which prints the numbers against the
// goals: timings are not asserted in tests. What is asserted is that the measurement happened.
//
// A long-task observer sees wall-clock time. On a loaded machine the OS can take the core away
// from the page in the middle of a 3 ms task, and the observer then reports a 60–400 ms task
// that the app did not cause. So a Chromium trace of the page's main thread runs alongside and
// gives each task's CPU time.
import { type Page, expect, test } from '@playwright/test';
import { button, openApp, openFile, runState, setTraining } from '../../test/e2e/app/app';
import { LONG_TASK_MS, record } from './record';
import { traceMainThread } from './trace-main-thread';

const WINDOW_MS = 4000;

interface Measured {
  longTasks: { start: number; duration: number }[];
  /** When the Loss or epoch text changed. */
  updates: number[];
}

interface Probe {
  longTasks: { start: number; duration: number }[];
  updates: number[];
}

/** Observers in the page, installed before training starts. */
async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe: Probe = { longTasks: [], updates: [] };
    (window as unknown as { __probe: Probe }).__probe = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    const loss = document.querySelector('[data-testid="loss"]');
    const epoch = document.querySelector('[data-testid="epoch"]');
    if (!loss || !epoch) throw new Error('no Loss or epoch counter on the page');
    let last = `${loss.textContent}|${epoch.textContent}`;
    const seen = () => {
      const now = `${loss.textContent}|${epoch.textContent}`;
      if (now !== last) probe.updates.push(performance.now());
      last = now;
    };
    const options = { subtree: true, childList: true, characterData: true };
    new MutationObserver(seen).observe(loss, options);
    new MutationObserver(seen).observe(epoch, options);
  });
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** Train, and measure the UI thread over WINDOW_MS of the run. */
async function measureRun(page: Page, what: string) {
  await installProbe(page);
  const trace = await traceMainThread(page);
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/running/i);
  // The first progress has arrived: the run is under way.
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { __probe: Probe }).__probe.updates.length),
    )
    .toBeGreaterThan(0);
  const from = await pageNow(page);
  await page.waitForTimeout(WINDOW_MS);
  const to = await pageNow(page);
  const tasks = await trace.stop();
  await expect(runState(page)).toHaveText(/running/i);
  await button(page, 'Stop').click();
  await expect(runState(page)).toHaveText(/stopped/i);
  // Long tasks are reported after they end: give the observer a moment.
  await page.waitForTimeout(200);
  const m = await page.evaluate(() => (window as unknown as { __probe: Measured }).__probe);
  const inWindow = m.longTasks.filter((t) => t.start + t.duration >= from && t.start <= to);
  const updates = m.updates.filter((t) => t >= from && t <= to);
  const perSecond = (updates.length * 1000) / (to - from);
  const gaps = updates.slice(1).map((t, i) => t - updates[i]);
  const maxTaskCpuMs = Math.max(...tasks.map((t) => t.cpuMs));
  record({
    scenario: what,
    windowMs: Math.round(to - from),
    updatesPerSecond: Number(perSecond.toFixed(1)),
    tracedTasks: tasks.length,
    maxTaskCpuMs: Number(maxTaskCpuMs.toFixed(1)),
    longTasksMs: inWindow.map((t) => Math.round(t.duration)),
  });
  const stretched = tasks.filter((t) => t.wallMs > LONG_TASK_MS);
  if (stretched.length)
    console.log(
      `${what}: tasks over ${LONG_TASK_MS} ms on the clock: ${stretched.map((t) => `${t.wallMs.toFixed(0)} ms wall / ${t.cpuMs.toFixed(1)} ms CPU`).join('; ')}; longest gap between updates ${Math.round(Math.max(0, ...gaps))} ms`,
    );
  // The measurement happened: the run made progress and the trace saw the page's tasks.
  expect(updates.length, 'progress updates in the window').toBeGreaterThan(0);
  expect(tasks.length, 'main-thread tasks in the trace').toBeGreaterThan(50);
}

test.describe('the UI thread while training', () => {
  test.describe.configure({ timeout: 60_000 });

  test('XOR with many epochs', async ({ page }) => {
    await openApp(page);
    // Tens of thousands of epochs a second: the run outlasts the window, and the charts take in
    // a great many epochs while it is measured.
    await setTraining(page, { Epochs: 1_000_000 });
    await measureRun(page, 'XOR training (1,000,000 epochs)');
  });

  test('Spiral (two hidden layers, Adam)', async ({ page }) => {
    await openApp(page);
    await openFile(page, 'examples/spiral.json');
    await expect(page.getByTestId('project-name')).toHaveText('Spiral');
    await setTraining(page, { Epochs: 100_000 });
    await measureRun(page, 'Spiral training (two hidden layers, Adam)');
  });
});
