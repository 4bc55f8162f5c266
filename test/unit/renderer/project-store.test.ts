import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useGraphStore } from '../../../renderer/stores/graph';
import { AUTOSAVE_DELAY_MS, useProjectStore } from '../../../renderer/stores/project';
import { useTrainingStore } from '../../../renderer/stores/training';
import { fixtureBytes } from '../import/helpers';
import type { FakeHost } from './helpers/fake-host';
import { XOR, freshStores } from './helpers/stores';

let host: FakeHost;
let graph: ReturnType<typeof useGraphStore>;
let project: ReturnType<typeof useProjectStore>;

beforeEach(async () => {
  ({ host } = freshStores());
  graph = useGraphStore();
  project = useProjectStore();
  project.setConfirmDiscard(async () => true);
  await project.init();
});

afterEach(() => {
  vi.useRealTimers();
});

const autosaved = () =>
  JSON.parse(host.autosaved!) as { path: string | null; project: { name: string } };

describe('project store', () => {
  it('starts on the XOR example, clean', () => {
    expect(project.name).toBe('XOR');
    expect(graph.nodes.map((n) => n.id)).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
    expect(project.dirty).toBe(false);
    expect(project.restoreOffer).toBeNull();
  });

  it('a broken file is not loaded: the current work stays and every problem is listed', async () => {
    graph.apply({ type: 'setName', name: 'My work' });
    const before = graph.project;
    const broken = {
      ...XOR,
      nodes: [
        { id: '1x', type: 'Input' },
        { id: 'fc', type: 'Dense', frozen: 'yes' },
      ],
      loss: {},
    };
    host.nextOpen = { name: 'broken.json', text: JSON.stringify(broken) };
    expect(await project.open()).toBe(false);
    expect(graph.project).toBe(before);
    expect(project.dirty).toBe(true);
    const p = project.fileProblems!;
    expect(p.file).toBe('broken.json');
    expect(p.message).toMatch(/^broken\.json: 3 problems/);
    expect(p.problems).toEqual([
      expect.stringMatching(/^nodes\[0\]\.id: a node id starts with a letter/),
      expect.stringMatching(/^nodes\[1\]\.frozen: /),
      expect.stringMatching(/^loss\.type: /),
    ]);
    expect(p.issues.map((i) => i.node)).toEqual(['1x', 'fc', undefined]);
  });

  it('reports a JSON syntax error with its line and column', async () => {
    host.nextOpen = {
      name: 'bad.json',
      text: '{\n  "format": "backprop-lab.project",\n  "nodes": [,]\n}',
    };
    expect(await project.open()).toBe(false);
    expect(project.fileProblems).toMatchObject({ file: 'bad.json', line: 3 });
    expect(project.fileProblems!.message).toContain('line 3');
  });

  it('opens a good file: clean, its path known, problems cleared', async () => {
    host.nextOpen = { name: 'broken.json', text: '{' };
    await project.open();
    host.nextOpen = {
      name: 'other.json',
      path: '/p/other.json',
      text: JSON.stringify({ ...XOR, name: 'Other' }),
    };
    expect(await project.open()).toBe(true);
    expect(project.name).toBe('Other');
    expect(project.path).toBe('/p/other.json');
    expect(project.fileProblems).toBeNull();
    expect(project.dirty).toBe(false);
    expect(graph.canUndo).toBe(false);
  });

  it('opens an ONNX model as a new unsaved project, its weights loaded for training', async () => {
    host.nextOpen = { name: 'torch-dag.onnx', bytes: fixtureBytes('torch-dag.onnx') };
    expect(await project.open()).toBe(true);
    expect(graph.nodes.map((n) => n.type)).toEqual([
      'Input',
      'Dense',
      'Tanh',
      'Dense',
      'ReLU',
      'Add',
      'Concat',
      'Dense',
    ]);
    expect(project.name).toBe('torch-dag');
    expect(project.dirty).toBe(true);
    expect(project.path).toBeNull();
    expect(project.fileName).toBeNull();
    // Laid out, so that the builder shows it tidily.
    expect(Object.keys(graph.project.layout ?? {}).sort()).toEqual(
      graph.nodes.map((n) => n.id).sort(),
    );
    const training = useTrainingStore();
    expect(Object.keys(training.weights ?? {})).toContain('head.weight');
    expect(training.startWeights).toBe(training.weights);
    expect(training.weightsProject).toBe(graph.project);
    expect(training.notice).toContain(
      'Imported torch-dag.onnx with its weights: training starts from them.',
    );
    expect(training.notice).toContain('the data and the loss are placeholders');
    expect(await host.recentProjects()).toEqual([]);
  });

  it('a model with an operator the engine lacks is not loaded: its problem names the node', async () => {
    const before = graph.project;
    host.nextOpen = { name: 'torch-exp.onnx', bytes: fixtureBytes('torch-exp.onnx') };
    expect(await project.open()).toBe(false);
    expect(graph.project).toBe(before);
    expect(project.fileProblems!.file).toBe('torch-exp.onnx');
    expect(project.fileProblems!.message).toContain("node '/Exp' (Exp) cannot be imported");
  });

  it('asks before dropping unsaved changes', async () => {
    graph.apply({ type: 'setName', name: 'unsaved' });
    project.setConfirmDiscard(async () => false);
    host.nextOpen = { name: 'o.json', text: JSON.stringify(XOR) };
    expect(await project.open()).toBe(false);
    expect(await project.newProject()).toBe(false);
    expect(project.name).toBe('unsaved');
  });

  it('saves as formatted JSON, remembers where, and is clean afterwards', async () => {
    graph.apply({ type: 'setName', name: 'Saved one' });
    expect(await project.save()).toBe(true);
    expect(host.saved[0].o).toEqual({
      path: undefined,
      saveAs: false,
      suggestedName: 'Saved-one.json',
    });
    expect(JSON.parse(host.saved[0].text)).toEqual(graph.project);
    expect(host.saved[0].text).toContain('\n  "nodes": [');
    expect(project.path).toBe('/projects/saved.json');
    expect(project.dirty).toBe(false);
    expect(host.dirtyCalls.at(-1)).toBe(false);
    expect(project.recent).toEqual(['/projects/saved.json']);

    graph.apply({ type: 'setName', name: 'again' });
    await project.saveAs();
    expect(host.saved[1].o).toMatchObject({
      path: '/projects/saved.json',
      saveAs: true,
      suggestedName: 'saved.json',
    });
  });

  it('a cancelled save keeps the changes marked unsaved', async () => {
    graph.apply({ type: 'setName', name: 'x' });
    host.saveAnswer = null;
    expect(await project.save()).toBe(false);
    expect(project.dirty).toBe(true);
  });

  it('mirrors the dirty flag to the host', async () => {
    graph.apply({ type: 'setName', name: 'x' });
    await Promise.resolve();
    expect(host.dirtyCalls.at(-1)).toBe(true);
  });

  it('new project: an empty canvas', async () => {
    expect(await project.newProject()).toBe(true);
    expect(graph.nodes).toEqual([]);
    expect(project.path).toBeNull();
  });

  it(`autosaves within ${AUTOSAVE_DELAY_MS} ms of a change, and clears the autosave on save`, async () => {
    vi.useFakeTimers();
    graph.apply({ type: 'setName', name: 'a' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1);
    expect(host.autosaveWrites).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.autosaveWrites).toBe(1);
    expect(autosaved().project.name).toBe('a');
    await project.save();
    expect(host.autosaved).toBeNull();
  });

  it('keeps every one of ten edits 2 s apart: each is saved before the next', async () => {
    vi.useFakeTimers();
    for (let i = 1; i <= 10; i++) {
      graph.apply({ type: 'setName', name: `edit ${i}` });
      await vi.advanceTimersByTimeAsync(1000);
      expect(autosaved().project.name).toBe(`edit ${i}`);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(host.autosaveWrites).toBe(10);
  });

  it('does not wait for a pause: edits every 100 ms are saved as they go', async () => {
    vi.useFakeTimers();
    for (let i = 1; i <= 30; i++) {
      graph.apply({ type: 'setName', name: `edit ${i}` });
      await vi.advanceTimersByTimeAsync(100);
      // At most the last AUTOSAVE_DELAY_MS of edits are not in the autosave yet.
      if (i * 100 >= AUTOSAVE_DELAY_MS) {
        const saved = Number(autosaved().project.name.slice('edit '.length));
        expect(i - saved).toBeLessThanOrEqual(AUTOSAVE_DELAY_MS / 100);
      }
    }
    expect(host.autosaveWrites).toBe((30 * 100) / AUTOSAVE_DELAY_MS);
  });

  it('writes the autosave at once when the page is hidden or goes away', async () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('window', win);
    vi.stubGlobal('document', doc);
    try {
      ({ host } = freshStores());
      graph = useGraphStore();
      project = useProjectStore();
      await project.init();
      vi.useFakeTimers();
      graph.apply({ type: 'setName', name: 'hidden' });
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
      expect(autosaved().project.name).toBe('hidden');
      graph.apply({ type: 'setName', name: 'closed' });
      win.dispatchEvent(new Event('pagehide'));
      await vi.advanceTimersByTimeAsync(0);
      expect(autosaved().project.name).toBe('closed');
      expect(host.autosaveWrites).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('writes in order: a slow write never lands after a newer one, nor after a save', async () => {
    vi.useFakeTimers();
    const landed: string[] = [];
    const write = host.autosave.write;
    let slow = true;
    host.autosave.write = async (text: string) => {
      const name = (JSON.parse(text) as { project: { name: string } }).project.name;
      if (slow) {
        slow = false;
        await new Promise((r) => setTimeout(r, 2000));
      }
      landed.push(name);
      await write(text);
    };
    graph.apply({ type: 'setName', name: 'first' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    graph.apply({ type: 'setName', name: 'second' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(landed).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(landed).toEqual(['first', 'second']);
    expect(autosaved().project.name).toBe('second');
    slow = true;
    graph.apply({ type: 'setName', name: 'third' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    const saving = project.save();
    await vi.advanceTimersByTimeAsync(2000);
    await saving;
    expect(landed).toEqual(['first', 'second', 'third']);
    expect(host.autosaved).toBeNull();
  });

  it('clears the autosave when undo brings back the saved state', async () => {
    vi.useFakeTimers();
    graph.apply({ type: 'setName', name: 'a' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(host.autosaved).not.toBeNull();
    graph.undo();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.autosaved).toBeNull();
  });
});

describe('project store: restoring an autosave at start', () => {
  it('offers an autosave that differs from the example, and restores it unsaved at its path', async () => {
    const { host } = freshStores();
    host.autosaved = JSON.stringify({
      format: 'backprop-lab.autosave',
      version: 1,
      savedAt: '2025-01-01T00:00:00.000Z',
      path: '/p/work.json',
      project: { ...XOR, name: 'Crashed work' },
    });
    const graph = useGraphStore();
    const project = useProjectStore();
    await project.init();
    expect(project.name).toBe('XOR');
    expect(project.restoreOffer?.project.name).toBe('Crashed work');
    project.restore();
    expect(project.name).toBe('Crashed work');
    expect(project.path).toBe('/p/work.json');
    expect(project.fileName).toBe('work.json');
    expect(graph.dirty).toBe(true);
  });

  it('does not overwrite the offered autosave before the user answers', async () => {
    vi.useFakeTimers();
    const { host } = freshStores();
    const text = JSON.stringify({
      format: 'backprop-lab.autosave',
      version: 1,
      savedAt: '',
      path: null,
      project: { ...XOR, name: 'Old' },
    });
    host.autosaved = text;
    const graph = useGraphStore();
    const project = useProjectStore();
    await project.init();
    graph.apply({ type: 'setName', name: 'new edits' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.autosaved).toBe(text);
    await project.dismissRestore();
    expect(project.restoreOffer).toBeNull();
    await vi.advanceTimersByTimeAsync(3000);
    expect(autosavedName(host.autosaved)).toBe('new edits');
  });

  it('drops an autosave equal to the example', async () => {
    const { host } = freshStores();
    host.autosaved = JSON.stringify({
      format: 'backprop-lab.autosave',
      version: 1,
      savedAt: '',
      path: null,
      project: XOR,
    });
    const project = useProjectStore();
    await project.init();
    expect(project.restoreOffer).toBeNull();
    expect(host.autosaved).toBeNull();
  });
});

function autosavedName(text: string | null): string {
  return (JSON.parse(text!) as { project: { name: string } }).project.name;
}
