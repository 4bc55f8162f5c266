import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gemmNN, gemmNT, gemmTN } from '../../../core/ops/kernels/gemm';
import {
  disableGemmThreads,
  enableGemmThreads,
  CONTROL_WORDS,
  GEMM_HELPER_SOURCE,
  type GemmHelperInit,
  gemmThreadStatus,
  splitProducts,
  splitRowCounts,
  threadSettings,
  waitForGemmHelper,
  type StartGemmHelper,
} from '../../../core/ops/kernels/gemm-threads';
import { startNodeGemmHelper, useTwoThreads } from '../../../cli/gemm-threads';
import {
  checkProduct,
  forms,
  random,
  RAGGED_SHAPES,
  reference,
  useKernel,
  WASM_KERNELS,
  type KernelName,
  type Form,
} from './reference';

const defaults = { ...threadSettings };

// Every product these tests share goes to both threads, however small its share of the helper
// (the test of minHelperShare sets it).
beforeEach(() => {
  threadSettings.minHelperShare = 0;
});

afterEach(() => {
  disableGemmThreads();
  useKernel('fast');
  Object.assign(threadSettings, defaults);
  vi.unstubAllGlobals();
});

/** Every product with each form on the ragged shapes, plus two the size of the MLP's. */
const SHAPES: [number, number, number][] = [...RAGGED_SHAPES, [128, 256, 784], [256, 784, 128]];

/** Every form on every shape, checked against the float64 reference. */
function runAll(): void {
  for (const form of Object.keys(forms) as Form[])
    for (const [m, n, k] of SHAPES) checkProduct(form, m, n, k);
}

