// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import TrainingPanel from '../../../../renderer/panels/training/TrainingPanel.vue';
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

function setup() {
  const { worker, host } = freshStores<FakeWorker>();
  const graph = useGraphStore();
  graph.load(XOR);
  const wrapper = mountWithStores(TrainingPanel);
  unmount = () => wrapper.unmount();
  const field = (label: string) => {
    const l = wrapper.findAll('label').find((x) => x.text() === label);
    if (!l) throw new Error(`no field ${label}`);
    return wrapper.get(`#${CSS.escape(l.attributes('for')!)}`);
  };
  const commit = async (label: string, value: string) => {
    const input = field(label);
    await input.setValue(value);
    await input.trigger('change');
    await flushPromises();
    return input;
  };
  return { wrapper, worker, host, graph, field, commit };
}

describe('training panel', () => {
  it('changes the data set through one undoable edit', async () => {
    const { wrapper, graph } = setup();
    const select = wrapper.get('#data-source');
    expect((select.element as HTMLSelectElement).value).toBe('builtin:xor');
    await select.setValue('builtin:spiral');
    expect(graph.project.data).toEqual({
      source: 'builtin:spiral',
      samples: 200,
      noise: 0.1,
      testFraction: 0.2,
    });
    await select.setValue('builtin:iris');
    await flushPromises();
    expect(graph.project.data).toEqual({ source: 'builtin:iris', testFraction: 0.2 });
    expect(wrapper.text()).toContain('4 features → 3 species');
    // The Input takes [2]: the panel offers to make it fit.
    const fit = wrapper.findAll('button').find((b) => b.text() === 'Set Input to [4]');
    await fit!.trigger('click');
    expect(graph.node('x')!.params).toEqual({ shape: [4] });
    graph.undo();
    graph.undo();
    expect(graph.project.data.source).toBe('builtin:spiral');
  });

  it('commits numbers on change, refuses bad ones with a message, and merges training settings', async () => {
    const { wrapper, graph, commit } = setup();
    await commit('Noise', '0.3');
    expect(graph.project.data.noise).toBe(0.3);
    const samples = await commit('Samples', '2.5');
    expect(graph.project.data.samples).toBe(200);
    expect(samples.attributes('aria-invalid')).toBe('true');
    expect(wrapper.text()).toContain('a whole number');
    await commit('Test fraction', '0.95');
    expect(graph.project.data.testFraction).toBe(0.2);
    expect(wrapper.text()).toContain('at most 0.9');

    await commit('Epochs', '321');
    await commit('Batch size', '8');
    expect(graph.project.training).toMatchObject({ epochs: 321, batchSize: 8, seed: 42 });
    const shuffle = wrapper.findAll('input[type=checkbox]').at(-1)!;
    await shuffle.setValue(false);
    expect(graph.project.training!.shuffle).toBe(false);
  });

  it('switches the loss and the optimizer, keeping the learning rate', async () => {
    const { wrapper, graph, commit } = setup();
    await wrapper.get('input[value=CrossEntropy]').setValue(true);
    expect(graph.project.loss).toEqual({ type: 'CrossEntropy' });
    expect(wrapper.text()).toContain('softmax + negative log-likelihood');

    await commit('Momentum', '0.9');
    expect(graph.project.training!.optimizer).toEqual({ type: 'sgd', lr: 0.5, momentum: 0.9 });
    await wrapper.get('input[value=adam]').setValue(true);
    await flushPromises();
    expect(graph.project.training!.optimizer).toEqual({ type: 'adam', lr: 0.5 });
    expect(wrapper.text()).toContain('β₂');
    await commit('β₁', '0.8');
    expect(graph.project.training!.optimizer).toMatchObject({ type: 'adam', beta1: 0.8 });
    await commit('Learning rate', '0');
    expect(wrapper.text()).toContain('more than 0');
  });

  it('shows compile warnings where they belong: the loss one under Loss, others on top', async () => {
    const { wrapper, graph, worker } = setup();
    await flushPromises();
    const summary = summaryOf({});
    summary.warnings = [
      "BCE expects probabilities, but the output node 'fc2' is Dense: end with Sigmoid or use BCEWithLogits",
      "not connected to the output 'y', so not trained: side",
    ];
    worker.answer('compile', (m) => ({ type: 'compiled', id: m.id, summary }));
    await flushPromises();
    expect(graph.warnings).toHaveLength(2);
    const notes = wrapper.findAll('.note.warn').map((n) => n.text());
    expect(notes[0]).toContain('not connected');
    expect(notes[1]).toContain('BCE expects probabilities');
  });

  it('imports a CSV: column picker with a preview and labels, then data and Input shape', async () => {
    const { wrapper, graph, host } = setup();
    host.nextCsv = {
      name: 'pets.csv',
      text: 'w,h,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,fish\n',
    };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Import CSV…')!
      .trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.text()).toContain('Columns of pets.csv');
    expect(dialog.findAll('tbody tr')).toHaveLength(4);
    expect(dialog.get('[data-testid=target-kind]').text()).toBe('3 classes: cat, dog, fish');
    expect(dialog.text()).toContain('2 columns → Input shape [2]');
    // The Input already takes [2]: nothing to offer.
    expect(dialog.find('[data-testid=fit]').exists()).toBe(false);
    expect(dialog.get('[data-testid=row-count]').text()).toBe('4 of 4 rows shown.');

    await dialog.get('input[aria-label="Predict h"]').setValue(true);
    expect(dialog.get('[role=alert]').text()).toContain(
      "'kind' holds class labels: a labelled target must be the only target column",
    );
    await dialog.get('input[aria-label="Predict kind"]').setValue(false);
    expect(dialog.get('[role=alert]').text()).toContain("the feature column 'kind' holds text");
    await dialog.get('input[aria-label="Predict kind"]').setValue(true);
    await dialog.get('input[aria-label="Predict h"]').setValue(false);
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Use these columns')!
      .trigger('click');
    await flushPromises();
    expect(wrapper.find('[role=dialog]').exists()).toBe(false);
    expect(graph.project.data).toEqual({
      source: 'csv:pets.csv',
      target: 'kind',
      testFraction: 0.2,
    });
    expect(wrapper.text()).toContain('Predicts');
    expect(wrapper.get('.tag').text()).toBe('kind');
  });

  it('lists every bad cell and short row by line and column, and refuses the columns', async () => {
    const { wrapper, graph, host } = setup();
    const rows = Array.from({ length: 30 }, (_, i) =>
      i === 3 ? '7' : i % 4 === 1 ? `${i},n/a,${i % 2}` : `${i},${2 * i},${i % 2}`,
    );
    host.nextCsv = { name: 'bad.csv', text: ['a,b,label', ...rows].join('\n') };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Import CSV…')!
      .trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    const list = dialog.get('[data-testid=csv-problems]');
    expect(list.text()).toContain('9 problems in the file');
    expect(list.findAll('li').map((li) => li.text())).toEqual([
      'bad.csv:3:2: "n/a" is not a number (column \'b\')',
      "bad.csv:5:2: expected 3 fields, got 1 (column 'b')",
      ...[6, 10, 14, 18, 22, 26, 30].map(
        (l) => `bad.csv:${l + 1}:2: "n/a" is not a number (column 'b')`,
      ),
    ]);
    const use = dialog.findAll('button').find((b) => b.text() === 'Use these columns')!;
    expect(use.attributes('disabled')).toBeDefined();
    // Making b the target turns its text into class labels, but the short row stays a problem.
    await dialog.get('input[aria-label="Predict b"]').setValue(true);
    await dialog.get('input[aria-label="Predict label"]').setValue(false);
    expect(dialog.get('[data-testid=csv-problems]').text()).toContain('1 problem in the file');
    expect(graph.project.data.source).toBe('builtin:xor');
  });

  it('counts the rows of the whole file and caps the problem list with a count', async () => {
    const { wrapper, host } = setup();
    const rows = Array.from({ length: 569 }, (_, i) => `${i},${i % 3 ? i : 'x'},${i % 2}`);
    host.nextCsv = { name: 'big.csv', text: ['a,b,label', ...rows].join('\n') + '\n' };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Import CSV…')!
      .trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.get('[data-testid=row-count]').text()).toBe('8 of 569 rows shown.');
    const items = dialog.findAll('[data-testid=csv-problems] li');
    expect(items).toHaveLength(21);
    expect(items[20].text()).toBe('… and 170 more (190 problems in all)');
  });

  it('a cancelled import leaves no trace; an accepted one sets the Input shape in one undo step', async () => {
    const { wrapper, graph, host } = setup();
    host.nextCsv = { name: 'wide.csv', text: 'a,b,c,label\n1,2,3,0\n4,5,6,1\n' };
    const importButton = () => wrapper.findAll('button').find((b) => b.text() === 'Import CSV…')!;
    await importButton().trigger('click');
    await flushPromises();
    let dialog = wrapper.get('[role=dialog]');
    expect(dialog.get('[data-testid=fit]').text()).toContain(
      "The Input node's shape becomes [3] (now [2]",
    );
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Cancel')!
      .trigger('click');
    await flushPromises();
    expect(wrapper.find('[role=dialog]').exists()).toBe(false);
    expect(
      wrapper
        .get('#data-source')
        .findAll('option')
        .map((o) => o.text()),
    ).not.toContain('wide.csv');
    expect(graph.project.data.source).toBe('builtin:xor');
    expect(graph.canUndo).toBe(false);

    await importButton().trigger('click');
    await flushPromises();
    dialog = wrapper.get('[role=dialog]');
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Use these columns')!
      .trigger('click');
    await flushPromises();
    expect(graph.project.data.source).toBe('csv:wide.csv');
    expect(graph.node('x')!.params).toEqual({ shape: [3] });
    expect(
      wrapper
        .get('#data-source')
        .findAll('option')
        .map((o) => o.text()),
    ).toContain('wide.csv');
    graph.undo();
    expect(graph.project.data.source).toBe('builtin:xor');
    expect(graph.node('x')!.params).toEqual({ shape: [2] });
  });

  it('picks the matrix kernel for the next runs, says what it means, and keeps the choice', async () => {
    localStorage.removeItem('backprop-lab.kernel');
    const { wrapper, worker } = setup();
    const training = useTrainingStore();
    const group = wrapper.get('[role=radiogroup][aria-label="Matrix kernel"]');
    const radio = (v: string) => group.get(`input[value=${v}]`);
    expect((radio('fast').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.get('[data-testid=kernel-hint]').text()).toMatch(
      /not bit for bit on another machine/,
    );
    await radio('portable').setValue(true);
    await radio('portable').trigger('change');
    await flushPromises();
    expect(training.kernelMode).toBe('portable');
    expect(wrapper.get('[data-testid=kernel-hint]').text()).toMatch(/bit for bit on every machine/);
    expect(localStorage.getItem('backprop-lab.kernel')).toBe('portable');
    training.train();
    expect(worker.sentOf('train')[0].kernel).toBe('portable');
    // a new session starts from the kept choice
    unmount?.();
    setup();
    expect(useTrainingStore().kernelMode).toBe('portable');
    localStorage.removeItem('backprop-lab.kernel');
  });

  it('sets data.normalize, leaving the field out for "none", and keeps it across sources', async () => {
    const { wrapper, graph } = setup();
    const select = wrapper.get('#data-normalize');
    expect((select.element as HTMLSelectElement).value).toBe('none');
    await select.setValue('standardize');
    expect(graph.project.data.normalize).toBe('standardize');
    await wrapper.get('#data-source').setValue('builtin:iris');
    expect(graph.project.data).toEqual({
      source: 'builtin:iris',
      testFraction: 0.2,
      normalize: 'standardize',
    });
    await wrapper.get('#data-normalize').setValue('none');
    expect(Object.hasOwn(graph.project.data, 'normalize')).toBe(false);
    graph.undo();
    expect(graph.project.data.normalize).toBe('standardize');
  });

  it('says once, in plain words, when CSV features differ in scale by more than 100×', async () => {
    const { wrapper, graph, host } = setup();
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${0.001 * (i + 1)},${100 * (i + 1)},${i % 2}`,
    );
    host.nextCsv = { name: 'raw.csv', text: ['ratio,area,label', ...rows].join('\n') };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Import CSV…')!
      .trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.get('[data-testid=scale-hint]').text()).toContain(
      "The features have very different sizes: 'area' goes up to 3,000, 'ratio' only up to 0.03 (100,000 times smaller).",
    );
    // Chosen in the dialog: it goes into the project with the columns.
    await dialog.get('#csv-normalize').setValue('minmax');
    expect(dialog.find('[data-testid=scale-hint]').exists()).toBe(false);
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Use these columns')!
      .trigger('click');
    await flushPromises();
    expect(graph.project.data).toEqual({
      source: 'csv:raw.csv',
      target: 'label',
      testFraction: 0.2,
      normalize: 'minmax',
    });
    expect(wrapper.findAll('[data-testid=scale-hint]')).toHaveLength(0);
    // Raw features again: the data section says it (once), and the button standardizes.
    await wrapper.get('#data-normalize').setValue('none');
    await flushPromises();
    const hints = wrapper.findAll('[data-testid=scale-hint]');
    expect(hints).toHaveLength(1);
    await hints[0]
      .findAll('button')
      .find((b) => b.text() === 'Standardize the features')!
      .trigger('click');
    expect(graph.project.data.normalize).toBe('standardize');
    // Dismissed, it stays away for this source.
    await wrapper.get('#data-normalize').setValue('none');
    await flushPromises();
    await wrapper.get('[data-testid=scale-hint] [aria-label=Dismiss]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=scale-hint]').exists()).toBe(false);
  });

  it('gives no hint for features of comparable scales', async () => {
    const { wrapper, host } = setup();
    host.nextCsv = { name: 'ok.csv', text: 'a,b,label\n1,20,0\n2,50,1\n3,90,0\n' };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Import CSV…')!
      .trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=scale-hint]').exists()).toBe(false);
  });

  it('shows data problems from a failed run in the data section', async () => {
    const { wrapper } = setup();
    const training = useTrainingStore();
    training.error = { code: 'DATA', message: 'BCE needs targets between 0 and 1', place: {} };
    await flushPromises();
    expect(wrapper.get('[aria-label="Data problems"]').text()).toContain('BCE needs targets');
  });
});
