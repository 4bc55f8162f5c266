// Helpers for the Lab views' end-to-end tests: open the app on the XOR example, the Lab tab,
// one of its views; longer training runs so that a run can be watched while it trains.
import { type Locator, type Page, expect } from '@playwright/test';

export const VIEW_TABS = {
  boundary: 'Boundary',
  forward: 'Forward & δ',
  blame: 'Blame',
  jacobian: 'Jacobian',
  memory: 'Memory',
  steps: 'Step by step',
  gradcheck: 'Gradient check',
} as const;
export type ViewName = keyof typeof VIEW_TABS;

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
}

/** The sidebar's Lab tab, and in it one view. */
export async function openView(page: Page, view: ViewName): Promise<Locator> {
  await page.getByRole('tab', { name: 'Lab', exact: true }).click();
  const lab = page.getByTestId('lab-panel');
  await lab.getByRole('tab', { name: VIEW_TABS[view], exact: true }).click();
  const body = lab.locator(`[data-view="${view}"]`);
  await expect(body).toBeVisible();
  return body;
}

/** How many answers the Lab got from the worker so far. */
export async function updates(page: Page): Promise<number> {
  const v = await page.getByTestId('lab-panel').getByRole('tabpanel').getAttribute('data-updates');
  return Number(v ?? 0);
}

/** Train for many epochs, so that the run is still going while the test looks at it. */
export async function setEpochs(page: Page, epochs: number): Promise<void> {
  await page.getByRole('tab', { name: 'Training', exact: true }).click();
  const field = page.getByLabel('Epochs', { exact: true });
  await field.fill(String(epochs));
  await field.press('Enter');
  await expect(field).toHaveValue(String(epochs));
}

/**
 * Record the Lab's weights chip as it changes (“initial weights”, “live · epoch 12”), in the
 * page, so that no update between two polls is missed.
 */
export async function recordChip(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __labChips: string[] }).__labChips = seen;
    const read = () => {
      const t = document.querySelector('[data-testid="lab-weights"]')?.textContent?.trim();
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    };
    read();
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { __labChips: string[] }).__labChips);
}

/** The epochs of the “live · epoch N” (“… · batch b/B”) updates seen while the run trained. */
export function liveEpochs(chips: string[]): number[] {
  return chips.flatMap((c) => {
    const m = /^live · epoch (\d+)( · batch \d+\/\d+)?$/.exec(c);
    return m ? [Number(m[1])] : [];
  });
}

/** A canvas's pixels, to tell whether a drawing changed. */
export function canvasPixels(canvas: Locator): Promise<string> {
  return canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}
