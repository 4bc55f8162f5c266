// What each neuron computes, drawn inside its node for 2-D data (as TensorFlow Playground does):
// the maps are there before training, change with every step of a slow run, and go away with
// the canvas's "Neuron maps" switch.
import { type Page, expect, test } from '@playwright/test';
import { canvasPixels } from '../lab/lab';
import { button, nodeEl, openApp, runState } from './app';

const mapsOf = (page: Page, id: string) =>
  nodeEl(page, id).getByRole('img', { name: new RegExp(`^${id}: what `) });

test('each hidden neuron’s output over the plane is drawn in its node and follows training', async ({
  page,
}) => {
  await openApp(page);
  await expect(mapsOf(page, 'fc1')).toHaveAttribute(
    'aria-label',
    /^fc1: what each of its 8 neurons outputs over the input plane/,
  );
  await expect(mapsOf(page, 'h1')).toBeVisible();
  await expect(mapsOf(page, 'y')).toHaveAttribute('aria-label', /^y: what its neuron outputs/);
  await expect(nodeEl(page, 'x').getByTestId('neuron-maps')).toHaveCount(0);

  // At 2 steps a second, the maps of h1 change from one step to the next.
  await page.getByRole('slider', { name: 'Training speed' }).fill('1');
  const before = await canvasPixels(mapsOf(page, 'h1'));
  await button(page, 'Train').click();
  const version = () => mapsOf(page, 'h1').getAttribute('data-version');
  let seen = await version();
  let pixels = before;
  for (let i = 0; i < 3; i++) {
    await expect.poll(version).not.toBe(seen);
    seen = await version();
    await expect.poll(() => canvasPixels(mapsOf(page, 'h1'))).not.toBe(pixels);
    pixels = await canvasPixels(mapsOf(page, 'h1'));
  }
  await button(page, 'Pause').click();
  await expect(runState(page)).toHaveText(/paused/i);

  // The switch hides them, and brings them back.
  const toggle = page.getByRole('button', { name: 'Neuron maps' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('neuron-maps')).toHaveCount(0);
  await toggle.click();
  await expect(mapsOf(page, 'h1')).toBeVisible();
});
