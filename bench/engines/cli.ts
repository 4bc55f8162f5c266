import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../../node/atomic-write';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RemoteStepper, Window } from '../measure';
import { type Workload, type WorkloadData, makeProject } from '../workloads';

// `backprop-lab train` as an engine of the benchmark: the workload written as a project file
// (its data inline), trained by the command line in a process of its own, each window a run of
// whole epochs whose report gives the training loop's time (startup and file reading left out).

const BIN = fileURLToPath(new URL('../../bin/backprop-lab.mjs', import.meta.url));
const run = promisify(execFile);

/** The workload as a project file with its data inline, and no test split (as the bench trains). */
export function workloadProject(w: Workload, data: WorkloadData): string {
  const ds = data.dataset;
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < ds.n; i++) {
    x.push(Array.from(ds.x.subarray(i * ds.inDim, (i + 1) * ds.inDim)));
    y.push(Array.from(ds.y.subarray(i * ds.yDim, (i + 1) * ds.yDim)));
  }
  return JSON.stringify({ ...makeProject(w), data: { x, y, testFraction: 0 } });
}

interface Timing {
  seconds: number;
  samples: number;
}

/** The command line training the workload with `--threads 1` and the given options. */
export function cliStepper(w: Workload, data: WorkloadData, options: string[]): RemoteStepper {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
  const project = path.join(dir, 'project.json');
  const report = path.join(dir, 'report.json');
  writeFileAtomic(project, workloadProject(w, data));
  const epochSamples = w.batches * w.batchSize;
  let rate = 0; // samples/s of the last run, to size the next one
  const train = async (epochs: number): Promise<Timing & { losses: number[] }> => {
    const args = [BIN, 'train', project, '--epochs', String(epochs), '--threads', '1'];
    await run(process.execPath, [...args, ...options, '--quiet', '--report', report]);
    const r = JSON.parse(readFileSync(report, 'utf8')) as {
      timing: Timing;
      loss: { history: number[] };
    };
    rate = r.timing.samples / r.timing.seconds;
    return { ...r.timing, losses: r.loss.history };
  };
  return {
    warmup: async (steps) => {
      await train(Math.max(1, Math.ceil(steps / w.batches)));
      return { first: NaN, last: NaN }; // the report has epoch means, not step losses
    },
    window: async (minSteps, minSeconds, fixedSteps): Promise<Window> => {
      const steps = fixedSteps ?? Math.max(minSteps, Math.ceil((minSeconds * rate) / w.batchSize));
      const t = await train(Math.max(1, Math.ceil((steps * w.batchSize) / epochSamples)));
      return { steps: t.samples / w.batchSize, seconds: t.seconds, cpuSeconds: NaN };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
