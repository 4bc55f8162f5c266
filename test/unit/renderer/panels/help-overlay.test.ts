// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import HelpOverlay from '../../../../renderer/panels/help/HelpOverlay.vue';
import { SHORTCUTS } from '../../../../renderer/panels/help/shortcuts';
import { modalOpen } from '../../../../renderer/panels/ui/focus-trap';
import { useUiStore } from '../../../../renderer/stores/ui';
import type { FakeWorker } from '../helpers/fake-worker';
import { freshStores } from '../helpers/stores';
import { mountWithStores } from '../toolbar/helpers';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  document.body.innerHTML = '';
});

async function setup() {
  freshStores<FakeWorker>();
  const outside = document.createElement('button');
  outside.textContent = 'outside';
  document.body.append(outside);
  outside.focus();
  const ui = useUiStore();
  ui.toggleHelp(true);
  const wrapper = mountWithStores(HelpOverlay);
  unmount = () => wrapper.unmount();
  await flushPromises();
  return { wrapper, ui, outside };
}

describe('help overlay', () => {
  it('is a named dialog listing every shortcut', async () => {
    const { wrapper } = await setup();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.attributes('aria-modal')).toBe('true');
    const title = wrapper.get(`#${CSS.escape(dialog.attributes('aria-labelledby')!)}`);
    expect(title.text()).toBe('Keyboard shortcuts');
    const rows = wrapper.findAll('.row').map((r) => r.text());
    for (const does of [
      'Undo any change',
      'Redo',
      'Save as…',
      'Delete the selection',
      'Select all',
    ])
      expect(rows.some((r) => r.includes(does))).toBe(true);
    expect(rows).toHaveLength(SHORTCUTS.flatMap((g) => g.items).length);
    expect(rows.find((r) => r.startsWith('Redo'))).toMatch(/Ctrl\s*Shift\s*Z\s*or\s*Ctrl\s*Y/);
    expect(rows.find((r) => r.startsWith('Show or hide'))).toMatch(/F1\s*or\s*\?/);
  });

  it('takes the focus, keeps Tab inside, and Escape closes it', async () => {
    const { wrapper, ui } = await setup();
    expect(modalOpen()).toBe(true);
    const dialog = wrapper.get('[role=dialog]').element as HTMLElement;
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement?.textContent?.trim()).toBe('Close');
    // From the last focusable element, Tab wraps to the first (the × button).
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close');
    const back = new KeyboardEvent('keydown', {
      key: 'Tab',
      shiftKey: true,
      bubbles: true,
      cancelable: true,
    });
    document.activeElement!.dispatchEvent(back);
    expect(document.activeElement?.textContent?.trim()).toBe('Close');

    await wrapper.get('[role=dialog]').trigger('keydown', { key: 'Escape' });
    expect(ui.helpOpen).toBe(false);
  });

  it('gives the focus back when it closes', async () => {
    const { wrapper, outside } = await setup();
    wrapper.unmount();
    unmount = null;
    expect(document.activeElement).toBe(outside);
    expect(modalOpen()).toBe(false);
  });
});