describe('two-thread matrix products', () => {
  it('start a helper thread and report two threads once it is ready', () => {
    const status = useTwoThreads();
    expect(status).toEqual({ threads: 2, state: 'on' });
  });

  for (const kernel of WASM_KERNELS) {
    it(`match a float64 reference in every form, ragged shapes split between the threads (${kernel})`, () => {
      useKernel(kernel);
      threadSettings.minProduct = 0; // split every product of 8 rows or more
      // and never pause sharing because the helper lagged (it does on a loaded machine)
      threadSettings.minHelperShare = 0;
      expect(useTwoThreads().threads).toBe(2);
      const before = splitProducts();
      expect(() => runAll()).not.toThrow();
      // every product with 8 or more rows went to both threads
      const splittable = SHAPES.filter(([m]) => m >= 8).length * 3;
      expect(splitProducts() - before).toBe(splittable);
    });

    it(`give the same bits as one thread (each row is summed in the same order) (${kernel})`, () => {
      useKernel(kernel);
      // k = 200: x·Wᵀ as dot products; k = 40: with W transposed first (by each thread)
      for (const k of [200, 40]) expectSameBits(kernel, k);
    });
  }

  function expectSameBits(kernel: KernelName, k: number): void {
    disableGemmThreads();
    const m = 130,
      n = 257;
    const A = random(m * k), // [m, k]
      At = random(k * m), // [k, m]
      Bnk = random(n * k), // [n, k]
      Bkn = random(k * n); // [k, n]
    const products = (): Float32Array[] => {
      const C = [0, 1, 2].map(() => new Float32Array(m * n));
      gemmNT(A, Bnk, C[0], m, n, k);
      gemmNN(A, Bkn, C[1], m, n, k);
      gemmTN(At, Bkn, C[2], m, n, k);
      return C;
    };
    const one = products();
    useTwoThreads();
    threadSettings.minProduct = 0;
    const before = splitProducts();
    const two = products();
    expect(splitProducts() - before).toBe(3);
    for (let i = 0; i < 3; i++) expect(two[i], `${kernel}, k = ${k}, product ${i}`).toEqual(one[i]);
  }

  it('keep one thread, saying why, where SharedArrayBuffer is missing', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const status = enableGemmThreads(startNodeGemmHelper);
    expect(status.threads).toBe(1);
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(
      /SharedArrayBuffer is not available: the page is not cross-origin isolated/,
    );
  });

  it('keep one thread when the host cannot start a helper, and products stay right', () => {
    const start: StartGemmHelper = () => {
      throw new Error('no workers here');
    };
    const status = enableGemmThreads(start);
    expect(status).toEqual({
      threads: 1,
      state: 'failed',
      reason: 'the helper thread did not start: no workers here',
    });
    threadSettings.minProduct = 0;
    expect(() => runAll()).not.toThrow();
  });

  it('use one thread while the helper is starting', () => {
    const start: StartGemmHelper = () => ({ terminate() {} }); // a helper that never arrives
    expect(enableGemmThreads(start)).toEqual({ threads: 1, state: 'starting' });
    expect(waitForGemmHelper(30)).toBe(false);
    threadSettings.minProduct = 0;
    expect(() => runAll()).not.toThrow();
    expect(gemmThreadStatus().state).toBe('starting');
  });

  it('finish a product on this thread when the helper dies in the middle of one', () => {
    // A helper that says it is ready, takes a chunk of the first product it can, and never
    // finishes it: this thread takes the chunk back each time, and after timeoutMs gives up on
    // the helper.
    let worker: Worker | null = null;
    const { SEQ, READY, NEXT, TAKEN, ARGS } = CONTROL_WORDS;
    const start: StartGemmHelper = (_source, init) => {
      worker = new Worker(
        `require('node:worker_threads').parentPort.once('message', ({ memory, generation }) => {
           const ctl = new Int32Array(memory.buffer, 0, 32);
           let seen = Atomics.load(ctl, ${SEQ});
           Atomics.store(ctl, ${READY}, generation);
           Atomics.notify(ctl, ${READY});
           for (;;) {
             const seq = Atomics.load(ctl, ${SEQ});
             if (seq === seen || seq & 1) continue;
             seen = seq;
             const m = Atomics.load(ctl, ${ARGS + 5}), base = Atomics.load(ctl, ${ARGS + 9});
             const chunk = Atomics.load(ctl, ${ARGS + 10});
             const at = Atomics.load(ctl, ${NEXT});
             if (at - base < m && Atomics.compareExchange(ctl, ${NEXT}, at, at + chunk) === at) {
               Atomics.add(ctl, ${TAKEN}, 1);
               return;
             }
           }
         });`,
        { eval: true },
      );
      worker.unref();
      worker.postMessage(init);
      return { terminate: () => void worker?.terminate() };
    };
    enableGemmThreads(start);
    expect(waitForGemmHelper(5000)).toBe(true);
    threadSettings.minProduct = 0;
    threadSettings.timeoutMs = 50;
    const m = 256,
      n = 256,
      k = 256;
    const A = random(m * k),
      B = random(k * n);
    const R = reference('NN', A, B, m, n, k);
    // The helper takes a chunk as soon as it sees a product (this thread is busy with its own
    // first chunk meanwhile); on a busy machine it may miss a few.
    const until = Date.now() + 10_000;
    let worst = 0;
    while (Date.now() < until && gemmThreadStatus().state === 'on') {
      const C = new Float32Array(m * n).fill(NaN);
      gemmNN(A, B, C, m, n, k);
      for (let i = 0; i < C.length; i++) {
        const d = Math.abs(C[i] - R[i]);
        worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
      }
    }
    expect(worst).toBeLessThan(1e-3);
    expect(gemmThreadStatus()).toEqual({
      threads: 1,
      state: 'failed',
      reason: 'the helper thread did not finish a product within 50 ms',
    });
  });

  it('keep products on one thread for a pause when the helper computes too little of them', () => {
    // A helper that says it is ready and never takes a chunk (as one without a core would).
    let worker: Worker | null = null;
    const { READY } = CONTROL_WORDS;
    enableGemmThreads((_source, init) => {
      worker = new Worker(
        `require('node:worker_threads').parentPort.once('message', ({ memory, generation }) => {
           const ctl = new Int32Array(memory.buffer, 0, 32);
           Atomics.store(ctl, ${READY}, generation);
           Atomics.notify(ctl, ${READY});
         });`,
        { eval: true },
      );
      worker.unref();
      worker.postMessage(init);
      return { terminate: () => void worker?.terminate() };
    });
    expect(waitForGemmHelper(5000)).toBe(true);
    threadSettings.minProduct = 0;
    threadSettings.minHelperShare = 0.3;
    threadSettings.firstPauseMs = 60_000; // longer than the test
    const [m, n, k] = [64, 48, 40];
    const A = random(m * k),
      B = random(k * n);
    const R = reference('NN', A, B, m, n, k);
    const before = { products: splitProducts(), ...splitRowCounts() };
    let worst = 0;
    for (let i = 0; i < 40; i++) {
      const C = new Float32Array(m * n).fill(NaN);
      gemmNN(A, B, C, m, n, k);
      for (let j = 0; j < C.length; j++) {
        const d = Math.abs(C[j] - R[j]);
        worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
      }
    }
    expect(worst).toBeLessThan(1e-4);
    // 32 products were offered to the helper, it took none, and the next 8 stayed here
    expect(splitProducts() - before.products).toBe(32);
    expect(splitRowCounts().helper - before.helper).toBe(0);
    expect(splitRowCounts().pauses - before.pauses).toBe(1);
    expect(gemmThreadStatus()).toEqual({ threads: 2, state: 'on' });
  });

  it('reports a helper thread that dies', async () => {
    const start: StartGemmHelper = (_source, init, onFailure) =>
      startNodeGemmHelper('function (init) { throw new Error("boom"); }', init, onFailure);
    enableGemmThreads(start);
    await vi.waitFor(() => expect(gemmThreadStatus().state).toBe('failed'), { timeout: 5000 });
    expect(gemmThreadStatus().reason).toMatch(/the helper thread failed: .*boom/);
  });

  it('ignores a helper of an earlier enable that starts late', async () => {
    let stale: GemmHelperInit | null = null;
    enableGemmThreads((_source, init) => {
      stale = init; // this helper does not start now
      return { terminate() {} };
    });
    disableGemmThreads();
    expect(useTwoThreads().threads).toBe(2);
    const exits: string[] = [];
    const late = startNodeGemmHelper(GEMM_HELPER_SOURCE, stale!, (why) => exits.push(why));
    // it sees another generation and returns: its thread ends
    await vi.waitFor(() => expect(exits).toEqual(['it exited (code 0)']), { timeout: 5000 });
    expect(gemmThreadStatus()).toEqual({ threads: 2, state: 'on' });
    threadSettings.minProduct = 0;
    const before = splitProducts();
    expect(() => runAll()).not.toThrow();
    expect(splitProducts()).toBeGreaterThan(before);
    late.terminate();
  });

  it('can be turned off and on again', () => {
    expect(useTwoThreads().threads).toBe(2);
    disableGemmThreads();
    expect(gemmThreadStatus()).toEqual({ threads: 1, state: 'off' });
    expect(useTwoThreads().threads).toBe(2);
  });
});
