// The thread a command runs on, seen from inside it. The command line runs every command on a
// worker thread (cli/thread/watched.ts) so that its main thread can end a step that never
// returns; this file is that worker's side: the Activity the engine writes what it runs into
// (the app's cells, core/util/activity.ts) and the step limit the command was given.
// Run in-process (the tests' runCli), there is no thread: nothing is watched.
import { Activity, ACTIVITY } from '../../core/util/activity';

/** What the command's thread tells the main thread. */
export type FromCommandThread =
  | { type: 'cells'; cells: SharedArrayBuffer }
  | { type: 'label'; id: number; text: string }
  | { type: 'limit'; ms: number }
  | { type: 'done'; code: number };

interface Port {
  postMessage(msg: FromCommandThread): void;
}

let port: Port | null = null;
let activity: Activity | undefined;

/**
 * Make this thread the watched one: its activity cells in shared memory, sent to the main
 * thread with the text of each label before it is first used.
 */
export function watchThisThread(to: Port): void {
  port = to;
  const cells = new SharedArrayBuffer(ACTIVITY.cells * 4);
  to.postMessage({ type: 'cells', cells });
  activity = new Activity(cells, (id, text) => to.postMessage({ type: 'label', id, text }));
}

/** The activity of the command's thread, or undefined when nothing watches it. */
export function threadActivity(): Activity | undefined {
  return activity;
}

/** The limit the command was given (--step-timeout), for the watchdog. */
export function announceStepTimeout(ms: number): void {
  port?.postMessage({ type: 'limit', ms });
}

/** The command is over: its exit code. */
export function announceDone(code: number): void {
  port?.postMessage({ type: 'done', code });
}
