import { expect, test } from '@playwright/test';
import {
  VIEW_TABS,
  type ViewName,
  canvasPixels,
  liveEpochs,
  openApp,
  openView,
  recordChip,
  setEpochs,
  updates,
} from './lab';

// The XOR example the web app opens on: x → fc1 (Dense 8) → h1 (Tanh) → fc2 (Dense 1) → y.
const NODES = ['x', 'fc1', 'h1', 'fc2', 'y'];

test.describe('Lab views render', () => {
  const expectations: Record<ViewName, RegExp> = {
    boundary: /output over the whole input plane/,
    forward: /output and the loss’s gradient at it/,
    blame: /blame scales with the connection weight/,
    jacobian: /The Jacobian between two nodes for one sample/,
    memory: /keeps for backward in one measured training step/,
    steps: /forward node by node, the loss, then backward/,
    gradcheck: /analytic gradients .* beside central differences/,
  };

  for (const view of Object.keys(VIEW_TABS) as ViewName[]) {
    test(`${view}: says what it shows and draws it`, async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await openApp(page);
      const body = await openView(page, view);
      await expect(body.locator('.lede')).toHaveText(expectations[view]);
      switch (view) {
        case 'boundary':
          await expect(body.getByTestId('boundary-canvas')).toHaveAttribute(
            'aria-label',
            /64×64 points.*160 training and 40 test points/,
          );
          await expect(
            body.getByRole('group', { name: /Colour scale: p\(class 1\)/ }),
          ).toBeVisible();
          break;
        case 'forward':
          await expect(body.getByRole('img', { name: /Dense layers as neurons/ })).toBeVisible();
          for (const id of NODES) await expect(body.locator(`[data-node="${id}"]`)).toBeVisible();
          await expect(
            body.getByRole('img', { name: /Local error δ⁽¹⁾ at fc1: 8 samples by 8/ }),
          ).toBeVisible();
          break;
        case 'blame':
          await expect(body.getByTestId('blame-formula')).toHaveText('∂L/∂h⁽¹⁾ᵢ = Σⱼ W⁽²⁾ⱼᵢ δ⁽²⁾ⱼ');
          await expect(body.getByRole('img', { name: /Blame of neuron 1 of fc2/ })).toBeVisible();
          await expect(body.getByTestId('blame-numbers').getByRole('row')).toHaveCount(9);
          break;
        case 'jacobian':
          await expect(body.getByTestId('jacobian-heatmap')).toBeVisible();
          await expect(body.getByTestId('jacobian-formula')).toHaveText(
            '∂ŷ/∂x = diag(σ′(ỹ)) · W⁽²⁾ · diag(σ′(h̃⁽¹⁾)) · W⁽¹⁾',
          );
          await expect(body.getByTestId('jacobian-check')).toContainText(/pass/);
          break;
        case 'memory':
          for (const id of NODES)
            await expect(body.getByTestId(`memory-bytes-${id}`)).toBeVisible();
          await expect(body.getByTestId('memory-saved')).toHaveText(/\d+ B/);
          break;
        case 'steps':
          await expect(body.getByTestId('step-position')).toHaveText('Step 1 of 11');
          await expect(body.getByTestId('step-formula')).toHaveText(
            'x: the features of each sample',
          );
          break;
        case 'gradcheck':
          await expect(body.getByTestId('gradcheck-status')).toHaveText('gradients match');
          await expect(
            body.getByRole('img', { name: /Analytic gradient of/ }).first(),
          ).toBeVisible();
          await expect(
            body.getByRole('img', { name: /Numeric gradient of/ }).first(),
          ).toBeVisible();
          break;
      }
      expect(errors).toEqual([]);
    });
  }
});

