// The app's own settings, kept in the browser's storage (not in the project: they belong to this
// machine, not to the network): the time limit of one step, of one plugin call or load, and of
// one Lab view, past which the training worker is ended and started again.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { DEFAULT_STEP_TIMEOUT_MS } from '../worker/client';
import { services } from './services';

const KEY = 'backprop-lab.settings';

interface Saved {
  stepLimitSeconds?: number;
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

const positive = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;

export const useSettingsStore = defineStore('settings', () => {
  const saved = load();
  /** Seconds one step (or plugin call, plugin load, Lab view) may take. Default 5. */
  const stepLimitSeconds = ref(positive(saved.stepLimitSeconds, DEFAULT_STEP_TIMEOUT_MS / 1000));

  watch(
    stepLimitSeconds,
    (s) => {
      services().worker.setStepTimeout(Math.round(s * 1000));
      try {
        storage()?.setItem(KEY, JSON.stringify({ ...load(), stepLimitSeconds: s }));
      } catch {
        // Storage full or blocked: the limit holds for this session.
      }
    },
    { immediate: true },
  );

  function setStepLimit(seconds: number): void {
    stepLimitSeconds.value = positive(seconds, stepLimitSeconds.value);
  }

  return { stepLimitSeconds, setStepLimit };
});
