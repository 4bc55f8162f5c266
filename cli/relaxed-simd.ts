// Relaxed SIMD (the fast kernel's fused multiply-add) on the command line. Node 22 ships it;
// Node 20 has it behind --experimental-wasm-relaxed-simd, which this turns on for the
// command's own process (V8 reads wasm feature flags when it validates a module, so setting
// it before the first product is enough; worker threads share the process's flags).
import v8 from 'node:v8';
import { relaxedSimdValidates } from '../core/ops/kernels/wasm-kernel';

/** How relaxed SIMD came to be available: built into this Node, by the flag, or not at all. */
export type RelaxedSimd = 'built in' | 'enabled by flag' | 'missing';

let result: RelaxedSimd | null = null;

/** Makes relaxed SIMD available in this process where it can be; call before the first product. */
export function enableRelaxedSimd(): RelaxedSimd {
  if (result) return result;
  if (relaxedSimdValidates()) return (result = 'built in');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return (result = relaxedSimdValidates() ? 'enabled by flag' : 'missing');
}
