import type { Normalization } from '../core/data/normalize';
import type { Project } from '../core/graph/schema';
import type { MemoryReport, NodeMemory } from '../core/memory/meter';
import type { KernelInfo } from '../core/ops/kernels/wasm-kernel';
import type { EpochStats } from '../core/train/trainer';

export const REPORT_FORMAT = 'backprop-lab.report';

/** What `train --report FILE.json` writes. Its fields are a public contract, listed in the README's Command line section. */
export interface TrainReport {
  format: typeof REPORT_FORMAT;
  version: 1;
  name: string;
  projectFile: string;
  epochs: number;
  seed: number;
  batchSize: number;
  parameters: number;
  loss: {
    type: string;
    /** The last epoch's mean training loss (the training set's loss when no epoch ran). */
    final: number | null;
    /** Mean training loss per epoch. */
    history: number[];
    testFinal: number | null;
    testHistory: (number | null)[];
  };
  accuracy: {
    final: number | null;
    testFinal: number | null;
    train: (number | null)[];
    test: (number | null)[];
  };
  memory: {
    batchSize: number;
    nodes: Record<string, NodeMemory>;
    peakSavedBytes: number;
    afterForwardBytes: number;
  };
  timing: {
    seconds: number;
    samples: number;
    samplesPerSecond: number;
    threads: number;
    splitProducts: number;
    /**
     * --kernel's mode, the instructions the products ran on, why not the fast ones, and the
     * block the products ran in (chosen by timing, core/ops/kernels/outer-block.ts).
     */
    kernel: KernelInfo;
  };
  exports: string[];
  /**
   * data.normalize's statistics from the training split, feature by feature: x′ = (x − offset)
   * / scale (mean and standard deviation, or minimum and range); null when the inputs are raw.
   */
  normalization: (Normalization & { features: string[] }) | null;
  /** Set when training stopped early (diverged); the histories hold the epochs before. */
  error?: { code: string; message: string };
}

interface Evaluation {
  loss: number;
  accuracy: number | null;
}

export interface ReportInput {
  project: Project;
  projectFile: string;
  parameters: number;
  history: readonly EpochStats[];
  /** The data sets evaluated with the final weights; used when no epoch ran. */
  initial: { train: Evaluation; test: Evaluation | null } | null;
  memory: MemoryReport;
  memoryBatch: number;
  seconds: number;
  samples: number;
  /** Threads per large matrix product. */
  threads: number;
  /** Products shared between the two threads during the run. */
  splitProducts: number;
  kernel: KernelInfo;
  exports: string[];
  normalization: Normalization | null;
  /** The names of the input features, for the normalization's entries. */
  features: string[];
  error?: { code: string; message: string };
}

export function makeReport(r: ReportInput): TrainReport {
  const h = r.history;
  const last = h.at(-1);
  return {
    format: REPORT_FORMAT,
    version: 1,
    name: r.project.name,
    projectFile: r.projectFile,
    epochs: r.project.training.epochs,
    seed: r.project.training.seed,
    batchSize: r.project.training.batchSize,
    parameters: r.parameters,
    loss: {
      type: r.project.loss.type,
      final: last ? last.trainLoss : (r.initial?.train.loss ?? null),
      history: h.map((e) => e.trainLoss),
      testFinal: last ? last.testLoss : (r.initial?.test?.loss ?? null),
      testHistory: h.map((e) => e.testLoss),
    },
    accuracy: {
      final: last ? last.trainAccuracy : (r.initial?.train.accuracy ?? null),
      testFinal: last ? last.testAccuracy : (r.initial?.test?.accuracy ?? null),
      train: h.map((e) => e.trainAccuracy),
      test: h.map((e) => e.testAccuracy),
    },
    memory: {
      batchSize: r.memoryBatch,
      nodes: r.memory.nodes,
      peakSavedBytes: r.memory.peakSavedBytes,
      afterForwardBytes: r.memory.afterForwardBytes,
    },
    timing: {
      seconds: r.seconds,
      samples: r.samples,
      samplesPerSecond: r.seconds > 0 ? r.samples / r.seconds : 0,
      threads: r.threads,
      splitProducts: r.splitProducts,
      kernel: { ...r.kernel },
    },
    exports: r.exports,
    normalization: r.normalization ? { ...r.normalization, features: r.features } : null,
    ...(r.error ? { error: r.error } : {}),
  };
}

/** JSON with NaN and ±∞ (a diverged run) as null, which JSON can hold. */
export function reportJson(report: TrainReport): string {
  return (
    JSON.stringify(
      report,
      (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      2,
    ) + '\n'
  );
}
