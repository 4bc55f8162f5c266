// @vitest-environment happy-dom
// The step time limit: applied to the worker at once, kept across sessions, and never zero.
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import {
  DEFAULT_MEMORY_BUDGET,
  memoryBudget,
  setMemoryBudget,
} from '../../../../core/graph/budget';
import { useSettingsStore } from '../../../../renderer/stores/settings';
import { freshStores } from '../helpers/stores';

beforeEach(() => localStorage.clear());

describe('the settings store', () => {
  it('gives the worker the default limit of 5 s when nothing was saved', () => {
    const { worker } = freshStores();
    expect(useSettingsStore().stepLimitSeconds).toBe(5);
    expect(worker.stepTimeoutMs).toBe(5000);
  });

  it('applies a new limit at once and keeps it for the next session', async () => {
    const { worker } = freshStores();
    useSettingsStore().setStepLimit(12.5);
    await nextTick();
    expect(worker.stepTimeoutMs).toBe(12_500);
    const next = freshStores();
    expect(useSettingsStore().stepLimitSeconds).toBe(12.5);
    expect(next.worker.stepTimeoutMs).toBe(12_500);
  });

  it('ignores a limit that is not a positive number, saved or given', async () => {
    localStorage.setItem('backprop-lab.settings', JSON.stringify({ stepLimitSeconds: -3 }));
    freshStores();
    const s = useSettingsStore();
    expect(s.stepLimitSeconds).toBe(5);
    s.setStepLimit(0);
    s.setStepLimit(Number.NaN);
    expect(s.stepLimitSeconds).toBe(5);
    localStorage.setItem('backprop-lab.settings', 'not json');
    freshStores();
    expect(useSettingsStore().stepLimitSeconds).toBe(5);
  });

  it("states the memory budget to this thread and the worker: half of the computer's, or what the user set", async () => {
    const { worker } = freshStores();
    const s = useSettingsStore();
    // happy-dom reports no deviceMemory: 2 GiB.
    expect(s.memoryBudgetGiB).toBe(2);
    expect(worker.budget).toEqual({
      bytes: 2 * 1024 ** 3,
      note: "half of this computer's memory; change it in the Training tab",
    });
    expect(memoryBudget()).toEqual(worker.budget);
    s.setMemoryBudgetGiB(0.5);
    await nextTick();
    expect(worker.budget).toEqual({ bytes: 512 * 1024 ** 2, note: 'set in the Training tab' });
    expect(memoryBudget().bytes).toBe(512 * 1024 ** 2);
    s.setMemoryBudgetGiB(-1);
    expect(s.memoryBudgetGiB).toBe(0.5);
    const next = freshStores();
    expect(useSettingsStore().memoryBudgetGiB).toBe(0.5);
    expect(next.worker.budget?.note).toBe('set in the Training tab');
    setMemoryBudget(DEFAULT_MEMORY_BUDGET);
  });
});
