import { afterEach, describe, expect, it, vi } from 'vitest';
import { disableGemmThreads, type StartGemmHelper } from '../../../core';
import { startNodeGemmHelper } from '../../../cli/gemm-threads';
import { engineInfo, startEngineThreads } from '../../../renderer/worker/gemm-helper';
import type { EngineInfo } from '../../../renderer/worker/protocol-types';

afterEach(() => disableGemmThreads());

/** The kernel in the tests' default mode (relaxed SIMD is on in the unit tests, as in the CLI). */
// the 4 × 8 block until a host times the blocks (outer-block.ts; the worker does when it starts)
const KERNEL = { kernel: 'WebAssembly relaxed SIMD', mode: 'fast', block: '4 × 8' } as const;

describe("the training worker's matrix-product threads", () => {
  it('stay at one, saying why, where the page is not cross-origin isolated', () => {
    const seen: EngineInfo[] = [];
    const start = vi.fn<StartGemmHelper>();
    startEngineThreads(false, (e) => seen.push(e), start);
    expect(start).not.toHaveBeenCalled();
    expect(seen).toEqual([
      {
        ...KERNEL,
        threads: 1,
        state: 'failed',
        reason:
          'one thread: the page is not cross-origin isolated, so SharedArrayBuffer is not available',
        splitProducts: 0,
      },
    ]);
    // and still says why when asked again (after a run)
    expect(engineInfo()).toEqual(seen[0]);
  });

  it('report "starting" at once and two threads when the helper is ready', async () => {
    const seen: EngineInfo[] = [];
    startEngineThreads(true, (e) => seen.push(e), startNodeGemmHelper);
    expect(seen[0]).toEqual({
      ...KERNEL,
      threads: 1,
      state: 'starting',
      splitProducts: 0,
    });
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5000 });
    expect(seen[1]).toEqual({
      ...KERNEL,
      threads: 2,
      state: 'on',
      splitProducts: 0,
    });
  });

  it('report a helper that fails to start', async () => {
    const seen: EngineInfo[] = [];
    const broken: StartGemmHelper = (_source, init, onFailure) =>
      startNodeGemmHelper('function () { throw new Error("no memory"); }', init, onFailure);
    startEngineThreads(true, (e) => seen.push(e), broken);
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5000 });
    expect(seen[1].state).toBe('failed');
    expect(seen[1].threads).toBe(1);
    expect(seen[1].reason).toMatch(/the helper thread failed: .*no memory/);
  });
});
