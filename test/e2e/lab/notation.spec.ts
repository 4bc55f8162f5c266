import { type Locator, expect, test } from '@playwright/test';
import { openApp, openView } from './lab';

// One notation in every view (renderer/lab/notation): the XOR example is
// x → fc1 (Dense 8) → h1 (Tanh) → fc2 (Dense 1) → y (Sigmoid), trained with BCE, so
// fc1 gives h̃⁽¹⁾, h1 gives h⁽¹⁾, fc2 gives ỹ, y gives ŷ; the local errors δ⁽¹⁾ and δ⁽²⁾ are at
// fc1 and fc2, the loss's gradient after the activation is ∂L/∂h⁽¹⁾.

/** A number as the Lab prints it (typographic minus, maybe an exponent). */
function parse(text: string | null): number {
  const v = Number((text ?? '').trim().replace(/−/g, '-'));
  expect(Number.isFinite(v), `a number: ${text}`).toBe(true);
  return v;
}

/** Walk Step by step from step `from` to step `n` (1-based). */
async function stepTo(body: Locator, n: number, from = 1): Promise<void> {
  const position = body.getByTestId('step-position');
  await expect(position).toHaveText(new RegExp(`^Step ${from} of`));
  for (let i = from; i < n; i++) {
    await body.getByRole('button', { name: 'Next →' }).click();
    await expect(position).toHaveText(new RegExp(`^Step ${i + 1} of`));
  }
}

