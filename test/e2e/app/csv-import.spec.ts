// The CSV import says what is wrong and where: every bad cell and short or long row by line and
// column (the first 20, then a count), the whole file's rows counted, nothing kept from an import
// that is cancelled, and the Input node's shape set with the data, as one undo step.
import { expect, test } from '@playwright/test';
import { button, importCsv, nodeEl, openApp, runState, setTraining } from './app';

/** 569 rows of 30 features and a 0/1 diagnosis, like the breast cancer data. */
function wideCsv(bad: (row: number, col: number) => string | null = () => null): string {
  const header = [...Array.from({ length: 30 }, (_, j) => `f${j}`), 'diagnosis'];
  const lines = [header.join(',')];
  for (let i = 0; i < 569; i++) {
    const cells = Array.from(
      { length: 30 },
      (_, j) => bad(i, j) ?? ((i * (j + 3)) % 17).toFixed(1),
    );
    lines.push([...cells, String(i % 2)].join(','));
  }
  return lines.join('\n') + '\n';
}

test('every bad cell is listed by line and column; a cancelled import leaves no trace', async ({
  page,
}) => {
  await openApp(page);
  // Row 0 (line 2) has text in f3; row 10 is short; rows 100… hold "?" in f7.
  const lines = wideCsv((i, j) =>
    i === 0 && j === 3 ? 'abc' : i >= 100 && i < 130 && j === 7 ? '?' : null,
  ).split('\n');
  lines[11] = lines[11].split(',').slice(0, 12).join(',');
  const text = lines.join('\n');
  const { tab, dialog } = await importCsv(page, 'cells.csv', text);
  await expect(dialog.getByTestId('row-count')).toHaveText('8 of 569 rows shown.');
  const problems = dialog.getByRole('list', { name: 'Problems in the file' });
  const items = problems.getByRole('listitem');
  await expect(dialog.getByTestId('csv-problems')).toContainText('32 problems in the file');
  await expect(items).toHaveCount(21);
  await expect(items.nth(0)).toHaveText('cells.csv:2:4: "abc" is not a number (column \'f3\')');
  await expect(items.nth(1)).toHaveText(
    "cells.csv:12:13: expected 31 fields, got 12 (column 'f12')",
  );
  await expect(items.nth(2)).toHaveText('cells.csv:102:8: "?" is not a number (column \'f7\')');
  await expect(items.nth(20)).toHaveText('… and 12 more (32 problems in all)');
  await expect(dialog.getByRole('button', { name: 'Use these columns' })).toBeDisabled();

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  const source = tab.getByLabel('Data set');
  await expect(source).toHaveValue('builtin:xor');
  await expect(source.locator('option', { hasText: 'cells.csv' })).toHaveCount(0);
  await expect(page.getByTestId('project-name')).not.toContainText('unsaved');
});

test('accepting an import sets the Input shape, and one Undo takes both back', async ({ page }) => {
  await openApp(page);
  const { tab, dialog } = await importCsv(page, 'wide.csv', wideCsv());
  await expect(dialog.getByTestId('row-count')).toHaveText('8 of 569 rows shown.');
  await expect(dialog.getByTestId('csv-problems')).toHaveCount(0);
  await expect(dialog.getByTestId('fit')).toContainText(
    "The Input node's shape becomes [30] (now [2]; Undo puts it back)",
  );
  await dialog.getByRole('button', { name: 'Use these columns' }).click();
  await expect(dialog).toBeHidden();
  await expect(tab.getByLabel('Data set')).toHaveValue('csv:wide.csv');
  await expect(nodeEl(page, 'x')).toHaveAttribute('aria-label', /output \[30\]/);
  await expect(nodeEl(page, 'fc1')).toHaveAttribute('aria-label', /248 params/);

  // It trains as it is: no surprise at Train.
  await setTraining(page, { Epochs: 2 });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });

  await page.keyboard.press('Control+z'); // the epochs
  await page.keyboard.press('Control+z'); // the import, data and shape together
  await expect(tab.getByLabel('Data set')).toHaveValue('builtin:xor');
  await expect(nodeEl(page, 'x')).toHaveAttribute('aria-label', /output \[2\]/);
});
