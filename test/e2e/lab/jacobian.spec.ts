// The Jacobian view end to end: two nodes of the lecture's network, the factors and their product,
// the finite-difference check passing on screen; pairs that have no Jacobian refused with the
// reason; a DAG's Jacobian as the sum over its paths.
import { type Locator, expect, test } from '@playwright/test';
import { openApp, openView } from './lab';

/** Pick the two ends and wait for the view to show them. */
async function pick(body: Locator, from: string, to: string): Promise<void> {
  await body.getByRole('combobox', { name: 'From node' }).selectOption(from);
  await body.getByRole('combobox', { name: 'To node' }).selectOption(to);
  await expect(body.getByRole('combobox', { name: 'From node' })).toHaveValue(from);
  await expect(body.getByRole('combobox', { name: 'To node' })).toHaveValue(to);
}

test('∂ŷ/∂x of the lecture’s network is the product of its four factors, checked', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page);
  const body = await openView(page, 'jacobian');
  await expect(body.locator('.lede')).toHaveText(/J_D ⋯ J_1 = ∂ŷ\/∂x/);
  // By default: from the input to the output.
  await expect(body.getByTestId('jacobian-formula')).toHaveText(
    '∂ŷ/∂x = diag(σ′(ỹ)) · W⁽²⁾ · diag(σ′(h̃⁽¹⁾)) · W⁽¹⁾',
  );
  const factors = body.getByTestId('jacobian-factor');
  await expect(factors).toHaveCount(4);
  await expect(factors.nth(0)).toHaveAttribute('data-node', 'y');
  await expect(factors.nth(3)).toHaveAttribute('data-node', 'fc1');
  await expect(body.getByRole('img', { name: 'Factor W⁽¹⁾: ∂h̃⁽¹⁾/∂x, 8×2' })).toBeVisible();
  await expect(
    body.getByRole('img', { name: 'Factor diag(σ′(h̃⁽¹⁾)): ∂h⁽¹⁾/∂h̃⁽¹⁾, 8×8' }),
  ).toBeVisible();
  await expect(body.getByRole('img', { name: /product of the factors: 1 by 2/ })).toBeVisible();
  await expect(body.getByRole('img', { name: /by central differences: 1 by 2/ })).toBeVisible();
  await expect(body.getByTestId('jacobian-check')).toContainText(
    /pass\s+max \|product − differences\| = [\d.e−-]+, max relative/,
  );
  // The network gradient check: every pair along x → fc1 → h1 → fc2 → y.
  const pairs = body.getByTestId('jacobian-pairs');
  await expect(pairs.locator('tbody tr')).toHaveCount(10);
  await expect(pairs).toContainText('all pass');
  await expect(pairs.locator('tr[data-pair="x:h1"]')).toContainText(/∂h⁽¹⁾\/∂x.*8×2.*pass/);
  await expect(pairs.locator('tr.fail')).toHaveCount(0);

  // A shorter pair: ∂ŷ/∂h⁽¹⁾ = diag(σ′(ỹ)) · W⁽²⁾.
  await pick(body, 'h1', 'y');
  await expect(body.getByTestId('jacobian-formula')).toHaveText('∂ŷ/∂h⁽¹⁾ = diag(σ′(ỹ)) · W⁽²⁾');
  await expect(factors).toHaveCount(2);
  await expect(pairs.locator('tbody tr')).toHaveCount(3);
  await expect(body.getByTestId('jacobian-check')).toContainText('pass');
  expect(errors).toEqual([]);
});

test('a pair with no Jacobian is refused with its reason', async ({ page }) => {
  await openApp(page);
  const body = await openView(page, 'jacobian');
  await pick(body, 'y', 'fc1');
  await expect(body.getByTestId('jacobian-refusal')).toHaveText(
    "No Jacobian ∂h̃⁽¹⁾/∂ŷ: 'fc1' comes before 'y': 'y' depends on 'fc1', not the other way round (swap them).",
  );
  await expect(body.getByTestId('jacobian-factor')).toHaveCount(0);
  await pick(body, 'h1', 'h1');
  await expect(body.getByTestId('jacobian-refusal')).toContainText("'h1' is both ends");
  // Fixed by picking a later node: the refusal goes.
  await pick(body, 'h1', 'fc2');
  await expect(body.getByTestId('jacobian-refusal')).toHaveCount(0);
  await expect(body.getByTestId('jacobian-check')).toContainText('pass');
});

test('a DAG’s Jacobian is the sum over its paths, and branches off the path are refused', async ({
  page,
}) => {
  await openApp(page);
  const project = {
    format: 'backprop-lab.project',
    version: 1,
    name: 'Two paths',
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'a', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'ta', type: 'Tanh', inputs: ['a'] },
      { id: 'b', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['ta', 'b'] },
      { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['sum'] },
      { id: 'y', type: 'Sigmoid', inputs: ['out'] },
    ],
    output: 'y',
    loss: { type: 'BCE' },
    data: { source: 'builtin:xor', samples: 200, noise: 0.1, testFraction: 0.2 },
    training: { optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 16, epochs: 10, seed: 1 },
  };
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…', exact: true }).click(),
  ]);
  await chooser.setFiles({
    name: 'two-paths.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(project)),
  });
  await expect(page.getByRole('heading', { name: /Two paths/ })).toBeVisible();
  const body = await openView(page, 'jacobian');
  await expect(body.getByTestId('jacobian-formula')).toHaveText('∂ŷ/∂x = Σ over 2 paths');
  const paths = body.getByTestId('jacobian-paths');
  await expect(paths.locator('li')).toHaveText([
    /x → a → ta → sum → out → y: diag\(σ′\(ỹ\)\) · W⁽²⁾ · I · diag\(σ′\(h̃⁽¹⁾\)\) · W⁽¹⁾/,
    /x → b → sum → out → y: diag\(σ′\(ỹ\)\) · W⁽²⁾ · I · W⁽¹⁾/,
  ]);
  await expect(body.getByTestId('jacobian-check')).toContainText('pass');
  // The second path's factors and its pairs.
  await body.getByRole('combobox', { name: 'Path' }).selectOption({ label: 'path 2' });
  await expect(body.getByTestId('jacobian-factor')).toHaveCount(4);
  await expect(body.getByTestId('jacobian-pairs')).toContainText('every pair along x → b → sum');
  await expect(body.getByTestId('jacobian-pairs')).toContainText('all pass');
  // The two branches do not depend on each other.
  await pick(body, 'ta', 'b');
  await expect(body.getByTestId('jacobian-refusal')).toContainText(
    "'ta' and 'b' are not on a path: 'b' does not depend on 'ta'",
  );
});
