// The app's own settings, kept in the browser's storage (not in the project: they belong to this
// machine, not to the network): the time limit of one step, of one plugin call or load, and of
// one Lab view, past which the training worker is ended and started again; and the memory
// budget a network, a data set or a gradient check may need (core/graph/budget.ts).
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { type MemoryBudget, setMemoryBudget } from '../../core/graph/budget';
import { DEFAULT_STEP_TIMEOUT_MS } from '../worker/client';
import { services } from './services';

const KEY = 'backprop-lab.settings';
const GIB = 1024 ** 3;

interface Saved {
  stepLimitSeconds?: number;
  /** Only when the user set it; otherwise the default of this computer is used. */
  memoryBudgetGiB?: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}

function load(): Saved {
  try {
    const v = JSON.parse(storage()?.getItem(KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Saved) : {};
  } catch {
    return {};
  }
}

function save(change: Saved): void {
  try {
    storage()?.setItem(KEY, JSON.stringify({ ...load(), ...change }));
  } catch {
    // Storage full or blocked: the setting holds for this session.
  }
}

const positive = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;

/**
 * Half of this computer's memory as the browser tells it (navigator.deviceMemory, in GiB,
 * which browsers round and cap at 8), or 2 GiB where it does not say.
 */
export function defaultMemoryBudgetGiB(): number {
  const nav = (globalThis as { navigator?: { deviceMemory?: unknown } }).navigator;
  const gib = nav?.deviceMemory;
  return typeof gib === 'number' && gib > 0 ? gib / 2 : 2;
}

export const useSettingsStore = defineStore('settings', () => {
  const saved = load();
  /** Seconds one step (or plugin call, plugin load, Lab view) may take. Default 5. */
  const stepLimitSeconds = ref(positive(saved.stepLimitSeconds, DEFAULT_STEP_TIMEOUT_MS / 1000));
  const memoryBudgetSet = ref(positive(saved.memoryBudgetGiB, 0) > 0);
  /** GiB a network, data set or gradient check may need. Default: half of this computer's. */
  const memoryBudgetGiB = ref(positive(saved.memoryBudgetGiB, defaultMemoryBudgetGiB()));

  watch(
    stepLimitSeconds,
    (s) => {
      services().worker.setStepTimeout(Math.round(s * 1000));
      save({ stepLimitSeconds: s });
    },
    { immediate: true },
  );

  watch(
    memoryBudgetGiB,
    (gib) => {
      const budget: MemoryBudget = {
        bytes: Math.round(gib * GIB),
        note: memoryBudgetSet.value
          ? 'set in the Training tab'
          : "half of this computer's memory; change it in the Training tab",
      };
      // This thread checks the files it reads; the worker everything it builds.
      setMemoryBudget(budget);
      services().worker.setMemoryBudget(budget);
    },
    { immediate: true },
  );

  function setStepLimit(seconds: number): void {
    stepLimitSeconds.value = positive(seconds, stepLimitSeconds.value);
  }

  function setMemoryBudgetGiB(gib: number): void {
    if (!(positive(gib, 0) > 0)) return;
    memoryBudgetSet.value = true;
    save({ memoryBudgetGiB: gib });
    memoryBudgetGiB.value = gib;
  }

  return { stepLimitSeconds, setStepLimit, memoryBudgetGiB, setMemoryBudgetGiB };
});
