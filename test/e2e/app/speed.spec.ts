// Training a person can watch: the speed control holds the worker's loop to a few steps a second;
// every step moves the toolbar's counter, the Lab's counter and the open view together; Pause
// works between two slow steps. (No timing is asserted: only that things change, or do not.)
import { type Page, expect, test } from '@playwright/test';
import { canvasPixels, openView } from '../lab/lab';
import { button, epochCounter, openApp, runState } from './app';

const speed = (page: Page) => page.getByRole('slider', { name: 'Training speed' });
const batchText = (page: Page) => page.getByTestId('batch');
const chip = (page: Page) => page.getByTestId('lab-weights');

/** The toolbar's "batch 3 / 10" as 3. */
async function batchNow(page: Page): Promise<number> {
  const t = ((await batchText(page).textContent()) ?? '').replace(/\u2009/g, ' ');
  const m = /batch\s*(\d+)\s*\/\s*10/.exec(t);
  if (!m) throw new Error(`no batch counter in "${t}"`);
  return Number(m[1]);
}

test('one step is one count everywhere: toolbar and Lab say epoch 1, batch 1 after one Step', async ({
  page,
}) => {
  await openApp(page);
  await openView(page, 'boundary');
  await button(page, 'Step').click();
  await expect(runState(page)).toHaveText(/paused/i);
  expect(await epochCounter(page)).toEqual([1, 200]);
  await expect(batchText(page)).toHaveText(/batch\s1\s\/\s10/);
  await expect(chip(page)).toHaveText('run · epoch 1 · batch 1/10');
  await button(page, 'Step').click();
  await expect(chip(page)).toHaveText('run · epoch 1 · batch 2/10');
  await expect(batchText(page)).toHaveText(/batch\s2\s\/\s10/);
});

test('at 2 steps a second every step redraws the boundary and the δs, and Pause holds the run', async ({
  page,
}) => {
  await openApp(page);
  await expect(speed(page)).toHaveAttribute('aria-valuetext', 'full speed');
  await speed(page).fill('1');
  await expect(speed(page)).toHaveAttribute('aria-valuetext', '2 steps/s');
  const boundary = await openView(page, 'boundary');
  const canvas = boundary.getByTestId('boundary-canvas');
  await button(page, 'Train').click();
  // Pause is there from the start of a slow run.
  await expect(button(page, 'Pause')).toBeEnabled();

  // Three steps in a row: each one is shown by the toolbar and the Lab with the same counter,
  // and the boundary's pixels change from one step to the next.
  let pixels = '';
  let seen = 0;
  for (let i = 0; i < 3; i++) {
    await expect.poll(() => batchNow(page)).toBeGreaterThan(seen);
    seen = await batchNow(page);
    if (seen >= 9) break;
    await expect(chip(page)).toHaveText(`live · epoch 1 · batch ${seen}/10`);
    // The boundary is drawn from the worker's answer, a moment after the counter: wait for it.
    await expect.poll(() => canvasPixels(canvas)).not.toBe(pixels);
    pixels = await canvasPixels(canvas);
  }
  expect(seen).toBeGreaterThan(1);

  // The forward view follows every step too: its δ heatmap of fc1 changes between steps.
  const forward = await openView(page, 'forward');
  const delta = forward.getByRole('img', { name: /Local error δ⁽¹⁾ at fc1/ });
  await expect(delta).toBeVisible();
  const atStep = await batchNow(page);
  await expect(chip(page)).toHaveText(new RegExp(`batch ${atStep}/10$`));
  const before = await canvasPixels(delta);
  await expect.poll(() => batchNow(page)).not.toBe(atStep);
  await expect.poll(() => canvasPixels(delta)).not.toBe(before);

  // ---- Pause between two slow steps: nothing moves after it ----
  await button(page, 'Pause').click();
  await expect(runState(page)).toHaveText(/paused/i);
  const held = await batchNow(page);
  await page.waitForTimeout(1500); // three steps' time at this speed
  expect(await batchNow(page)).toBe(held);
  await expect(chip(page)).toHaveText(`run · epoch 1 · batch ${held}/10`);

  // Full speed from here: Resume runs the rest of the epochs at once.
  await speed(page).fill('5');
  await expect(speed(page)).toHaveAttribute('aria-valuetext', 'full speed');
  await button(page, 'Resume').click();
  await expect(runState(page)).toHaveText(/finished/i);
  expect(await epochCounter(page)).toEqual([200, 200]);
});
