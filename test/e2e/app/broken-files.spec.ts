// Project files that are wrong: text that is not JSON and files the format refuses are not
// opened (every problem is listed with its place, and the project on screen stays); a file whose
// graph is wrong (an unknown layer type, an input that does not exist) opens with each problem
// on its node, and training it lists them all with their paths.
import { writeFile } from 'node:fs/promises';
import { type Page, type TestInfo, expect, test } from '@playwright/test';
import { button, canvasRegion, nodeEl, openApp, openFile, selectNode } from './app';

const XOR_NODES = ['x', 'fc1', 'h1', 'fc2', 'y'];

const NOT_JSON = `{
  "format": "backprop-lab.project",
  "version": 1,
  "name": "Broken",
  "nodes": [
    { "id": "x", "type": "Input", "params": { "shape": [2] } },
  ]
}
`;

const project = (p: Record<string, unknown>) =>
  JSON.stringify(
    {
      format: 'backprop-lab.project',
      version: 1,
      data: { source: 'builtin:xor' },
      training: { optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 16, epochs: 10 },
      ...p,
    },
    null,
    2,
  );

/** Four problems the schema finds: a type that is not a string, no output, a loss, a batch. */
const BAD_SCHEMA = project({
  name: 'Bad schema',
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
    { id: 'y', type: 7, inputs: ['fc1'] },
  ],
  loss: { type: 'Hinge' },
  training: { optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 0, epochs: 10 },
});

const GRAPH_NODES = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc1', type: 'Dense', params: { units: 8 }, inputs: ['ghost'] },
  { id: 'w', type: 'NoSuchLayer', inputs: ['fc1'] },
  { id: 'y', type: 'Sigmoid', inputs: ['w'] },
];

/** Well-formed, but its graph is wrong: a dangling input and an unknown layer type. */
const BAD_GRAPH = project({
  name: 'Bad graph',
  nodes: GRAPH_NODES,
  output: 'y',
  loss: { type: 'BCE' },
});

/** Both kinds at once. */
const BAD_EVERYWHERE = project({
  name: 'Bad everywhere',
  nodes: GRAPH_NODES,
  output: 'y',
  loss: { type: 'Hinge' },
});

async function writeProject(info: TestInfo, name: string, text: string): Promise<string> {
  const path = info.outputPath(name);
  await writeFile(path, text);
  return path;
}

/** The XOR example is still what is on screen, unchanged. */
async function expectExampleUnchanged(page: Page): Promise<void> {
  await expect(page.getByTestId('project-name')).toHaveText('XOR');
  const nodes = canvasRegion(page).locator('.vue-flow__node');
  await expect(nodes).toHaveCount(XOR_NODES.length);
  for (const id of XOR_NODES) await expect(nodeEl(page, id)).toHaveCount(1);
  await expect(canvasRegion(page).getByRole('group', { name: /^Edge / })).toHaveCount(4);
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await expectExampleUnchanged(page);
});

test('a file that is not JSON is refused with its line and column', async ({ page }, info) => {
  await openFile(page, await writeProject(info, 'not-json.json', NOT_JSON));
  const dialog = page.getByRole('alertdialog', { name: 'not-json.json could not be opened' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('One problem was found (line 7, column 3)');
  await expect(dialog).toContainText('Your current work is unchanged');
  const problems = dialog.getByRole('list', { name: 'Problems in the file' }).getByRole('listitem');
  await expect(problems).toHaveCount(1);
  await expect(problems).toHaveText(/line 7, column 3: not valid JSON/);
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog).toBeHidden();
  await expectExampleUnchanged(page);
});

test('a file the format refuses lists every problem at its field path', async ({ page }, info) => {
  await openFile(page, await writeProject(info, 'bad-schema.json', BAD_SCHEMA));
  const dialog = page.getByRole('alertdialog', { name: 'bad-schema.json could not be opened' });
  await expect(dialog).toContainText('4 problems were found');
  const problems = dialog.getByRole('list', { name: 'Problems in the file' }).getByRole('listitem');
  await expect(problems).toHaveText([
    /^nodes\[2\]\.type: .*expected string, received number/,
    /^output: is missing/,
    /^loss\.type: .*expected one of "BCE"\|"BCEWithLogits"\|"MSE"\|"CrossEntropy"/,
    /^training\.batchSize: .*expected number to be >0/,
  ]);
  // Escape closes it as well as OK does.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expectExampleUnchanged(page);
});

test('a file with graph errors opens with each problem on its node, and Train says what to fix', async ({
  page,
}, info) => {
  await openFile(page, await writeProject(info, 'bad-graph.json', BAD_GRAPH));
  // Unknown layer types may come from a plugin that is not loaded yet: the file opens, so that
  // the problems can be fixed on the canvas, and each is shown where it is.
  await expect(page.getByTestId('project-name')).toHaveText('Bad graph');
  await expect(canvasRegion(page).locator('.vue-flow__node')).toHaveCount(4);
  const fc1 = nodeEl(page, 'fc1');
  const w = nodeEl(page, 'w');
  await expect(fc1.locator('.layer')).toHaveClass(/\berror\b/);
  await expect(w.locator('.layer')).toHaveClass(/\berror\b/);
  await expect(nodeEl(page, 'x').locator('.layer')).not.toHaveClass(/\berror\b/);
  await expect(fc1.getByRole('img', { name: /input 'ghost' does not exist/ })).toBeVisible();
  await expect(w.getByRole('img', { name: /unknown layer type 'NoSuchLayer'/ })).toBeVisible();
  // The inspector says it too, at the node.
  const inspector = await selectNode(page, 'fc1');
  await expect(inspector.getByRole('alert').first()).toContainText("input 'ghost' does not exist");

  // Train cannot start: it is disabled, and says which problem to fix first and how many more.
  const train = button(page, 'Train');
  await expect(train).toBeDisabled();
  await expect(train).toHaveAccessibleDescription(
    "Fix first: node 'fc1' (Dense): input 'ghost' does not exist (and 1 more)",
  );
  await expect(button(page, 'Step')).toBeDisabled();
});

// A file with schema problems and network problems lists all of them at once.
test('a file with schema and graph errors lists all of them', async ({ page }, info) => {
  await openFile(page, await writeProject(info, 'bad-everywhere.json', BAD_EVERYWHERE));
  const dialog = page.getByRole('alertdialog', { name: 'bad-everywhere.json could not be opened' });
  const problems = dialog.getByRole('list', { name: 'Problems in the file' }).getByRole('listitem');
  await expect(problems).toHaveCount(3);
  await expect(dialog).toContainText('loss.type');
  await expect(dialog).toContainText("input 'ghost' does not exist");
  await expect(dialog).toContainText("unknown layer type 'NoSuchLayer'");
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expectExampleUnchanged(page);
});
