// `npm run bench`'s UI-thread part: runs the Playwright measurements in bench/ui (the web build
// in Debian's Chromium) and prints them against issue 7's goals: no task over 50 ms on the UI
// thread while training, progress at 10 updates a second or more (a run held to a slow speed:
// about one update a step).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LONG_TASK_MS,
  MIN_UPDATES_PER_SECOND,
  PACED_UPDATE_SHARE,
  type UiMeasurement,
} from './ui/record';
import { type Column, table } from './table';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface UiResult {
  rows: UiMeasurement[];
  /** Why nothing or not everything was measured. */
  problem?: string;
}

/** Runs bench/ui's specs; their progress goes to stderr. */
export function measureUi(): UiResult {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium))
    return { rows: [], problem: `no Chromium at ${chromium} (set CHROMIUM_PATH)` };
  const out = join(mkdtempSync(join(os.tmpdir(), 'bench-ui-')), 'ui.jsonl');
  const run = spawnSync('npx', ['playwright', 'test', '-c', 'bench/ui/playwright.config.ts'], {
    cwd: root,
    env: { ...process.env, BENCH_UI_OUT: out },
    stdio: ['ignore', 2, 2],
  });
  const rows = existsSync(out)
    ? readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as UiMeasurement)
    : [];
  const problem =
    run.status === 0 ? undefined : `the UI measurements failed (exit ${run.status ?? run.signal})`;
  return { rows, problem };
}

/** Whether a scenario met the goals, and how. */
function verdict(m: UiMeasurement): string {
  const goal = m.pacedAt === undefined ? MIN_UPDATES_PER_SECOND : m.pacedAt * PACED_UPDATE_SHARE;
  const slowUpdates = m.updatesPerSecond !== null && m.updatesPerSecond < goal;
  if (m.maxTaskCpuMs >= LONG_TASK_MS || slowUpdates) return 'MISSED';
  if (m.longTasksMs.length === 0) return 'met';
  return `met: the observer's ${m.longTasksMs.join(', ')} ms used ≤ ${m.maxTaskCpuMs} ms CPU (the page waited for a core)`;
}

export function uiTable(r: UiResult): string {
  const columns: Column[] = [
    { title: 'while training' },
    { title: 'window', align: 'right' },
    {
      title: `progress updates/s (goal ≥ ${MIN_UPDATES_PER_SECOND}; paced: ≥ ${PACED_UPDATE_SHARE} × the pace)`,
      align: 'right',
    },
    { title: 'UI-thread tasks', align: 'right' },
    { title: `most CPU in one task, ms (goal < ${LONG_TASK_MS})`, align: 'right' },
    { title: `observer: tasks > ${LONG_TASK_MS} ms`, align: 'right' },
    { title: 'longest Lab drawing, ms', align: 'right' },
    { title: 'goal' },
  ];
  const rows = r.rows
    .filter((m) => m.samplesPerSecond === undefined)
    .map((m) => [
      m.scenario,
      `${(m.windowMs / 1000).toFixed(1)} s`,
      m.updatesPerSecond === null ? '' : m.updatesPerSecond.toFixed(1),
      String(m.tracedTasks),
      m.maxTaskCpuMs.toFixed(1),
      m.longTasksMs.length ? m.longTasksMs.join(', ') : 'none',
      m.longestDrawMs === undefined ? '' : m.longestDrawMs.toFixed(1),
      verdict(m),
    ]);
  return [
    [
      `The UI thread while the worker trains (bench/ui: the web build in Chromium, a long-task observer for wall time and a main-thread trace for each task's CPU time).`,
      `On a shared machine the OS can pause the page inside a short task: the observer then reports a long task whose CPU time is small.`,
    ].join('\n'),
    rows.length ? table(columns, rows) : '(nothing measured)',
    ...(r.problem ? [`WARNING: ${r.problem}`] : []),
  ].join('\n\n');
}
