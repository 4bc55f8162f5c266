// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.vue';
import { useGraphStore } from '../../../renderer/stores/graph';
import { useTrainingStore } from '../../../renderer/stores/training';
import type { FakeWorker } from './helpers/fake-worker';
import { XOR, freshStores } from './helpers/stores';

describe('App shell', () => {
  it('has the training buttons, a named canvas region and the loss labelled "Loss"', async () => {
    const { worker } = freshStores<FakeWorker>();
    const pinia = createPinia();
    const wrapper = mount(App, { global: { plugins: [pinia] } });
    useGraphStore(pinia).load(XOR);
    await wrapper.vm.$nextTick();
    const buttons = wrapper.findAll('button').map((b) => b.text());
    expect(buttons).toEqual(['Train', 'Pause', 'Step', 'Stop', 'Reset']);
    expect(wrapper.find('[role=region]').attributes('aria-label')).toBe('Network canvas');
    const loss = wrapper.find('output');
    const label = wrapper.find(`#${loss.attributes('aria-labelledby')}`);
    expect(label.text()).toBe('Loss');
    expect(loss.text()).toBe('—');

    await wrapper.findAll('button')[0].trigger('click');
    expect(worker.sentOf('train')).toHaveLength(1);
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({
      type: 'progress',
      progress: {
        state: 'running',
        epoch: 2,
        epochs: 200,
        batch: 1,
        batchesPerEpoch: 10,
        loss: 0.123456,
        samplesPerSecond: 5,
        steps: 11,
      },
    });
    await wrapper.vm.$nextTick();
    expect(loss.text()).toBe('0.1235');
    expect(wrapper.findAll('button')[1].attributes('disabled')).toBeUndefined();
    expect(useTrainingStore(pinia).state).toBe('running');
    expect(wrapper.text()).toContain('XOR');
    wrapper.unmount();
  });
});
