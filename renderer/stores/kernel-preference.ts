// The matrix kernel mode the user picked (Training run section), kept in localStorage so that
// it lasts between sessions; not part of the project (see docs/kernels.md).
import { DEFAULT_KERNEL_MODE, type KernelMode } from '../../core/ops/kernels/wasm-kernel';

const KEY = 'backprop-lab.kernel';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}

export function loadKernelMode(): KernelMode {
  const v = storage()?.getItem(KEY);
  return v === 'fast' || v === 'portable' ? v : DEFAULT_KERNEL_MODE;
}

export function saveKernelMode(mode: KernelMode): void {
  try {
    storage()?.setItem(KEY, mode);
  } catch {
    // storage full or blocked: the choice lasts for this session
  }
}
