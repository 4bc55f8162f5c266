// Loading a plugin whose file name a loaded user plugin has: the app asks Replace / Keep both /
// Cancel, and each answer does what it says (the browser keeps user plugins in IndexedDB).
import { writeFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import { openApp } from './app';

const plugin = (type: string, k: number) => `export default {
  type: '${type}',
  description: 'y = ${k} x',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward: (ctx, x) => ctx.ops.scale(x, ${k}),
};
`;

async function load(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page
      .getByRole('tabpanel', { name: 'Plugins' })
      .getByRole('button', { name: 'Load plugin…' })
      .click(),
  ]);
  await chooser.setFiles(file);
}

test('a plugin of the same name: Cancel, Keep both and Replace', async ({ page }, info) => {
  await openApp(page);
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  const list = page.getByRole('list', { name: 'Plugin files' });
  const item = (name: string) =>
    list
      .locator(':scope > li')
      .filter({ has: page.locator('.file-name').getByText(name, { exact: true }) });
  const first = info.outputPath('my-scale.js');
  await writeFile(first, plugin('MyScale', 2));
  await load(page, first);
  await expect(item('my-scale.js')).toContainText('gradients ok');
  await expect(item('my-scale.js')).toContainText('y = 2 x');

  // The same file name again, with other contents.
  await writeFile(first, plugin('MyScale', 3));
  const ask = page.getByRole('alertdialog', {
    name: 'A plugin named my-scale.js is already loaded',
  });

  await load(page, first);
  await expect(ask).toContainText('kept as my-scale-2.js');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(item('my-scale-2.js')).toHaveCount(0);
  await expect(item('my-scale.js')).toContainText('y = 2 x');

  await load(page, first);
  await ask.getByRole('button', { name: 'Keep both' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Kept my-scale.js as my-scale-2.js' }),
  ).toBeVisible();
  await expect(item('my-scale-2.js')).toHaveCount(1);
  // Both define MyScale: the later one is broken by the clash, the first still works.
  await expect(item('my-scale-2.js')).toContainText(
    'clashes with the same type in user:my-scale.js',
  );
  await expect(item('my-scale.js')).toContainText('y = 2 x');
  await page.screenshot({ path: info.outputPath('kept-both.png') });

  await load(page, first);
  await expect(ask).toBeVisible();
  await page.screenshot({ path: info.outputPath('same-plugin-dialog.png') });
  await ask.getByRole('button', { name: 'Replace' }).click();
  await expect(ask).toHaveCount(0);
  await expect(item('my-scale.js')).toContainText('y = 3 x');

  // What the browser keeps: both files (which of the two is the broken one then depends on the
  // order they load in).
  await page.reload();
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  await expect(item('my-scale.js')).toHaveCount(1);
  await expect(item('my-scale-2.js')).toHaveCount(1);
});