test.describe('Lab views update while training', () => {
  for (const view of ['boundary', 'forward', 'blame', 'jacobian'] as ViewName[]) {
    test(`${view} follows the run's weights as it trains`, async ({ page }) => {
      await openApp(page);
      // XOR trains at about a million samples a second here: this many epochs take a while.
      await setEpochs(page, 100_000);
      const body = await openView(page, view);
      const chip = page.getByTestId('lab-weights');
      await expect(chip).toHaveText('initial weights');
      const canvas = body.locator('canvas').first();
      const before = await canvasPixels(canvas);
      const chips = await recordChip(page);
      const answers = await updates(page);

      await page.getByRole('button', { name: 'Train', exact: true }).click();
      // Several live updates arrive while the run goes on, each from later weights.
      await expect
        .poll(async () => liveEpochs(await chips()).length, { timeout: 30_000 })
        .toBeGreaterThan(2);
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      const live = liveEpochs(await chips());
      expect(live.slice().sort((a, b) => a - b)).toEqual(live);
      expect(live[live.length - 1]).toBeGreaterThan(live[0]);
      expect(await updates(page)).toBeGreaterThan(answers + 2);
      await expect(chip).toHaveText(/^run · epoch \d+( · batch \d+\/\d+)?$/);
      expect(await canvasPixels(canvas)).not.toEqual(before);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
    });
  }

  test('a single step while paused updates the open view at once', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'forward');
    const lossText = body.getByTestId('forward-loss');
    const first = await lossText.textContent();
    const answers = await updates(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => updates(page)).toBeGreaterThan(answers);
    await expect(lossText).not.toHaveText(first!);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
});

test.describe('Memory', () => {
  test('toggling frozen (and recompute) changes the measured numbers at once', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'memory');
    const fc1 = body.getByTestId('memory-bytes-fc1');
    const saved = body.getByTestId('memory-saved');
    // fc1 keeps its input x for ∂L/∂W: 16 samples × 2 features × 4 bytes.
    await expect(fc1).toHaveText(/^128 B/);
    const total = await saved.textContent();

    await body.getByRole('checkbox', { name: 'frozen fc1' }).check();
    // Frozen, with nothing below it that needs a gradient: fc1 keeps nothing.
    await expect(fc1).toHaveText(/^0 B\s*−128 B/);
    await expect(saved).not.toHaveText(total!);
    await expect(body.getByTestId('memory-totals')).toContainText('−128 B');

    await body.getByRole('checkbox', { name: 'frozen fc1' }).uncheck();
    await expect(fc1).toHaveText(/^128 B/);
    await expect(saved).toHaveText(total!);

    // Recompute h1: its output is not kept but made again in backward.
    const h1 = body.getByTestId('memory-bytes-h1');
    const kept = async () => /^[\d.]+ [KM]?B/.exec((await h1.textContent())!.trim())![0];
    const h1Before = await kept();
    await body.getByRole('checkbox', { name: 'recompute h1' }).check();
    await expect(h1).toContainText(`${h1Before} + `);

    // The flag is the network's own: undo takes it back.
    await page.keyboard.press('Control+z');
    await expect(h1).not.toContainText(' + ');
    expect(await kept()).toBe(h1Before);
  });
});

test.describe('Memory that teaches', () => {
  test('says what each node keeps and why, and compares recompute with the plain network', async ({
    page,
  }) => {
    await openApp(page);
    const body = await openView(page, 'memory');
    await expect(body.getByTestId('memory-why-fc1')).toHaveText(
      'its input x [16×2], 128 B, for ∂L/∂W⁽¹⁾ (linear’s backward)',
    );
    await expect(body.getByTestId('memory-why-h1')).toContainText(
      'fc2 keeps the same tensor for ∂L/∂W⁽²⁾ — counted once, here',
    );
    const totals = body.getByTestId('memory-totals');
    await expect(totals).toContainText('Tick frozen, detach or recompute below');

    // One node alone: more memory, and the view says why.
    await body.getByRole('checkbox', { name: 'recompute h1' }).check();
    await expect(totals).toContainText('Without flags → with recompute');
    await expect(body.getByTestId('memory-saved-change')).toHaveText('+512 B · +67%');
    await expect(body.getByTestId('memory-segment-0')).toContainText(
      'One node alone saves nothing: it keeps its input instead of its output, and fc2 still keeps h1’s output for ∂L/∂W⁽²⁾.',
    );

    // A run of three: only x enters it, two thirds of the step's memory are saved.
    await body.getByRole('checkbox', { name: 'recompute fc1' }).check();
    await body.getByRole('checkbox', { name: 'recompute fc2' }).check();
    await expect(body.getByTestId('memory-saved-change')).toHaveText('−512 B · −67%');
    await expect(body.getByTestId('memory-segment-0')).toContainText(
      'Recompute segment fc1 → fc2 keeps only what enters it: x [16×2] (128 B).',
    );
    const rows = body.locator('tr.seg');
    await expect(rows.first()).toHaveAttribute('data-node', 'fc1');

    // A batch large enough to see it: the 160 samples taken again.
    await body.getByRole('combobox', { name: 'Batch size' }).selectOption('1024');
    await expect(body.getByTestId('memory-repeat')).toHaveText(
      'A batch of 1024: the 160 training samples, taken again.',
    );
    await expect(body.getByTestId('memory-saved-change')).toHaveText('−32.0 KB · −67%');
    await expect(body.getByTestId('memory-why-fc1')).toContainText('x [1024×2], 8.00 KB');

    // Frozen instead: the lower layer's activations go.
    for (const id of ['fc1', 'h1', 'fc2'])
      await body.getByRole('checkbox', { name: `recompute ${id}` }).uncheck();
    await body.getByRole('checkbox', { name: 'frozen fc1' }).check();
    await expect(totals).toContainText('Without flags → with frozen');
    await expect(body.getByTestId('memory-saved-change')).toHaveText('−8.00 KB · −17%');
  });
});

