// What a lesson is: data that sets the app up through the stores' public actions, says what to
// look at and what to do, and a check that watches the app's state until the student did it.
// docs/lessons.md shows how to add one.
import type { useGraphStore } from '../stores/graph';
import type { useLabStore } from '../stores/lab';
import type { usePluginsStore } from '../stores/plugins';
import type { useProjectStore } from '../stores/project';
import type { useTrainingStore } from '../stores/training';
import type { SidebarTabId, useUiStore } from '../stores/ui';

/** The app as a lesson sees it: the stores, and two helpers for setting up. */
export interface LessonApp {
  graph: ReturnType<typeof useGraphStore>;
  lab: ReturnType<typeof useLabStore>;
  training: ReturnType<typeof useTrainingStore>;
  plugins: ReturnType<typeof usePluginsStore>;
  project: ReturnType<typeof useProjectStore>;
  ui: ReturnType<typeof useUiStore>;
  /** Bring a sidebar tab to the front. */
  showTab(tab: SidebarTabId): void;
  /** Resolves once the Lab has answered for what is open now (or after `ms`, default 20 s). */
  labAnswer(ms?: number): Promise<void>;
}

/** A plugin file the lesson hands the student to edit (the wacky layer with a broken backward). */
export interface LessonEditor {
  /** The file's id in the plugin list (`user:lesson-wacky.js`). */
  file: string;
  /** The text the editor starts with. */
  source: string;
  /** What the editor is, for assistive technology. */
  label: string;
  /** Text on the line the editor opens scrolled to (the part the task is about), if not the top. */
  reveal?: string;
}

/**
 * One lesson. `observe` reads the app's state (reactively) into a plain value, or null while
 * what it needs is not there yet; the first value after set-up is the start, and `check` is
 * asked about every later one: it returns what happened ("the peak dropped by 31 %") once the
 * task is done, null until then. `check` is a pure function: unit-test it with plain values.
 */
export interface Lesson<S = unknown> {
  /** Stable id, the file's name without its number (`detach`). */
  id: string;
  /** Short, in the lecture's words. */
  title: string;
  /** The lecture's idea in one sentence. */
  idea: string;
  /** What to look at once it is set up. */
  look: string;
  /** The one thing to do. */
  task: string;
  /** Load the network, open the view, select the node. False: the student kept their work. */
  setUp(app: LessonApp): Promise<boolean>;
  observe(app: LessonApp): S | null;
  check(now: S, start: S): string | null;
  /** A plugin file to edit in the lesson's card. */
  editor?: LessonEditor;
}

/** A lesson of any state type, for lists. */
export type AnyLesson = Lesson<any>;

/** Identity, typed: `export default defineLesson({ … })` infers the state type from observe. */
export function defineLesson<S>(lesson: Lesson<S>): Lesson<S> {
  return lesson;
}

/** A share of a before-and-after, as a whole percentage ("−31 %"). */
export function percentChange(before: number, after: number): string {
  if (before === 0) return after === 0 ? '0 %' : '+∞ %';
  const p = Math.round((100 * (after - before)) / before);
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p)} %`;
}
