// The lesson runner: which lesson is on, setting it up, and its check, which watches the app's
// state from the moment the set-up is done until the task is (renderer/lessons/ has the lessons).
import { defineStore } from 'pinia';
import { type WatchStopHandle, computed, nextTick, ref, shallowRef, watch, watchEffect } from 'vue';
import { LESSONS, type AnyLesson, type LessonApp } from '../lessons';
import { useGraphStore } from './graph';
import { useLabStore } from './lab';
import { usePluginsStore } from './plugins';
import { useProjectStore } from './project';
import { useTrainingStore } from './training';
import { useUiStore } from './ui';

export type LessonStatus = 'idle' | 'setting-up' | 'waiting' | 'done' | 'failed';

/** Resolves when `ready()` is true, or after `ms` (whichever comes first). */
function until(ready: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let stop: WatchStopHandle | null = null;
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      stop?.();
      resolve();
    }
    stop = watch(ready, (ok) => ok && finish(), { immediate: true });
    if (ready()) finish();
  });
}

export const useLessonsStore = defineStore('lessons', () => {
  const lab = useLabStore();
  const ui = useUiStore();
  const app: LessonApp = {
    graph: useGraphStore(),
    lab,
    training: useTrainingStore(),
    plugins: usePluginsStore(),
    project: useProjectStore(),
    ui,
    showTab: (tab) => (ui.sidebarTab = tab),
    async labAnswer(ms = 20_000) {
      const before = lab.updates + Object.keys(lab.errors).length;
      await nextTick();
      await until(
        () => lab.open && !lab.pending && lab.updates + Object.keys(lab.errors).length > before,
        ms,
      );
    },
  };

  /** The lesson on (set up, or being set up), by id. */
  const currentId = ref<string | null>(null);
  const status = ref<LessonStatus>('idle');
  /** "Done — …" once the check passed; why the set-up failed when it did. */
  const message = ref<string | null>(null);
  /** Lessons done in this session, by id. */
  const completed = ref<string[]>([]);
  /** Bumped on every set-up, so that a set-up overtaken by another one stops. */
  let run = 0;
  let stopCheck: WatchStopHandle | null = null;
  const started = shallowRef<unknown>(null);

  const current = computed(() => LESSONS.find((l) => l.id === currentId.value) ?? null);
  const index = computed(() => LESSONS.findIndex((l) => l.id === currentId.value));
  const next = computed(() => (index.value >= 0 ? (LESSONS[index.value + 1] ?? null) : null));

  function lessonById(id: string): AnyLesson {
    const l = LESSONS.find((q) => q.id === id);
    if (!l) throw new Error(`there is no lesson '${id}'`);
    return l;
  }

  /** Set a lesson up and start its check. False when it did not start (the student kept their work). */
  async function setUp(id: string): Promise<boolean> {
    const lesson = lessonById(id);
    stopWatching();
    const mine = ++run;
    currentId.value = id;
    status.value = 'setting-up';
    message.value = null;
    let ok: boolean;
    try {
      ok = await lesson.setUp(app);
    } catch (e) {
      if (mine !== run) return false;
      status.value = 'failed';
      message.value = `This lesson could not be set up: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
    if (mine !== run) return false;
    if (!ok) {
      currentId.value = null;
      status.value = 'idle';
      return false;
    }
    status.value = 'waiting';
    watchCheck(lesson);
    return true;
  }

  /** The first state seen after set-up is the start; each later one is checked against it. */
  function watchCheck(lesson: AnyLesson): void {
    let start: unknown = null;
    stopCheck = watchEffect(() => {
      const now = lesson.observe(app);
      if (now === null || status.value !== 'waiting') return;
      if (start === null) {
        start = now;
        started.value = now;
        return;
      }
      const done = lesson.check(now, start);
      if (done === null) return;
      status.value = 'done';
      message.value = `Done — ${done}`;
      if (!completed.value.includes(lesson.id)) completed.value = [...completed.value, lesson.id];
      // Stopped after this run of the effect (it cannot stop itself while it runs).
      queueMicrotask(stopWatching);
    });
  }

  function stopWatching(): void {
    stopCheck?.();
    stopCheck = null;
    started.value = null;
  }

  /** Leave the lesson (the app stays as it is). */
  function close(): void {
    run++;
    stopWatching();
    currentId.value = null;
    status.value = 'idle';
    message.value = null;
  }

  return {
    lessons: LESSONS,
    currentId,
    current,
    index,
    next,
    status,
    message,
    completed,
    started,
    app,
    setUp,
    close,
  };
});