test.describe('Step-by-step backprop', () => {
  const forward = NODES.map((n) => `f:${n}`);
  const backward = NODES.slice()
    .reverse()
    .map((n) => `b:${n}`);

  test('walks every node forward, the loss, every node back, and back again', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'steps');
    const position = body.getByTestId('step-position');
    const next = body.getByRole('button', { name: 'Next →' });
    const previous = body.getByRole('button', { name: '← Previous' });
    await expect(position).toHaveText('Step 1 of 11');

    const where = async () => {
      const phase = (await body.locator('.where .chip').textContent())!.trim();
      if (phase === 'Loss') return 'loss';
      return `${phase === 'Forward' ? 'f' : 'b'}:${(await body.getByTestId('step-node').textContent())!.trim()}`;
    };
    const seen = [await where()];
    for (let i = 2; i <= 11; i++) {
      await next.click();
      await expect(position).toHaveText(`Step ${i} of 11`);
      seen.push(await where());
    }
    expect(seen).toEqual([...forward, 'loss', ...backward]);
    await expect(next).toBeDisabled();

    // The rules in the lecture's notation, at a few steps.
    await expect(body.getByTestId('step-formula')).toHaveText(
      '∂L/∂x: how the loss would change with each input value',
    );
    await previous.click();
    await expect(body.getByTestId('step-formula')).toHaveText('∂L/∂x = W⁽¹⁾ᵀ δ⁽¹⁾');
    await expect(body.getByText('∂L/∂W⁽¹⁾ = δ⁽¹⁾ xᵀ   (summed over the batch)')).toBeVisible();
    // The builder follows: the current node is selected on the canvas.
    await expect(page.locator('.vue-flow__node.selected')).toContainText('fc1');

    const back: string[] = [await where()];
    while (await previous.isEnabled()) {
      await previous.click();
      back.push(await where());
    }
    expect(back).toEqual([...forward, 'loss', ...backward].reverse().slice(1));
    await expect(position).toHaveText('Step 1 of 11');

    // Keys: → and ← step, End and Home jump.
    await body.focus();
    await page.keyboard.press('ArrowRight');
    await expect(position).toHaveText('Step 2 of 11');
    await page.keyboard.press('End');
    await expect(position).toHaveText('Step 11 of 11');
    await page.keyboard.press('Home');
    await expect(position).toHaveText('Step 1 of 11');
  });

  test('writes the loss and the output error for BCE on a sigmoid', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'steps');
    for (let i = 0; i < 5; i++) await body.getByRole('button', { name: 'Next →' }).click();
    await expect(body.getByTestId('step-formula')).toHaveText('L = −y log ŷ − (1 − y) log(1 − ŷ)');
    await body.getByRole('button', { name: 'Next →' }).click();
    await expect(body.getByTestId('step-formula')).toHaveText('δ⁽²⁾ = ∂L/∂ŷ ⊙ σ′(ỹ) = ŷ − y');
    await expect(
      body.getByText(
        '∂L/∂ŷ ⊙ σ′(ỹ) = (ŷ − y) / (ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y   (÷ N for the mean)',
      ),
    ).toBeVisible();
  });
});

