// Every lesson end to end, as a student takes it: the Lessons tab, the lesson, "Set it up"
// (three clicks), then the one thing the lesson asks for, done through the app's own controls,
// and the lesson's check saying "Done — …" with what happened.
import { type Page, expect, test } from '@playwright/test';
import { LESSON_WACKY_SOURCE } from '../../../renderer/lessons/wacky-broken';
import { openApp, replaceEditorText } from './app';

const card = (page: Page) => page.getByTestId('lesson-card');
const status = (page: Page) => card(page).getByTestId('lesson-status');
const lab = (page: Page) => page.getByTestId('lab-panel');

/** Lessons tab → the lesson → Set it up; waits until the lesson watches for the task. */
async function setUp(page: Page, n: number, title: string): Promise<void> {
  await page.getByRole('tab', { name: 'Lessons', exact: true }).click();
  const list = page.getByRole('list', { name: 'Lessons' });
  await list.getByRole('button', { name: title }).click();
  await page.getByRole('button', { name: `Set up lesson ${n}: ${title}` }).click();
  await expect(card(page)).toBeVisible();
  await expect(status(page)).toHaveText('Waiting for you to do it.', { timeout: 30_000 });
}

async function expectDone(page: Page, text: RegExp, timeout = 15_000): Promise<string> {
  await expect(status(page)).toHaveText(text, { timeout });
  return (await status(page).textContent()) ?? '';
}

/** Press the Step-by-step view's Next until the lesson is done (at most `most` times). */
async function nextUntilDone(page: Page, most: number): Promise<number> {
  const next = lab(page).getByRole('button', { name: 'Next →' });
  for (let i = 1; i <= most; i++) {
    await next.click();
    if (/^Done — /.test((await status(page).textContent()) ?? '')) return i;
    await page.waitForTimeout(100);
  }
  return -1;
}

test.beforeEach(async ({ page }) => openApp(page));

test('1 forward()/backward(): Next through the forward pass reaches the loss', async ({ page }) => {
  await setUp(page, 1, 'forward() and backward() at every node');
  await expect(lab(page).locator('[data-view="steps"]')).toBeVisible();
  const presses = await nextUntilDone(page, 8);
  // x, fc1, h1, fc2, y forward: four presses from x's step to the loss.
  expect(presses).toBe(5);
  await expectDone(page, /^Done — forward\(\) ran at x, fc1, h1, fc2, y.*L = \d/);
});

test('2 BCE on a sigmoid: one Next to the sigmoid backward shows δ = ŷ − y', async ({ page }) => {
  await setUp(page, 2, 'BCE on a sigmoid: δ = ŷ − y');
  await expect(lab(page).getByTestId('step-node')).toHaveCount(0);
  await lab(page).getByRole('button', { name: 'Next →' }).click();
  await expect(lab(page).getByTestId('step-node')).toHaveText('y');
  await expect(lab(page).getByTestId('step-shortcut')).toBeVisible();
  const text = await expectDone(
    page,
    /^Done — for sample 1, ŷ = [\d.]+ and y = [01]: δ = ŷ − y = /,
  );
  const [, yHat, y, d] = /ŷ = ([\d.]+) and y = ([01]).*= ([+−-]?[\d.]+)\./.exec(text)!;
  expect(Number(d.replace('−', '-'))).toBeCloseTo(Number(yHat) - Number(y), 2);
});

test('3 local error: training shrinks δ⁽²⁾', async ({ page }) => {
  await setUp(page, 3, 'The local error δ');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const text = await expectDone(page, /^Done — after \d+ epochs the mean \|δ⁽²⁾\|/, 60_000);
  const [, from, to] = /went from ([\d.]+) to ([\d.]+)/.exec(text)!;
  expect(Number(to)).toBeLessThan(0.75 * Number(from));
});

test('4 weight gradients: Next to fc1’s backward names both gradients', async ({ page }) => {
  await setUp(page, 4, 'Gradients of W⁽²⁾ and W⁽¹⁾ from δ');
  // From y's backward: fc2, h1, fc1.
  expect(await nextUntilDone(page, 6)).toBe(3);
  await expect(lab(page).getByTestId('step-node')).toHaveText('fc1');
  await expectDone(page, /^Done — ‖∂L\/∂W⁽²⁾‖ = [\d.]+, then ‖∂L\/∂W⁽¹⁾‖ = [\d.]+\./);
});

test('5 blame: doubling a weight doubles its share, W·δ', async ({ page }) => {
  await setUp(page, 5, 'Blame scales with the weight');
  const slider = lab(page).getByRole('slider', {
    name: /^Weight W⁽²⁾ from input \d+ to neuron 1$/,
  });
  const w = Number(await slider.inputValue());
  const share = Number(
    (await lab(page).getByTestId('blame-move-share').textContent())!.replace('−', '-'),
  );
  await slider.fill(String(Math.round(200 * w) / 100));
  const text = await expectDone(page, /^Done — W⁽²⁾₁,[₀-₉]+ went from /);
  await expect(lab(page).getByTestId('lab-weights')).toContainText('1 moved by hand');
  const [, after] = /share of the blame from [+−-]?[\d.]+ to ([+−-]?[\d.]+)/.exec(text)!;
  // δ⁽²⁾ moves a little with ŷ, so the share about doubles, with the same sign.
  const ratio = Number(after.replace('−', '-')) / share;
  expect(ratio).toBeGreaterThan(1.5);
  expect(ratio).toBeLessThan(2.5);
});

