// A diagnosis for ui-thread.spec.ts, not a test: a Chromium trace of the page's main thread over
// a few seconds of training, printing every task's wall time next to its CPU time. A task that
// took 80 ms on the clock but 3 ms of CPU was the machine's doing (another process had the core),
// not the app's. Runs only with UI_THREAD_TRACE=1.
import { expect, test } from '@playwright/test';
import { button, openApp, openFile, runState, setTraining } from './app';

test.skip(!process.env.UI_THREAD_TRACE, 'set UI_THREAD_TRACE=1 to trace the UI thread');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

for (const what of ['xor', 'spiral'] as const) {
  test(`main-thread tasks while training ${what}: wall time and CPU time`, async ({ page }) => {
    await openApp(page);
    if (what === 'spiral') await openFile(page, 'examples/spiral.json');
    await setTraining(page, { Epochs: 1_000_000 });
    const cdp = await page.context().newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) =>
      cdp.once('Tracing.tracingComplete', () => resolve()),
    );
    await cdp.send('Tracing.start', {
      categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    await button(page, 'Train').click();
    await expect(runState(page)).toHaveText(/running/i);
    await page.waitForTimeout(4000);
    await cdp.send('Tracing.end');
    await complete;
    await button(page, 'Stop').click();

    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    expect(main, 'the trace has the renderer main thread').toBeDefined();
    const tasks = events.filter(
      (e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === main!.pid && e.tid === main!.tid,
    );
    const ms = (us = 0) => Math.round(us / 100) / 10;
    const long = tasks
      .filter((t) => (t.dur ?? 0) > 50_000)
      .map((t) => `${ms(t.dur)} ms wall / ${ms(t.tdur)} ms CPU`);
    const cpu = tasks.map((t) => ms(t.tdur)).sort((a, b) => b - a);
    console.log(
      `${what}: ${tasks.length} tasks in 4 s, main-thread CPU ${Math.round(
        cpu.reduce((a, b) => a + b, 0),
      )} ms; longest CPU ${cpu.slice(0, 3).join(', ')} ms; over 50 ms wall: ${
        long.length ? long.join('; ') : 'none'
      }`,
    );
  });
}
