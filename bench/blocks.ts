// The two outer-product blocks of the fast kernel (core/ops/kernels/wasm/gemm.wat: 4 × 8 and
// 6 × 8) side by side, in this Node and in Debian's Chromium (the kernel alone in a blank page),
// on the MLP's shapes and small ones: the numbers behind core/ops/kernels/outer-block.ts's
// choice, as docs/kernels.md reports them.
// Run: node --import tsx bench/blocks.ts   (GFLOP/s of wall time, the best of 9 rounds)
import { chromium } from '@playwright/test';
import { enableRelaxedSimd } from '../cli/relaxed-simd';
import { GEMM_FAST_BASE64 } from '../core/ops/kernels/wasm/gemm-wasm';
import type { WasmApi } from '../core/ops/kernels/wasm-api';

type Shape = [kind: 'nn' | 'tn' | 'nt', m: number, n: number, k: number];
const SHAPES: Shape[] = [
  ['tn', 256, 784, 128],
  ['nn', 128, 784, 256],
  ['nn', 128, 256, 128],
  ['tn', 128, 256, 128],
  ['nn', 16, 16, 16],
  ['tn', 16, 16, 16],
  ['nt', 16, 16, 16],
  ['nn', 16, 64, 64],
  ['tn', 64, 64, 16],
];

/** GFLOP/s of each shape in both blocks; self-contained, so that a page can run it too. */
function timeBlocks(b64: string, shapes: Shape[]): [number, number][] {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const memory = new wasm.Memory({ initial: 200, maximum: 16384 });
  const ex = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports as Record<
    string,
    (...args: number[]) => void
  >;
  const f = new Float32Array(memory.buffer);
  for (let i = 0; i < f.length; i++) f[i] = Math.random() - 0.5;
  const [a, b, c, work] = [1 << 16, 4 << 20, 8 << 20, 11 << 20];
  return shapes.map(([kind, m, n, k]) => {
    const product = ex[`gemm_${kind}`];
    const reps = Math.max(3, Math.floor(4e8 / (2 * m * n * k)));
    const best = [Infinity, Infinity];
    for (let round = 0; round < 9; round++)
      [4, 6].forEach((rows, i) => {
        ex.set_outer_rows(rows);
        const t = performance.now();
        for (let r = 0; r < reps; r++) product(a, b, c, m, n, k, 0, m, work);
        best[i] = Math.min(best[i], (performance.now() - t) / reps);
      });
    return [0, 1].map((i) => (2 * m * n * k) / best[i] / 1e6) as [number, number];
  });
}

enableRelaxedSimd();
const node = timeBlocks(GEMM_FAST_BASE64, SHAPES);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
  ],
});
const page = await browser.newPage();
const version = browser.version();
const inPage = await page.evaluate(
  ([source, b64, shapes]) => (0, eval)(`(${source})`)(b64, shapes) as [number, number][],
  [timeBlocks.toString(), GEMM_FAST_BASE64, SHAPES] as const,
);
await browser.close();

const g = (x: number) => x.toFixed(1).padStart(5);
console.log(
  `fast kernel, GFLOP/s: 4 × 8 → 6 × 8 (Node ${process.versions.node}, Chromium ${version})`,
);
SHAPES.forEach(([kind, m, n, k], i) =>
  console.log(
    `${kind} ${`${m}×${n}×${k}`.padEnd(12)} Node ${g(node[i][0])} → ${g(node[i][1])}   Chromium ${g(inPage[i][0])} → ${g(inPage[i][1])}`,
  ),
);