test('6 Jacobians: From h1 shortens the chain of factors', async ({ page }) => {
  await setUp(page, 6, 'Jacobians for D layers');
  await lab(page).getByRole('combobox', { name: 'From node' }).selectOption('h1');
  await expectDone(
    page,
    /^Done — ∂y\/∂h1 \(1 × 8\) is the product of 2 factors, where ∂y\/∂x took 4; finite differences agree/,
  );
});

test('7 wacky layer: fixing backward makes the gradient check pass', async ({ page }) => {
  await setUp(page, 7, 'The wacky custom layer');
  const main = page.locator('.lab-main');
  await expect(main.locator('[data-view="gradcheck"]')).toBeVisible();
  await expect(main.getByRole('combobox', { name: 'Plugin layer' })).toHaveValue('LessonWacky');
  // The layer editor's code editor (CodeMirror), holding the broken layer, opened at the part
  // to fix (CodeMirror draws only the lines in view: the file's top is scrolled away).
  const editor = card(page).getByRole('textbox', { name: 'The lesson’s plugin, LessonWacky' });
  await expect(editor).toContainText('gx.data[i] = gy.data[i] * s.data[i];');
  await expect(editor).not.toContainText("type: 'LessonWacky'");
  const broken = LESSON_WACKY_SOURCE;
  const replaceAll = (source: string) => replaceEditorText(editor, source);
  // A wrong fix first: it loads, the check still fails, the lesson waits.
  await replaceAll(broken.replace('gy.data[i] * s.data[i];', 'gy.data[i] * (s.data[i] + ds);'));
  await card(page).getByRole('button', { name: 'Load my fix' }).click();
  await page.waitForTimeout(1500);
  await expect(status(page)).toHaveText('Waiting for you to do it.');
  const fixed = broken.replace(
    'gy.data[i] * s.data[i];',
    'gy.data[i] * (s.data[i] + x.data[i] * ds * a.data[i % n]);',
  );
  expect(fixed).not.toBe(broken);
  await replaceAll(fixed);
  await card(page).getByRole('button', { name: 'Load my fix' }).click();
  await expectDone(
    page,
    /^Done — backward\(\) and finite differences agree on every gradient \(x, a; .*where x failed before\./,
    30_000,
  );
});

test('8 stored for backprop: a batch of 256 keeps 16× the bytes', async ({ page }) => {
  await setUp(page, 8, 'What is stored for backprop');
  await lab(page).getByRole('combobox', { name: 'Batch size' }).selectOption('256');
  const text = await expectDone(page, /^Done — at a batch of 256 the step holds /);
  expect(text).toContain('16× the');
  expect(text).toContain('a batch of 16');
});

test('9 detach: ticking detach on h1 lowers the peak', async ({ page }) => {
  await setUp(page, 9, 'detach');
  await lab(page).getByRole('checkbox', { name: 'detach h1' }).check();
  const text = await expectDone(page, /^Done — with h1 detached the step holds .* \(−\d+ %\)/);
  expect(Number(/−(\d+) %/.exec(text)![1])).toBeGreaterThan(0);
});

test('10 freezing: ticking frozen on fc1 lowers the peak', async ({ page }) => {
  await setUp(page, 10, 'Freezing lower layers frees activations');
  await lab(page).getByRole('checkbox', { name: 'frozen fc1' }).check();
  const text = await expectDone(page, /^Done — with fc1 frozen the step holds .* \(−\d+ %\)/);
  expect(Number(/−(\d+) %/.exec(text)![1])).toBeGreaterThan(0);
});

test('keyboard: a lesson is set up and the next one follows, asking before work is lost', async ({
  page,
}) => {
  const tab = page.getByRole('tab', { name: 'Lessons', exact: true });
  await tab.focus();
  await page.keyboard.press('Enter');
  const row = page
    .getByRole('list', { name: 'Lessons' })
    .getByRole('button', { name: 'detach', exact: true });
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('button', { name: 'Set up lesson 9: detach' }).focus();
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Waiting for you to do it.', { timeout: 30_000 });
  await lab(page).getByRole('checkbox', { name: 'detach h1' }).check();
  await expectDone(page, /^Done — /);
  // The detach is an unsaved change: the next lesson asks before it opens its network.
  await card(page)
    .getByRole('button', { name: /^Next: Freezing lower layers/ })
    .click();
  const ask = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(card(page)).toHaveAccessibleName(
    'Lesson 10: Freezing lower layers frees activations',
  );
  await expect(status(page)).toHaveText('Waiting for you to do it.', { timeout: 30_000 });
  await expect(lab(page).getByRole('checkbox', { name: 'detach h1' })).not.toBeChecked();
});