test.describe('One notation', () => {
  test('the same quantity has the same symbol in Step by step, Blame and Forward & δ', async ({
    page,
  }) => {
    await openApp(page);

    // Forward & δ: each node's output and the loss's gradient at it.
    const fwd = await openView(page, 'forward');
    const symbolOf = (id: string, which: 'forward-symbol' | 'forward-delta-symbol') =>
      fwd.locator(`[data-node="${id}"] [data-testid="${which}"]`);
    const forward: Record<string, [string, string]> = {};
    for (const id of ['x', 'fc1', 'h1', 'fc2', 'y']) {
      const out = (await symbolOf(id, 'forward-symbol').textContent())!.split(' · ')[0].trim();
      const err = (await symbolOf(id, 'forward-delta-symbol').textContent())!
        .split(' · ')[0]
        .trim();
      forward[id] = [out, err];
    }
    expect(forward).toEqual({
      x: ['x', '∂L/∂x'],
      fc1: ['h̃⁽¹⁾', 'δ⁽¹⁾'],
      h1: ['h⁽¹⁾', '∂L/∂h⁽¹⁾'],
      fc2: ['ỹ', 'δ⁽²⁾'],
      y: ['ŷ', '∂L/∂ŷ'],
    });

    // Blame of fc2: δ⁽²⁾ at its output, ∂L/∂h⁽¹⁾ what it passes back to h1, through W⁽²⁾.
    const blame = await openView(page, 'blame');
    await blame.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc2');
    await expect(blame.getByTestId('blame-formula')).toHaveText(
      `${forward.h1[1]}ᵢ = Σⱼ W⁽²⁾ⱼᵢ ${forward.fc2[1]}ⱼ`,
    );
    await blame.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc1');
    await expect(blame.getByTestId('blame-formula')).toHaveText(
      `${forward.x[1]}ᵢ = Σⱼ W⁽¹⁾ⱼᵢ ${forward.fc1[1]}ⱼ`,
    );

    // Step by step: forward steps show outputs, backward steps the errors, by the same symbols.
    const steps = await openView(page, 'steps');
    // Steps 1…5 go forward through x, fc1, h1, fc2, y; 6 is the loss; 7…11 go back.
    const trace: [number, string, 0 | 1][] = [
      [1, 'x', 0],
      [2, 'fc1', 0],
      [3, 'h1', 0],
      [4, 'fc2', 0],
      [5, 'y', 0],
      [7, 'y', 1],
      [8, 'fc2', 1],
      [9, 'h1', 1],
      [10, 'fc1', 1],
      [11, 'x', 1],
    ];
    let at = 1;
    for (const [n, id, which] of trace) {
      await stepTo(steps, n, at);
      at = n;
      await expect(steps.getByTestId('step-node')).toHaveText(id);
      await expect(steps.getByTestId('step-symbol')).toHaveText(forward[id][which]);
    }
  });

  test('indices are 1-based: layers, units and samples', async ({ page }) => {
    await openApp(page);
    const blame = await openView(page, 'blame');
    await blame.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc1');
    const neurons = blame.getByRole('combobox', { name: 'Neuron j' }).locator('option');
    await expect(neurons).toHaveText(['1', '2', '3', '4', '5', '6', '7', '8']);
    await expect(
      blame.getByRole('combobox', { name: 'Sample' }).locator('option').first(),
    ).toHaveText('1');
    // The table's inputs i are the two features, numbered 1 and 2.
    const inputs = await blame
      .getByTestId('blame-numbers')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(inputs.map(Number).sort()).toEqual([1, 2]);

    // The Jacobian view's samples too.
    const jac = await openView(page, 'jacobian');
    await expect(
      jac.getByRole('combobox', { name: 'Sample' }).locator('option').first(),
    ).toHaveText('1');

    const steps = await openView(page, 'steps');
    await stepTo(steps, 6);
    const samples = await steps.locator('table.values tbody tr td:first-child').allTextContents();
    expect(samples[0]).toBe('1');
    expect(samples.map(Number)).toEqual(samples.map((_, i) => i + 1));
  });

  test('a symbol opens its glossary card on hover and on keyboard focus', async ({ page }) => {
    await openApp(page);
    const blame = await openView(page, 'blame');
    await blame.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc2');
    const delta = blame.getByTestId('blame-formula').locator('[data-symbol="δ⁽²⁾"]');
    const open = page.getByRole('tooltip').filter({ visible: true });
    await expect(open).toHaveCount(0);

    await delta.hover();
    await expect(open).toHaveCount(1);
    await expect(open).toContainText('δ⁽²⁾');
    await expect(open).toContainText('the local error of layer 2');
    await expect(open).toContainText('δ⁽²⁾ = ∂L/∂ỹ');
    await expect(open).toContainText('node fc2, 1 value per sample');
    await page.mouse.move(0, 0);
    await expect(open).toHaveCount(0);

    // Keyboard: the symbol takes focus, its card opens, and it is the symbol's description.
    const pre = blame.getByTestId('blame-formula').locator('[data-symbol="∂L/∂h⁽¹⁾"]');
    await pre.focus();
    await expect(open).toHaveCount(1);
    await expect(open).toContainText('the loss’s gradient at h⁽¹⁾');
    await expect(open).toContainText('node h1, 8 values per sample');
    await expect(pre).toHaveAccessibleDescription(/the loss’s gradient at h⁽¹⁾/);
    await page.keyboard.press('Tab');
    await expect(open).toContainText('W⁽²⁾');
    await expect(open).toContainText('the weights of layer 2');
    await page.keyboard.press('Escape');
    await expect(open).toHaveCount(0);

    // The pre-activation the Jacobian view's formula uses is defined too.
    const jac = await openView(page, 'jacobian');
    const h = jac.locator('[data-symbol="h̃⁽¹⁾"]').first();
    await h.focus();
    await expect(open).toContainText('the pre-activation of layer 1');
    await expect(open).toContainText('h̃⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾');
    await expect(open).toContainText('node fc1, 8 values per sample');
  });

  test('BCE on a sigmoid: δ = ŷ − y is the product of the two factors, sample by sample', async ({
    page,
  }) => {
    await openApp(page);
    const steps = await openView(page, 'steps');
    await stepTo(steps, 7);
    await expect(steps.getByTestId('step-node')).toHaveText('y');
    const card = steps.getByTestId('step-shortcut');
    await expect(card).toContainText('δ⁽²⁾ = ŷ − y');
    await expect(card).toContainText('∂L/∂ŷ · σ′(ỹ) = (ŷ − y) / (ŷ(1 − ŷ)) · ŷ(1 − ŷ)');
    const options = await card.getByTestId('shortcut-sample').locator('option').allTextContents();
    expect(options.length).toBeGreaterThanOrEqual(2);
    for (const s of options) {
      await card.getByTestId('shortcut-sample').selectOption({ label: s });
      const dl = parse(await card.getByTestId('shortcut-dl').textContent());
      const sp = parse(await card.getByTestId('shortcut-sp').textContent());
      const diff = parse(await card.getByTestId('shortcut-diff').textContent());
      const product = parse(await card.getByTestId('shortcut-product').textContent());
      // 4 significant digits each: the printed product agrees to about 1e-3 of its size.
      const tol = 2e-3 * Math.abs(diff) + 1e-6;
      expect(Math.abs(dl * sp - diff), `sample ${s}: ${dl} · ${sp} vs ${diff}`).toBeLessThan(tol);
      expect(Math.abs(product - diff)).toBeLessThan(tol);
      // The engine's δ⁽²⁾ (the mean's gradient) times N is the same number.
      const engine = (await card.getByTestId('shortcut-engine').textContent())!;
      expect(Math.abs(parse(engine.split('=').pop()!) - diff)).toBeLessThan(tol);
    }
  });

  test('each loss figure says what it is computed on', async ({ page }) => {
    await openApp(page);
    await expect(page.getByTestId('loss')).toHaveAttribute('title', /L of the last batch trained/);
    await expect(page.getByTestId('loss')).toHaveAccessibleDescription(
      /L of the last batch trained/,
    );
    await expect(page.getByTestId('chart-loss-train')).toHaveAttribute(
      'title',
      /mean L over each epoch’s training batches/,
    );
    await expect(page.getByTestId('chart-loss-test')).toHaveAttribute(
      'title',
      /mean L over the test split/,
    );
    const fwd = await openView(page, 'forward');
    await expect(fwd.getByTestId('forward-loss')).toContainText(
      'the mean loss over the first 8 training samples',
    );
    const steps = await openView(page, 'steps');
    await stepTo(steps, 6);
    await expect(steps.getByTestId('step-loss')).toContainText(
      /the mean loss over the first \d+ training samples/,
    );
    await steps.getByTestId('step-loss').locator('[data-symbol="L"]').hover();
    await expect(page.getByRole('tooltip').filter({ visible: true })).toContainText(
      /the mean loss over the first \d+ training samples/,
    );
  });
});
