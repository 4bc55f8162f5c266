import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import type { WeightMap } from '../../core/model/model';
import type { Stepper } from '../measure';
import type { Workload, WorkloadData } from '../workloads';

// tfjs-core's Node bundle holds no gradients: the union package @tensorflow/tfjs registers them
// from tfjs-core's ESM sources, and so do we (those need the resolve hook to load in Node).
register('./tfjs-resolve-hook.mjs', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');

export type TfBackend = 'cpu' | 'wasm';

/** What a tfjs backend turned out to be once it was running. */
export interface TfBackendInfo {
  backend: TfBackend;
  /** e.g. "cpu (plain JavaScript kernels)" or "wasm (…/tfjs-backend-wasm-simd.wasm, 1 thread)". */
  description: string;
  /** The .wasm binary the backend read, for the wasm backend. */
  wasmFile?: string;
  simd?: boolean;
  threads?: number;
}

let wasmInfo: TfBackendInfo | null = null;

/** The package's dist folder, where its .wasm binaries ship. */
function wasmDist(): string {
  const req = createRequire(import.meta.url);
  const pkg = req.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

/**
 * Make `backend` the active tfjs backend and wait until it is ready. The wasm binaries are
 * read from node_modules (never fetched); which one was loaded is observed, not assumed, by
 * watching the file reads while the backend initialises.
 */
export async function useTfBackend(backend: TfBackend): Promise<TfBackendInfo> {
  tf.enableProdMode(); // skips tfjs's debug checks and its "install tfjs-node" notice
  if (backend === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend did not start');
    await tf.ready();
    return { backend, description: 'cpu (plain JavaScript kernels)' };
  }
  if (wasmInfo) {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not start');
    await tf.ready();
    return wasmInfo;
  }
  setWasmPaths(wasmDist());
  const read: string[] = [];
  const { readFileSync, readFile } = fs;
  const spy = fs as unknown as Record<'readFileSync' | 'readFile', (...a: any[]) => unknown>;
  const watching =
    (original: (...a: any[]) => unknown) =>
    (...a: any[]) => {
      if (String(a[0]).endsWith('.wasm')) read.push(String(a[0]));
      return original(...a);
    };
  spy.readFileSync = watching(readFileSync);
  spy.readFile = watching(readFile);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not start');
    await tf.ready();
  } finally {
    spy.readFileSync = readFileSync;
    spy.readFile = readFile;
  }
  const simdFlag = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const wasmFile = read.length ? path.relative(process.cwd(), read[read.length - 1]) : undefined;
  const simd = wasmFile ? path.basename(wasmFile).includes('simd') : simdFlag;
  const threads = getThreadsCount();
  const file = wasmFile ?? `unobserved file, SIMD support flag ${simdFlag}`;
  wasmInfo = {
    backend,
    description: `wasm (${file}, ${threads} thread${threads === 1 ? '' : 's'})`,
    wasmFile,
    simd,
    threads,
  };
  return wasmInfo;
}

/**
 * How tfjs holds a dense weight: [in, out] and x·W (tf.layers.dense's kernel), or [out, in] and
 * x·Wᵀ via transposeB (our layout, PyTorch's).
 */
export type TfLayout = 'in-out' | 'out-in';

/**
 * The workload in tfjs on the active backend: the same weights (copied from ours), the same
 * batches in the same order, tf.train.sgd, and `minimize` inside tf.tidy; reading the loss with
 * dataSync forces the step to finish.
 */
export function tfjsStepper(
  w: Workload,
  data: WorkloadData,
  weights: WeightMap,
  layout: TfLayout,
): Stepper {
  const layers = w.widths.length - 1;
  const W: tf.Variable[] = [];
  const B: tf.Variable[] = [];
  for (let l = 1; l <= layers; l++) {
    const wt = weights[`fc${l}.weight`];
    const bs = weights[`fc${l}.bias`];
    const w0 = tf.tidy(() => {
      const ours = tf.tensor2d(wt.data.slice(), [wt.shape[0], wt.shape[1]]);
      return layout === 'out-in' ? ours : tf.transpose(ours);
    });
    const b0 = tf.tensor1d(bs.data.slice());
    W.push(tf.variable(w0, true));
    B.push(tf.variable(b0, true));
    w0.dispose(); // the variables keep the values
    b0.dispose();
  }
  const vars = [...W, ...B];
  const optimizer = tf.train.sgd(w.lr);
  const act = w.activation === 'ReLU' ? tf.relu : tf.sigmoid;
  const ds = data.dataset;
  const b = w.batchSize;
  const td = data.targetDim;

  const predict = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    for (let l = 0; l < layers; l++) {
      h = tf.add(tf.matMul(h, W[l], false, layout === 'out-in'), B[l]);
      if (l < layers - 1 || w.activateOutput) h = act(h);
    }
    return h;
  };
  const lossOf = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar =>
    w.loss === 'CrossEntropy'
      ? tf.losses.softmaxCrossEntropy(y, predict(x))
      : tf.losses.meanSquaredError(y, predict(x));

  let batch = 0;
  let afterFirst = 0;
  return {
    step: () => {
      const at = (batch++ % w.batches) * b;
      const cost = tf.tidy(() => {
        const x = tf.tensor2d(ds.x.subarray(at * ds.inDim, (at + b) * ds.inDim), [b, ds.inDim]);
        const y = tf.tensor2d(data.targets.subarray(at * td, (at + b) * td), [b, td]);
        return optimizer.minimize(() => lossOf(x, y), true, vars)!;
      });
      const value = cost.dataSync()[0];
      cost.dispose();
      // After the first step (which may create optimizer state) a step must not leak tensors.
      if (batch === 1) afterFirst = tf.memory().numTensors;
      if (batch === 3 && tf.memory().numTensors !== afterFirst)
        throw new Error(
          `tfjs: a training step leaked ${tf.memory().numTensors - afterFirst} tensors`,
        );
      return value;
    },
    dispose: () => {
      optimizer.dispose();
      for (const v of vars) v.dispose();
    },
  };
}
