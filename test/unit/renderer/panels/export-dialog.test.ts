// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../../core/io/safetensors';
import ExportDialog from '../../../../renderer/panels/export/ExportDialog.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { useTrainingStore } from '../../../../renderer/stores/training';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, freshStores, summaryOf } from '../helpers/stores';
import { mountWithStores } from '../toolbar/helpers';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  document.body.innerHTML = '';
});

const tensor = (shape: number[]) => ({
  name: '',
  shape,
  buffer: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5).buffer,
});
const wire = () =>
  (
    [
      ['fc1.weight', [8, 2]],
      ['fc1.bias', [8]],
      ['fc2.weight', [1, 8]],
      ['fc2.bias', [1]],
    ] as [string, number[]][]
  ).map(([name, shape]) => ({ ...tensor(shape), name }));

async function setup(o: { trained?: boolean } = {}) {
  const { worker, host } = freshStores<FakeWorker>();
  const graph = useGraphStore();
  graph.load(XOR);
  const training = useTrainingStore();
  if (o.trained) {
    training.train();
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({
      type: 'weights',
      key: 'worker:1',
      tensors: wire(),
      epoch: 200,
      at: { epoch: 200, batch: 10, batchesPerEpoch: 10 },
    });
    worker.emit({ type: 'state', state: 'finished' });
  }
  const wrapper = mountWithStores(ExportDialog);
  unmount = () => wrapper.unmount();
  await flushPromises();
  const button = (name: string) => wrapper.findAll('button').find((b) => b.text() === name)!;
  return { wrapper, worker, host, graph, training, button };
}

