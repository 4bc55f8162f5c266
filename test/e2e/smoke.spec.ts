import { expect, test } from '@playwright/test';

test('the web app opens on the XOR example and trains it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const loss = page.getByLabel('Loss', { exact: true });
  await expect(loss).toHaveText(/\d/);
  await expect
    .poll(async () => Number((await loss.textContent())?.match(/[\d.]+(e-?\d+)?/)?.[0]), {
      timeout: 60_000,
    })
    .toBeLessThan(0.1);
});
