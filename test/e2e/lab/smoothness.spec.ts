// How smooth the Lab stays while training: the UI thread's long tasks (over 50 ms, from the
// browser's Long Tasks API) and the longest drawing, per live view, on XOR and on digits (64
// inputs, 10 classes). A measurement, not a test: it runs only with LAB_MEASURE=1 and reports.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { type ViewName, openApp, openView, setEpochs } from './lab';

test.skip(!process.env.LAB_MEASURE, 'set LAB_MEASURE=1 to measure');

const digits = fileURLToPath(new URL('../../../examples/digits.json', import.meta.url));

interface Seen {
  longTasks: number[];
  draw: { max: number; maxName: string; count: number; maxBy: Record<string, number> };
}

async function watch(page: import('@playwright/test').Page, ms: number): Promise<Seen> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __long: number[];
      __observer?: PerformanceObserver;
      __labDrawTimes: Seen['draw'];
    };
    w.__observer?.disconnect();
    const seen: number[] = (w.__long = []);
    w.__labDrawTimes.max = 0;
    w.__labDrawTimes.count = 0;
    w.__labDrawTimes.maxBy = {};
    w.__observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.push(e.duration);
    });
    w.__observer.observe({ type: 'longtask' });
  });
  await page.waitForTimeout(ms);
  return page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __labDrawTimes: Seen['draw'] };
    return { longTasks: w.__long.slice(), draw: { ...w.__labDrawTimes } };
  });
}

async function measure(
  page: import('@playwright/test').Page,
  label: string,
  views: (ViewName | 'none')[],
) {
  for (const view of views) {
    // 'none': the Training tab instead of the Lab, for comparison.
    if (view === 'none') await page.getByRole('tab', { name: 'Training', exact: true }).click();
    else await openView(page, view);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    if (view !== 'none')
      await expect(page.getByTestId('lab-weights')).toHaveText(/live/, { timeout: 30_000 });
    const seen = await watch(page, 5000);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const worst = seen.longTasks.length ? Math.max(...seen.longTasks).toFixed(0) : 'none';
    console.log(
      `${label} ${view}: long tasks ${seen.longTasks.length} (longest ${worst} ms); ` +
        `${seen.draw.count} drawings, longest ${seen.draw.max.toFixed(1)} ms (${seen.draw.maxName}); ` +
        Object.entries(seen.draw.maxBy)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', '),
    );
  }
}

test('the UI thread while the Lab follows a run', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await setEpochs(page, 100_000);
  await measure(page, 'XOR', ['none', 'boundary', 'forward', 'blame', 'jacobian']);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…' }).click();
  // The epochs were changed: the app asks before it drops that.
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await (await chooser).setFiles(digits);
  await expect(page.getByRole('heading', { name: /Digits/ })).toBeVisible();
  await setEpochs(page, 10_000);
  await measure(page, 'digits', ['none', 'forward', 'blame', 'jacobian']);
});
