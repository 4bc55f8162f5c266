// Issue 12, absurd sizes in the app: a Dense layer of 2e9 units is refused at once on its node,
// naming its parameter count and the bytes against the memory budget of the Training tab, and
// Train is disabled with that reason instead of sitting in "Starting"; a smaller budget set there
// applies at once.
import { expect, test } from '@playwright/test';
import { button, nodeEl, openApp, setParam, setTraining } from '../app/app';

test('a network too big for the memory budget is refused on its node, at once', async ({
  page,
}) => {
  await openApp(page);
  await setParam(page, 'fc1', 'units', '2000000000');
  const problem = nodeEl(page, 'fc1').getByTestId('node-marker');
  await expect(problem).toHaveAttribute(
    'aria-label',
    /needs about 402 GiB to train \(6,000,000,000 parameters: 44\.7 GiB with their gradients; .*over the memory budget of [\d.]+ GiB \(half of this computer's memory; change it in the Training tab\)/,
    { timeout: 5_000 },
  );
  // Train cannot start on it, and says so with the same message, instead of sitting in "Starting".
  const train = button(page, 'Train');
  await expect(train).toBeDisabled();
  await expect(train).toHaveAccessibleDescription(
    /^Fix first: node 'fc1' \(Dense\): needs about 402 GiB to train/,
  );

  // 80,000 units need about 18 MB: fine, until the budget set in the Training tab is 10 MiB.
  await setParam(page, 'fc1', 'units', '80000');
  await expect(problem).toHaveCount(0);
  await setTraining(page, { 'Memory budget (GiB)': 0.01 });
  await expect(problem).toHaveAttribute(
    'aria-label',
    /over the memory budget of 10\.2 MiB \(set in the Training tab\)/,
    { timeout: 5_000 },
  );
  await expect(train).toBeDisabled();
  await setTraining(page, { 'Memory budget (GiB)': 4 });
  await expect(problem).toHaveCount(0);
  await expect(train).toBeEnabled();
});