test.describe('Blame, Jacobian, gradient check', () => {
  test('hovering a connection writes the blame sum out', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'blame');
    await body.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc1');
    await expect(body.getByRole('img', { name: /of fc1 on each of its 2 incoming/ })).toBeVisible();
    const canvas = body.getByRole('img', { name: /Blame of neuron/ });
    const box = (await canvas.boundingBox())!;
    // Find a point on a line of the picked neuron: scan the middle of the picture.
    let found = false;
    for (let x = box.width * 0.3; x < box.width * 0.7 && !found; x += 6) {
      for (let y = 30; y < box.height - 10 && !found; y += 3) {
        await page.mouse.move(box.x + x, box.y + y);
        found = (await body.getByTestId('blame-numbers').textContent())!.includes('Connection');
      }
    }
    expect(found).toBe(true);
    await expect(body.getByTestId('blame-numbers')).toContainText(/share = W⁽¹⁾.* = [+−]?\d/);
    await expect(body.getByTestId('blame-numbers')).toContainText(/∂L\/∂x.*= Σⱼ W⁽¹⁾/);
    // The neuron's part of the sum: a percentage only where no term cancels another.
    const carries = (await body.getByTestId('blame-carries').textContent())!;
    const pct = /Neuron \d+ carries (\d+)% of input \d+’s blame/.exec(carries);
    if (pct) expect(Number(pct[1])).toBeLessThanOrEqual(100);
    else
      expect(carries).toMatch(
        /Neuron \d+ adds [+−][\d.e−-]+ to input \d+’s blame, the other neurons [+−][\d.e−-]+: terms of both signs partly cancel, so no percentage/,
      );
    // The picked neuron's term is in the sum even past the first terms written out.
    await body.getByRole('combobox', { name: 'Neuron j' }).selectOption('8');
    await expect(body.getByTestId('blame-numbers')).toContainText('Connection');
    await expect(body.getByTestId('blame-numbers')).toContainText('… 2 more + (');
    await expect(body.getByTestId('blame-numbers').locator('mark')).toHaveCount(1);
  });

  test('the Jacobian of a Dense layer is its weight', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'jacobian');
    await body.getByRole('combobox', { name: 'From node' }).selectOption('h1');
    await body.getByRole('combobox', { name: 'To node' }).selectOption('fc2');
    await expect(body.getByTestId('jacobian-formula')).toHaveText('∂ỹ/∂h⁽¹⁾ = W⁽²⁾');
    await expect(
      body.getByRole('img', {
        name: /Jacobian of fc2 with respect to h1, product of the factors: 1 by 8/,
      }),
    ).toBeVisible();
  });

  test('a plugin layer can be picked and its worst entries are listed', async ({ page }) => {
    await openApp(page);
    const body = await openView(page, 'gradcheck');
    const layer = body.getByRole('combobox', { name: 'Plugin layer' });
    await layer.selectOption('Wacky');
    await expect(body.locator('[data-tensor="a"]')).toBeVisible();
    await expect(
      body.getByRole('table', { name: 'Worst entries of a' }).getByRole('row'),
    ).not.toHaveCount(1);
    await expect(body.getByTestId('gradcheck-status')).toHaveText('gradients match');
  });
});

test('the Lab opens in the main area and comes back', async ({ page }) => {
  await openApp(page);
  await openView(page, 'boundary');
  await page.getByRole('button', { name: 'Expand' }).click();
  const main = page.locator('.lab-main');
  await expect(main.getByTestId('boundary-canvas')).toBeVisible();
  await expect(page.getByText('The Lab is open in the main area.')).toBeVisible();
  const width = (await main.getByTestId('boundary-canvas').boundingBox())!.width;
  expect(width).toBeGreaterThan(320);
  await main.getByRole('button', { name: 'Back to sidebar' }).click();
  await expect(main).toHaveCount(0);
  await expect(page.getByTestId('lab-panel').getByTestId('boundary-canvas')).toBeVisible();
});
