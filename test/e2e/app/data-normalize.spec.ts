// Real-looking tabular data in the app: the CSV import and the data section offer
// data.normalize and say, once and in plain words, when the features' scales differ by more
// than 100×; the trained network's export carries the statistics; a bad target is reported at
// the data section when the data is loaded.
import { expect, test } from '@playwright/test';
import { readSafetensors } from '../../../core/io/safetensors';
import { parseWeightsMetadata } from '../../../core/io/weights-metadata';
import { button, exportWeights, importCsv, openApp, runState, setTraining } from './app';

function row(i: number): { smooth: number; area: number } {
  return {
    smooth: 0.08 + (0.04 * ((i * 37) % 100)) / 100,
    area: 500 + (2500 * ((i * 53) % 100)) / 100,
  };
}

/** Malignant (1) when area and smoothness are both high. */
const labelled = (i: number): string => {
  const { smooth, area } = row(i);
  return area + 60000 * (smooth - 0.1) > 1750 ? '1' : '0';
};

/** `smoothness` near 0.1, `area` in the thousands, a `diagnosis`: scales 10⁴ apart. */
function cancerCsv(rows: number, label: (i: number) => string = labelled): string {
  const lines = ['smoothness,area,diagnosis'];
  for (let i = 0; i < rows; i++) {
    const { smooth, area } = row(i);
    lines.push(`${smooth.toFixed(4)},${area.toFixed(1)},${label(i)}`);
  }
  return lines.join('\n') + '\n';
}

test('the CSV import suggests standardizing; the trained network exports its statistics', async ({
  page,
}) => {
  await openApp(page);
  const { tab, dialog } = await importCsv(page, 'cancer.csv', cancerCsv(200));
  const hint = dialog.getByTestId('scale-hint');
  await expect(hint).toContainText(
    "The features have very different sizes: 'area' goes up to 2,980, 'smoothness' only up to 0.12 (25,000 times smaller)",
  );
  await expect(hint).toHaveCount(1);
  await hint.getByRole('button', { name: 'Standardize the features' }).click();
  await expect(dialog.getByLabel('Normalize features')).toHaveValue('standardize');
  await expect(dialog.getByTestId('scale-hint')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Use these columns' }).click();
  await expect(dialog).toBeHidden();

  // The data section shows the choice, and no hint while the features are standardized.
  await expect(tab.getByLabel('Normalize features')).toHaveValue('standardize');
  await expect(tab.getByTestId('scale-hint')).toHaveCount(0);

  await setTraining(page, { Epochs: 30 });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  const file = await exportWeights(page, 'the weights after epoch 30');
  const st = readSafetensors(new Uint8Array(file.bytes));
  const norm = parseWeightsMetadata(st.metadata).normalization!;
  expect(norm.kind).toBe('standardize');
  expect(norm.offset[1]).toBeGreaterThan(1000); // the mean area
  expect(norm.scale[0]).toBeLessThan(0.1); // smoothness's deviation
});

test('the data section: the hint with raw features, once, and dismissible', async ({ page }) => {
  await openApp(page);
  const { tab, dialog } = await importCsv(page, 'cancer.csv', cancerCsv(120));
  await dialog.getByRole('button', { name: 'Use these columns' }).click();
  const hint = tab.getByTestId('scale-hint');
  await expect(hint).toHaveCount(1);
  await expect(hint).toContainText('Standardizing rescales every feature to mean 0');
  await hint.getByRole('button', { name: 'Dismiss' }).click();
  await expect(tab.getByTestId('scale-hint')).toHaveCount(0);
  await tab.getByLabel('Normalize features').selectOption('minmax');
  await expect(tab.getByLabel('Normalize features')).toHaveValue('minmax');
});

test('a bad target is named at the data section, by file, line and column', async ({ page }) => {
  await openApp(page);
  // Row 47 holds a 2: BCE needs 0..1; line 49 of the file (the header is line 1).
  const text = cancerCsv(60, (i) => (i === 47 ? '2' : String(i % 2)));
  const { tab, dialog } = await importCsv(page, 'labels.csv', text);
  await dialog.getByRole('button', { name: 'Use these columns' }).click();
  const why =
    'labels.csv:49:3: BCE needs targets between 0 and 1, got 2: the column holds class labels 0..2, which is a job for CrossEntropy';
  // Checked as soon as the data is chosen: no Train needed, and Train says it.
  await expect(tab.getByRole('list', { name: 'Data problems' })).toContainText(why);
  await expect(button(page, 'Train')).toBeDisabled();
  await expect(button(page, 'Train')).toHaveAccessibleDescription(new RegExp(`^Fix first: ${why}`));
  // The run's status chip points at the data, and a click brings back the Training tab.
  const chip = page.getByTestId('train-blocked-chip');
  await expect(chip).toHaveText('Fix the data');
  await page.getByRole('tab', { name: 'Inspector', exact: true }).click();
  await expect(tab.getByRole('list', { name: 'Data problems' })).toBeHidden();
  await chip.click();
  await expect(tab.getByRole('list', { name: 'Data problems' })).toContainText(why);
});
