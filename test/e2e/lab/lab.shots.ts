// Screenshots of every Lab view for the README, in the main area (docs/screenshots/lab-*.png)
// and in the sidebar (lab-*-sidebar.png), and for looking at (/tmp/lab-views/), after training
// the XOR example. Not a test of behaviour: `npm run screenshots` runs it
// (playwright.screenshots.config.ts), and it reports the longest drawing it saw.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type ViewName, VIEW_TABS, openApp, openView, setEpochs } from './lab';

const SHOTS = '/tmp/lab-views';

test('every Lab view, in the sidebar and in the main area', async ({ page }) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync('docs/screenshots', { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  // Train with the forward view open, so that it records ‖∂L/∂W‖ along the way.
  await setEpochs(page, 20_000);
  await openView(page, 'forward');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText('Epoch 20000 / 20000')).toBeVisible({ timeout: 90_000 });

  const prepare: Partial<Record<ViewName, () => Promise<void>>> = {
    blame: async () => {
      const body = page.locator('[data-view="blame"]').first();
      await body.getByRole('combobox', { name: 'Dense layer' }).selectOption('fc1');
      await body.getByRole('combobox', { name: 'Neuron j' }).selectOption('8');
      await page.waitForTimeout(400);
      const canvas = body.getByRole('img', { name: /Blame of neuron/ });
      const box = (await canvas.boundingBox())!;
      for (let y = 30; y < box.height - 10; y += 2) {
        await page.mouse.move(box.x + box.width * 0.5, box.y + y);
        if ((await body.getByTestId('blame-numbers').textContent())!.includes('Connection')) break;
      }
    },
    memory: async () => {
      // A recompute segment over fc1 → fc2: bracketed, explained, compared with no flags.
      const body = page.locator('[data-view="memory"]').first();
      for (const id of ['fc1', 'h1', 'fc2'])
        await body.getByRole('checkbox', { name: `recompute ${id}` }).check();
      await expect(body.getByTestId('memory-saved-change')).toHaveText('−512 B · −67%');
    },
    steps: async () => {
      const body = page.locator('[data-view="steps"]').first();
      // The first backward step: BCE on a sigmoid, δ = ŷ − y with the sample's numbers.
      for (let i = 0; i < 6; i++) await body.getByRole('button', { name: 'Next →' }).click();
    },
    gradcheck: async () => {
      const body = page.locator('[data-view="gradcheck"]').first();
      await body.getByRole('combobox', { name: 'Plugin layer' }).selectOption('Wacky');
      await expect(body.locator('[data-tensor="a"]')).toBeVisible();
    },
  };

  for (const view of Object.keys(VIEW_TABS) as ViewName[]) {
    await openView(page, view);
    await page.waitForTimeout(500);
    await prepare[view]?.();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/sidebar-${view}.png` });
    // The sidebar's picture starts at the top of the view.
    await page
      .locator('.lab .body')
      .first()
      .evaluate((e) => (e.scrollTop = 0));
    await page
      .getByRole('complementary', { name: 'Sidebar' })
      .screenshot({ path: `docs/screenshots/lab-${view}-sidebar.png` });
    // The same view with room to read it.
    await page.getByRole('button', { name: 'Expand' }).click();
    const main = page.locator('.lab-main');
    await expect(main.locator(`[data-view="${view}"]`)).toBeVisible();
    await page.waitForTimeout(500);
    await page.mouse.move(0, 0);
    // The picked neuron and the hovered line belong to the panel on screen.
    if (view === 'blame') await prepare.blame!();
    await main.screenshot({ path: `${SHOTS}/lab-${view}.png` });
    await main.screenshot({ path: `docs/screenshots/lab-${view}.png` });
    await main.getByRole('button', { name: 'Back to sidebar' }).click();
    if (view === 'memory') {
      for (const id of ['fc1', 'h1', 'fc2'])
        await page
          .locator('[data-view="memory"]')
          .getByRole('checkbox', { name: `recompute ${id}` })
          .uncheck();
    }
  }
  // A glossary card, opened by keyboard focus on a symbol of Step by step (lab-glossary.png).
  const steps = await openView(page, 'steps');
  await steps.locator('[data-testid="step-formula"] [data-symbol="δ⁽²⁾"]').first().focus();
  await expect(page.getByRole('tooltip').filter({ visible: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/glossary.png` });
  await page.screenshot({
    path: 'docs/screenshots/lab-glossary.png',
    clip: { x: 0, y: 0, width: 1440, height: 900 },
  });
  const times = await page.evaluate(
    () =>
      (window as unknown as { __labDrawTimes: { max: number; maxName: string } }).__labDrawTimes,
  );
  console.log(`longest Lab drawing: ${times.max.toFixed(1)} ms (${times.maxName})`);
});