describe('export dialog', () => {
  it('offers every format with its description and says there is nothing to export yet', async () => {
    const { wrapper, button } = await setup();
    expect(wrapper.get('[role=dialog]').attributes('aria-labelledby')).toBeTruthy();
    const labels = wrapper.findAll('.format .name').map((n) => n.text());
    expect(labels).toEqual([
      'safetensors weights .safetensors',
      'JSON weights .json',
      'ONNX model .onnx',
      'PyTorch code .py',
      'PyTorch training folder .zip',
    ]);
    expect(wrapper.text()).toContain('opset 17');
    expect(wrapper.text()).toContain('There are no trained weights yet');
    expect(button('Export').attributes('disabled')).toBeDefined();
  });

  it('asks the worker with the kept weights and project, then saves under a suggested name', async () => {
    const { wrapper, worker, host, button } = await setup({ trained: true });
    expect(wrapper.text()).toContain('Exports the weights after epoch 200.');
    await wrapper.get('input[value=onnx]').setValue(true);
    await button('Export').trigger('click');
    await flushPromises();
    const req = worker.answer('export', (m) => ({
      type: 'exported',
      id: m.id,
      data: new Uint8Array([1, 2, 3]),
    }));
    expect(req).toMatchObject({ type: 'export', format: 'onnx', project: { name: 'XOR' } });
    // The worker sent these weights: the export names them, nothing crosses back.
    expect((req as { weights: string }).weights).toBe('worker:1');
    expect(worker.sentOf('holdWeights')).toEqual([]);
    await flushPromises();
    expect(host.exported).toEqual([{ name: 'xor.onnx', data: new Uint8Array([1, 2, 3]) }]);
    expect(wrapper.get('[role=status]').text()).toBe('Exported xor.onnx.');
  });

  it('exports the live model while a run is on (no weights sent)', async () => {
    const { wrapper, worker, button } = await setup();
    useTrainingStore().train();
    worker.emit({ type: 'state', state: 'running' });
    await flushPromises();
    expect(wrapper.text()).toContain('the running network');
    await button('Export').trigger('click');
    const req = worker.answer('export', (m) => ({ type: 'exported', id: m.id, data: 'x' }));
    expect(req).toEqual({ type: 'export', id: req.id, format: 'safetensors' });
  });

  it('shows a refusal with its node, and Show node names it', async () => {
    const { wrapper, worker, button } = await setup({ trained: true });
    await wrapper.get('input[value=onnx]').setValue(true);
    await button('Export').trigger('click');
    worker.answer('export', (m) => ({
      type: 'error',
      id: m.id,
      error: {
        code: 'USAGE',
        message: "node 'h1' uses the plugin layer Wacky, which has no ONNX mapping",
        place: { node: 'h1' },
      },
    }));
    await flushPromises();
    expect(wrapper.get('[role=alert]').text()).toContain("node 'h1' uses the plugin layer Wacky");
    await button('Show node').trigger('click');
    expect(wrapper.emitted('showNode')).toEqual([['h1']]);
    // Choosing another format clears the refusal.
    await wrapper.get('input[value=py]').setValue(true);
    expect(wrapper.find('[role=alert]').exists()).toBe(false);
  });

  it('exports a PyTorch training folder without trained weights: the project and its data go to the worker, the files to the host', async () => {
    const { wrapper, worker, host, button, graph } = await setup();
    worker.answer('compile', (m) => ({
      type: 'compiled',
      id: m.id,
      summary: { ...summaryOf({}), ok: true },
    }));
    await flushPromises();
    expect(button('Export').attributes('disabled')).toBeDefined();
    await wrapper.get('input[value=folder]').setValue(true);
    expect(wrapper.text()).toContain(
      'Exports the training of the network as it is now, from its seed',
    );
    expect(button('Export').attributes('disabled')).toBeUndefined();
    await button('Export').trigger('click');
    const files = [
      { name: 'train.py', data: 'print()' },
      { name: 'data.safetensors', data: new Uint8Array([1]) },
    ];
    const req = worker.answer('exportFolder', (m) => ({ type: 'exportedFolder', id: m.id, files }));
    expect(req).toMatchObject({
      type: 'exportFolder',
      project: { name: graph.project.name },
    });
    await flushPromises();
    expect(host.exportedFolders).toEqual([{ name: 'xor-pytorch', files }]);
    expect(wrapper.get('[role=status]').text()).toBe('Exported xor-pytorch.zip.');
  });

  it('a training folder the worker refuses (a plugin without PyTorch code) shows every layer to port', async () => {
    const { wrapper, worker, host, button } = await setup();
    worker.answer('compile', (m) => ({
      type: 'compiled',
      id: m.id,
      summary: { ...summaryOf({}), ok: true },
    }));
    await flushPromises();
    await wrapper.get('input[value=folder]').setValue(true);
    await button('Export').trigger('click');
    worker.answer('exportFolder', (m) => ({
      type: 'error',
      id: m.id,
      error: {
        code: 'PLUGIN',
        message: '2 plugin layers must be ported to PyTorch first',
        place: { node: 'h1' },
        problems: [
          "node 'h1' uses the plugin layer Wacky",
          "node 'h2' uses the plugin layer Wacky",
        ],
      },
    }));
    await flushPromises();
    const alert = wrapper.get('[role=alert]').text();
    expect(alert).toContain("node 'h1' uses the plugin layer Wacky");
    expect(alert).toContain("node 'h2' uses the plugin layer Wacky");
    expect(host.exportedFolders).toEqual([]);
  });

  it('imports weights and lists every mismatch', async () => {
    const { wrapper, worker, host, button, graph } = await setup();
    worker.answer('compile', (m) => ({
      type: 'compiled',
      id: m.id,
      summary: {
        ...summaryOf({}),
        weightShapes: {
          'fc1.weight': [8, 2],
          'fc1.bias': [8],
          'fc2.weight': [1, 8],
          'fc2.bias': [1],
        },
      },
    }));
    await flushPromises();
    expect(graph.summary?.ok).toBe(true);
    host.nextWeights = {
      name: 'bad.safetensors',
      bytes: writeSafetensors({
        'fc1.weight': { shape: [4, 2], data: new Float32Array(8) },
        'fc9.bias': { shape: [1], data: new Float32Array(1) },
      }),
    };
    await button('Import weights…').trigger('click');
    await flushPromises();
    const list = wrapper.get('[aria-label="Weight mismatches"]').text();
    expect(list).toContain('fc1.weight');
    expect(list).toContain('fc9.bias');
    expect(list).toContain('fc2.weight');
    expect(button('Close').exists()).toBe(true);
    await button('Close').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);
  });
});
