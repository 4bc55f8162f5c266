// File › Open… takes an ONNX model: a model written by torch.onnx.export opens in the builder as
// a new project with its weights loaded, and trains from them; one with an operator the engine
// lacks is refused, naming the node, and the work on screen stays.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { button, canvasRegion, nodeIds, openApp, openFile, runState } from './app';

const fixture = (file: string) =>
  fileURLToPath(new URL(`../../fixtures/onnx-import/${file}`, import.meta.url));

test('an ONNX model from PyTorch opens with its weights and trains from them', async ({ page }) => {
  await openApp(page);
  await openFile(page, fixture('torch-dag.onnx'));
  await expect(canvasRegion(page).locator('.vue-flow__node')).toHaveCount(8);
  expect((await nodeIds(page)).sort()).toEqual(
    ['x', 'a', 'tanh1', 'b', 'relu1', 'add1', 'concat1', 'head'].sort(),
  );
  const notice = page.getByRole('status').filter({ hasText: 'Imported torch-dag.onnx' });
  await expect(notice).toContainText('training starts from them');
  await expect(notice).toContainText('the data and the loss are placeholders');
  await expect(page.getByRole('banner')).toContainText('torch-dag');
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i);
});

test('a model with an operator the engine lacks is refused, naming the node', async ({ page }) => {
  await openApp(page);
  await openFile(page, fixture('torch-exp.onnx'));
  const dialog = page.getByRole('alertdialog', { name: 'torch-exp.onnx could not be opened' });
  await expect(dialog).toContainText("node '/Exp' (Exp) cannot be imported");
  await expect(dialog).toContainText('Your current work is unchanged');
  await dialog.getByRole('button', { name: 'OK' }).click();
  expect(await nodeIds(page)).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
});
