// Problems are checked on every edit and shown on the node that must change: on the XOR example
// (x → fc1 → h1 → fc2 → y, one target column), fc2 at 8 units makes the output 8 values wide;
// the fix is fc2's units, so fc2 is marked, Train says why it is disabled, and the moment the
// units are 1 again everything clears. A stray ReLU that feeds nothing is a warning on it, and
// the rest of the network trains.
import { expect, test } from '@playwright/test';
import {
  button,
  canvasRegion,
  dragLayer,
  epochCounter,
  nodeEl,
  openApp,
  runState,
  selectNode,
  setParam,
  setTraining,
  trainingTab,
  trainStuckXor,
} from './app';

const marker = (page: import('@playwright/test').Page, id: string) =>
  nodeEl(page, id).getByTestId('node-marker');

test('an output too wide is marked on the Dense that sets it, blocks Train with the reason, and clears when fixed', async ({
  page,
}) => {
  await openApp(page);
  await setParam(page, 'fc2', 'units', '8');

  const why =
    "fc2 makes 8 values per sample and the output 'y' passes them on; BCE needs 1 for the data's 1 target column ('xor'): set fc2's units to 1";
  // On fc2 (which must change), not on the output y.
  await expect(marker(page, 'fc2')).toHaveAttribute('data-severity', 'error');
  await expect(marker(page, 'fc2')).toHaveAttribute('aria-label', `Error: ${why}`);
  await expect(marker(page, 'y')).toHaveCount(0);
  // The inspector says it at the field to change.
  const inspector = await selectNode(page, 'fc2');
  await expect(inspector.getByText(why)).toBeVisible();

  // Train and Step are disabled, their description is the reason.
  const train = button(page, 'Train');
  await expect(train).toBeDisabled();
  await expect(train).toHaveAccessibleDescription(`Fix first: ${why}`);
  await expect(train).toHaveAttribute('title', /set fc2's units to 1/);
  await expect(button(page, 'Step')).toBeDisabled();
  // The run's status chip names what to fix, and a click shows it: fc2 in the inspector.
  const chip = page.getByTestId('train-blocked-chip');
  await expect(chip).toHaveText('Fix fc2');
  await expect(chip).toHaveAttribute('title', /^Fix first: fc2 makes 8 values/);
  await selectNode(page, 'fc1');
  await expect(inspector.getByText(why)).toHaveCount(0);
  await chip.click();
  await expect(inspector.getByText(why)).toBeVisible();

  // The fix clears it at once: no Train needed.
  await setParam(page, 'fc2', 'units', '1');
  await expect(marker(page, 'fc2')).toHaveCount(0);
  await expect(inspector.getByText(why)).toHaveCount(0);
  await expect(train).toBeEnabled();
  await expect(train).not.toHaveAttribute('aria-describedby', /./);
  await expect(chip).toHaveCount(0);
  await expect(page.getByTestId('run-state')).toHaveText(/idle/i);
  await expect(page.getByTestId('training-error')).toHaveCount(0);
});

test('a field holding text it does not take stops Train until it is fixed or undone', async ({
  page,
}) => {
  await openApp(page);
  const tab = await trainingTab(page);
  const rate = tab.getByLabel('Learning rate', { exact: true });
  await rate.fill('1e400');
  await rate.press('Enter');
  await expect(tab.getByText("'1e400' is not a number")).toBeVisible();
  // The run would train on 0.5, which the field no longer shows: Train waits, and says why.
  const train = button(page, 'Train');
  await expect(train).toBeDisabled();
  await expect(train).toHaveAccessibleDescription(
    "Fix first: Learning rate: '1e400' is not a number",
  );
  const chip = page.getByTestId('train-blocked-chip');
  await expect(chip).toHaveText('Fix the settings');
  // Escape gives the field its value back, and Train its use.
  await rate.press('Escape');
  await expect(rate).toHaveValue('0.5');
  await expect(train).toBeEnabled();
  await expect(chip).toHaveCount(0);
  // A data field names the data.
  const fraction = tab.getByLabel('Test fraction', { exact: true });
  await fraction.fill('1');
  await fraction.press('Enter');
  await expect(chip).toHaveText('Fix the data');
  await fraction.fill('0.25');
  await fraction.press('Enter');
  await expect(train).toBeEnabled();
  // A layer's parameter names its node, and the chip shows it in the inspector.
  const inspector = await selectNode(page, 'fc2');
  const units = inspector.getByLabel('units', { exact: true });
  await units.fill('2.5');
  await units.press('Enter');
  await expect(inspector.getByText('Enter a whole number')).toBeVisible();
  await expect(train).toHaveAccessibleDescription("Fix first: fc2's units: enter a whole number");
  await expect(chip).toHaveText('Fix fc2');
  await units.fill('1');
  await units.press('Enter');
  await expect(train).toBeEnabled();
});

test('a stray unconnected ReLU is warned about on its node and training goes on without it', async ({
  page,
}) => {
  await openApp(page);
  await setTraining(page, { Epochs: 20 });
  const relu = await dragLayer(page, 'ReLU', { x: 420, y: 420 });
  await expect(marker(page, relu)).toHaveAttribute('data-severity', 'warning');
  await expect(marker(page, relu)).toHaveAttribute(
    'aria-label',
    new RegExp(`not connected to the output 'y', so training and export leave it out`),
  );
  await expect(nodeEl(page, relu).locator('.layer')).toHaveClass(/unused/);
  const inspector = await selectNode(page, relu);
  await expect(inspector.getByTestId('node-warning').first()).toContainText(
    'not connected to the output',
  );
  // The Training tab names it too.
  const tab = page.getByTestId('training-panel');
  await page.getByRole('tab', { name: 'Training', exact: true }).click();
  await expect(tab).toContainText(
    `not connected to the output 'y', so training and export leave it out: ${relu} (takes 1 input, got 0)`,
  );

  const train = button(page, 'Train');
  await expect(train).toBeEnabled();
  await train.click();
  await expect(runState(page)).toHaveText(/finished/i);
  expect(await epochCounter(page)).toEqual([20, 20]);
  await expect(page.getByTestId('training-error')).toHaveCount(0);
  await expect(canvasRegion(page).getByTestId('node-marker')).toHaveCount(1);
});

test('a run whose loss stays put worse than guessing says why and what to try; a run that learns does not', async ({
  page,
}) => {
  await trainStuckXor(page);
  const stuck = page.getByTestId('training-stuck');
  await expect(stuck).toContainText('Training is stuck. The loss has stayed at');
  await expect(stuck).toContainText('worse than guessing (0.6931, the loss of the probability 0.5');
  await expect(stuck).toContainText(
    'Try a smaller learning rate (now 1e+6), then Reset and train again.',
  );
  await stuck.getByRole('button', { name: 'Dismiss' }).click();
  await expect(stuck).toHaveCount(0);
  // The example's own rate learns: no message.
  await setTraining(page, { 'Learning rate': '0.5' });
  await button(page, 'Reset').click();
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 60_000 });
  await expect(stuck).toHaveCount(0);
});
