// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import ConfirmDiscard from '../../../../renderer/panels/problems/ConfirmDiscard.vue';
import FileProblemsDialog from '../../../../renderer/panels/problems/FileProblemsDialog.vue';
import ProblemBanners from '../../../../renderer/panels/problems/ProblemBanners.vue';
import RestoreDialog from '../../../../renderer/panels/problems/RestoreDialog.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { usePluginsStore } from '../../../../renderer/stores/plugins';
import { useProjectStore } from '../../../../renderer/stores/project';
import { useTrainingStore } from '../../../../renderer/stores/training';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, freshStores } from '../helpers/stores';
import { mountWithStores } from '../toolbar/helpers';

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount());
  document.body.innerHTML = '';
});
const mountIt = (c: Parameters<typeof mountWithStores>[0]) => {
  const w = mountWithStores(c);
  mounted.push(w);
  return w;
};
const buttonOf = (w: ReturnType<typeof mountIt>, name: string) =>
  w.findAll('button').find((b) => b.text() === name)!;

describe('a broken project file', () => {
  it('lists every problem and says the current work is unchanged', async () => {
    freshStores<FakeWorker>();
    const project = useProjectStore();
    useGraphStore().load(XOR);
    const ok = project.accept(
      JSON.stringify({
        format: 'backprop-lab.project',
        version: 1,
        nodes: [{ id: '1bad', type: 'Dense' }],
        loss: { type: 'Hinge' },
        data: {},
      }),
      { name: 'broken.json' },
    );
    expect(ok).toBe(false);
    const w = mountIt(FileProblemsDialog);
    await flushPromises();
    const dialog = w.get('[role=alertdialog]');
    expect(dialog.text()).toContain('broken.json could not be opened');
    expect(dialog.text()).toContain('Your current work is unchanged.');
    const items = w.findAll('[aria-label="Problems in the file"] li').map((li) => li.text());
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.join('\n')).toMatch(/nodes\[0\]\.id/);
    expect(items.join('\n')).toMatch(/loss\.type/);
    expect(useGraphStore().project.name).toBe('XOR');
    await buttonOf(w, 'OK').trigger('click');
    expect(project.fileProblems).toBeNull();
  });

  it('gives the line and column of a JSON syntax error', async () => {
    freshStores<FakeWorker>();
    useProjectStore().accept('{\n  "format": "backprop-lab.project",\n  nope\n}', {
      name: 'bad.json',
    });
    const w = mountIt(FileProblemsDialog);
    await flushPromises();
    expect(w.text()).toMatch(/line 3, column \d+/);
  });
});

describe('restore and discard', () => {
  it('offers the autosave and restores it, or discards it', async () => {
    const { host } = freshStores<FakeWorker>();
    host.autosaved = JSON.stringify({
      format: 'backprop-lab.autosave',
      version: 1,
      savedAt: '2024-05-01T10:00:00.000Z',
      path: null,
      project: { ...XOR, name: 'Kept' },
    });
    const project = useProjectStore();
    await project.init();
    expect(project.restoreOffer).not.toBeNull();
    const w = mountIt(RestoreDialog);
    await flushPromises();
    expect(w.get('[role=alertdialog]').text()).toContain('Unsaved changes to Kept');
    await buttonOf(w, 'Restore it').trigger('click');
    expect(useGraphStore().project.name).toBe('Kept');
    expect(useGraphStore().dirty).toBe(true);
  });

  it('asks in its own dialog before unsaved changes are dropped', async () => {
    freshStores<FakeWorker>();
    const graph = useGraphStore();
    graph.load(XOR);
    graph.apply({ type: 'setName', name: 'Changed' });
    const w = mountIt(ConfirmDiscard);
    await flushPromises();
    const project = useProjectStore();
    const first = project.newProject();
    await flushPromises();
    expect(w.get('[role=alertdialog]').text()).toContain('Changed has changes that are not saved');
    await buttonOf(w, 'Cancel').trigger('click');
    expect(await first).toBe(false);
    expect(graph.project.name).toBe('Changed');

    const second = project.newProject();
    await flushPromises();
    await buttonOf(w, 'Discard changes').trigger('click');
    expect(await second).toBe(true);
    expect(graph.nodes).toHaveLength(0);
  });
});

describe('banners', () => {
  it('shows a failed run with its node and place; Show node says which; dismiss clears it', async () => {
    const { worker } = freshStores<FakeWorker>();
    useGraphStore().load(XOR);
    const w = mountIt(ProblemBanners);
    worker.emit({
      type: 'state',
      state: 'failed',
      error: {
        code: 'NON_FINITE',
        message: "the output of node 'h1' (Tanh) is not finite",
        place: { node: 'h1', tensor: 'output' },
      },
    });
    await flushPromises();
    const banner = w.get('[data-testid=training-error]');
    expect(banner.text()).toContain("the output of node 'h1' (Tanh) is not finite");
    expect(banner.text()).toContain('node h1 · tensor output');
    await buttonOf(w, 'Show node').trigger('click');
    expect(w.emitted('showNode')).toEqual([['h1']]);
    await banner.get('[aria-label=Dismiss]').trigger('click');
    expect(useTrainingStore().error).toBeNull();
    expect(w.find('[data-testid=training-error]').exists()).toBe(false);
  });

  it('shows notices, host errors without the IPC wrapper, and broken plugins', async () => {
    const { worker } = freshStores<FakeWorker>();
    const w = mountIt(ProblemBanners);
    worker.restart('the training worker did not stop within 1 s, so it was ended');
    useTrainingStore().train();
    worker.restart('the training worker did not stop within 1 s, so it was ended');
    useProjectStore().hostError =
      "the project could not be saved: Error invoking remote method 'project:save': LabError: disk full";
    worker.emit({
      type: 'plugins',
      statuses: [{ file: 'user:x.js', ok: false, error: { message: 'x.js: boom' }, layers: [] }],
    });
    await flushPromises();
    expect(usePluginsStore().broken).toHaveLength(1);
    // The notice is one live region; the plugin announcement's (empty until a load) is another.
    expect(w.findAll('[role=status]').map((s) => s.text())).toContainEqual(
      expect.stringContaining('it was ended'),
    );
    expect(w.text()).toContain('the project could not be saved: disk full');
    expect(w.text()).toContain('A plugin file is broken');
    await buttonOf(w, 'Show plugins').trigger('click');
    expect(w.emitted('showPlugins')).toHaveLength(1);
    // Disabled from its banner: not sent to the worker again, listed as disabled.
    await w.get('[aria-label="Disable x.js"]').trigger('click');
    expect(usePluginsStore().disabled).toEqual(['user:x.js']);
  });
});
