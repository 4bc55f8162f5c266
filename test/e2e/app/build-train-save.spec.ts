// The whole round trip of the issue: from an empty canvas, drag the XOR network in from the
// palette, connect it handle to handle, set it up in the inspector and the Training tab, train it
// to a loss under 0.1, save it, open it again, export the weights and read the file back.
import { writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { readSafetensors } from '../../../core/io';
import {
  type SavedProject,
  button,
  canvasRegion,
  chartTestLoss,
  exportWeights,
  connect,
  download,
  edge,
  dragLayer,
  lossValue,
  network,
  newProject,
  nodeEl,
  nodeIds,
  openApp,
  openFile,
  renameNode,
  runState,
  selectNode,
  setParam,
  setTraining,
  trainingTab,
} from './app';

test.use({ viewport: { width: 1440, height: 900 } });

/** y = sigmoid(fc2 · tanh(fc1 · x)), with the exported tensors. */
function predict(t: ReturnType<typeof readSafetensors>['tensors'], x: number[]): number {
  const dense = (name: string, v: number[]) => {
    const w = t[`${name}.weight`];
    const b = t[`${name}.bias`];
    const [out, inn] = w.shape;
    return Array.from({ length: out }, (_, o) => {
      let s = b.data[o];
      for (let i = 0; i < inn; i++) s += w.data[o * inn + i] * v[i];
      return s;
    });
  };
  const h = dense('fc1', x).map(Math.tanh);
  const z = dense('fc2', h)[0];
  return 1 / (1 + Math.exp(-z));
}

test('build XOR by dragging, train it, save, reopen and export its weights', async ({
  page,
}, info) => {
  test.setTimeout(150_000);
  await openApp(page);
  await newProject(page);
  await expect(page.getByTestId('project-name')).toHaveText(/Untitled/);

  // ---- drag the five layers in: left to right, in two rows so the wires stay apart ----
  const spots = [
    { type: 'Input', at: { x: 90, y: 160 }, id: 'x' },
    { type: 'Dense', at: { x: 260, y: 280 }, id: 'fc1' },
    { type: 'Tanh', at: { x: 430, y: 160 }, id: 'h1' },
    { type: 'Dense', at: { x: 600, y: 280 }, id: 'fc2' },
    { type: 'Sigmoid', at: { x: 770, y: 160 }, id: 'y' },
  ];
  const made: string[] = [];
  for (const s of spots) made.push(await dragLayer(page, s.type, s.at));
  expect(made).toEqual(['input1', 'dense1', 'tanh1', 'dense2', 'sigmoid1']);
  // Each landed where it was dropped, in order from left to right.
  const xs: number[] = [];
  for (const id of made) xs.push((await nodeEl(page, id).boundingBox())!.x);
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);

  // ---- connect them by dragging from each output handle to the next input handle ----
  for (let i = 0; i + 1 < made.length; i++) await connect(page, made[i], made[i + 1]);
  await expect(canvasRegion(page).getByRole('group', { name: /^Edge / })).toHaveCount(4);
  // The last node is the output now, and shapes flow along the wires.
  await expect(nodeEl(page, 'sigmoid1')).toHaveAttribute('aria-label', /network output/);

  // ---- the XOR names of docs/project-format.md's example, so that the weights are fc1.weight … ----
  for (let i = 0; i < made.length; i++) await renameNode(page, made[i], spots[i].id);
  expect((await nodeIds(page)).sort()).toEqual(['fc1', 'fc2', 'h1', 'x', 'y']);

  // ---- the inspector: input shape and units (the parameter counts follow) ----
  // Shapes come back from the worker's check: the labels follow a moment later.
  const fc1 = (label: string) =>
    expect(nodeEl(page, 'fc1')).toHaveAttribute('aria-label', `Dense fc1, ${label}`);
  await setParam(page, 'x', 'shape', '3');
  await fc1('output [8], 32 params');
  await setParam(page, 'fc1', 'units', '4');
  await fc1('output [4], 16 params');
  await setParam(page, 'fc1', 'units', '8');
  await fc1('output [8], 32 params');
  await setParam(page, 'x', 'shape', '2');
  await fc1('output [8], 24 params');
  await setParam(page, 'fc2', 'units', '1');
  await expect(nodeEl(page, 'fc2')).toHaveAttribute(
    'aria-label',
    'Dense fc2, output [1], 9 params',
  );
  await expect(nodeEl(page, 'y')).toHaveAttribute(
    'aria-label',
    'Sigmoid y, output [1], network output',
  );
  const inspector = await selectNode(page, 'fc1');
  await expect(inspector).toContainText('weight [8, 2], bias [8]');

  // ---- the Training tab: keep BCE, SGD with lr 0.5, batch 16, 300 epochs ----
  const tab = await trainingTab(page);
  await expect(tab.getByRole('radio', { name: /Binary cross-entropy/ })).toBeChecked();
  await expect(tab.getByRole('radio', { name: 'SGD' })).toBeChecked();
  await setTraining(page, { 'Learning rate': '0.5', 'Batch size': '16', Epochs: '300' });
  await expect(page.getByTestId('epoch')).toHaveText(/0\s*\/\s*300/);

  // ---- train to a loss under 0.1 ----
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 90_000 });
  await expect(page.getByTestId('epoch')).toHaveText(/300\s*\/\s*300/);
  const loss = await lossValue(page);
  const testLoss = await chartTestLoss(page);
  console.log(`XOR after 300 epochs: last batch loss ${loss}, test loss ${testLoss}`);
  expect(loss).toBeLessThan(0.1);
  expect(testLoss).toBeLessThan(0.1);

  // ---- export the trained weights (safetensors) ----
  const first = await exportWeights(page, 'the weights after epoch 300');

  // ---- save (a download in a browser) ----
  const saved = await download(page, () => button(page, 'Save').click());
  expect(saved.name).toBe('Untitled.json');
  const savedPath = info.outputPath(saved.name);
  await writeFile(savedPath, saved.bytes);
  const project = JSON.parse(saved.bytes.toString('utf8')) as SavedProject;
  expect(project.format).toBe('backprop-lab.project');
  expect(network(project)).toEqual({
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [2] }, inputs: undefined },
      { id: 'fc1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
      { id: 'h1', type: 'Tanh', params: undefined, inputs: ['fc1'] },
      { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['h1'] },
      { id: 'y', type: 'Sigmoid', params: undefined, inputs: ['fc2'] },
    ],
    output: 'y',
  });
  expect(project.loss.type).toBe('BCE');
  expect(project.training).toMatchObject({
    optimizer: { type: 'sgd', lr: 0.5 },
    batchSize: 16,
    epochs: 300,
  });
  // Saved: the unsaved-changes dot is gone.
  await expect(page.getByTestId('project-name')).not.toContainText('unsaved');

  // ---- reopen: first something else on screen, then the saved file ----
  await newProject(page);
  await openFile(page, savedPath);
  await expect(canvasRegion(page).locator('.vue-flow__node')).toHaveCount(5);
  for (const n of [
    'Input x, output [2]',
    'Dense fc1, output [8], 24 params',
    'Tanh h1, output [8]',
  ])
    await expect(canvasRegion(page).getByRole('group', { name: n, exact: true })).toBeVisible();
  for (const [from, to] of [
    ['x', 'fc1'],
    ['fc1', 'h1'],
    ['h1', 'fc2'],
    ['fc2', 'y'],
  ])
    await expect(edge(page, from, to)).toHaveCount(1);
  // Saved again, the reopened project is the same network with the same settings and layout.
  const again = await download(page, () => button(page, 'Save').click());
  // Saved under the name it was opened by.
  expect(again.name).toBe(saved.name);
  const reopened = JSON.parse(again.bytes.toString('utf8')) as SavedProject;
  expect(network(reopened)).toEqual(network(project));
  // Opening fills in the format's defaults (momentum 0, weight decay 0): the same settings.
  expect(reopened.training).toMatchObject(project.training);
  expect(reopened.training.optimizer).toMatchObject({ momentum: 0, weightDecay: 0 });
  expect(reopened.layout).toEqual(project.layout);

  // ---- the reopened project trains to the same weights, bit for bit (same project, same seed) ----
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 90_000 });
  expect(await lossValue(page)).toBe(loss);
  const second = await exportWeights(page, 'the weights after epoch 300');

  // ---- read the weights file back ----
  const file = readSafetensors(new Uint8Array(first.bytes));
  const file2 = readSafetensors(new Uint8Array(second.bytes));
  const shapes = Object.fromEntries(
    Object.entries(file.tensors).map(([name, t]) => [name, t.shape]),
  );
  expect(shapes).toEqual({
    'fc1.weight': [8, 2],
    'fc1.bias': [8],
    'fc2.weight': [1, 8],
    'fc2.bias': [1],
  });
  for (const t of Object.values(file.tensors)) expect(t.data.every(Number.isFinite)).toBe(true);
  expect(file.metadata.format).toBe('backprop-lab.weights');
  const meta = JSON.parse(file.metadata.project) as SavedProject;
  expect(network(meta)).toEqual(network(project));
  for (const [name, t] of Object.entries(file.tensors))
    expect(Array.from(file2.tensors[name].data), name).toEqual(Array.from(t.data));
  // The file holds the trained network: it solves XOR (label 1 where the signs differ).
  const corners: [number[], number][] = [
    [[3, 3], 0],
    [[-3, -3], 0],
    [[3, -3], 1],
    [[-3, 3], 1],
  ];
  for (const [x, label] of corners) {
    const p = predict(file.tensors, x);
    if (label === 1) expect(p).toBeGreaterThan(0.5);
    else expect(p).toBeLessThan(0.5);
  }
});
