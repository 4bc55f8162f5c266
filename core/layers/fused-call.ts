// Calling a node's fused kernel. A built-in's kernel is called as it is; a plugin's is called
// the way its forward and backward are (core/layers/run.ts): an exception names the plugin, the
// node and the phase, a non-finite output from finite inputs and a non-finite gradient stop the
// run there, naming the tensor.
import { LabError } from '../util/errors';
import type { LayerDefinition } from './contract';
import type { FusedKernel, FusedStep } from './fused';
import { describe, firstNonFinite, type LayerPlace, wrap } from './run';

export interface FusedCall {
  forward(step: FusedStep): void;
  backward(step: FusedStep): void;
  /** The kernel's `evaluate`, or null when it has none. */
  evaluate: ((step: FusedStep) => void) | null;
}

/** How the fused plan calls this node's kernel, made once per plan. */
export function fusedCall(def: LayerDefinition, kernel: FusedKernel, at: LayerPlace): FusedCall {
  if (at.source === 'builtin') {
    const evaluate = kernel.evaluate;
    return {
      forward: (s) => kernel.forward(s),
      backward: (s) => kernel.backward(s),
      evaluate: evaluate ? (s) => evaluate.call(kernel, s) : null,
    };
  }
  const call = (phase: 'forward' | 'backward' | 'evaluate', s: FusedStep) => {
    try {
      kernel[phase]!.call(kernel, s);
    } catch (e) {
      throw wrap(e, describe(def, at, phase), at);
    }
  };
  // A non-finite output from finite inputs and weights stops the run, naming the tensor.
  const checkOutput = (phase: 'forward' | 'evaluate', s: FusedStep) => {
    const bad = firstNonFinite(s.y);
    if (bad < 0 || firstNonFinite(s.x) >= 0) return;
    for (const k in s.weights) if (firstNonFinite(s.weights[k]) >= 0) return;
    throw new LabError(
      'NON_FINITE',
      `Error in ${describe(def, at, phase)}: the output is ${s.y[bad]} at flat index ${bad} although its inputs and weights are finite`,
      { node: at.node, phase: 'forward', plugin: at.source, tensor: 'output' },
    );
  };
  return {
    forward(s) {
      call('forward', s);
      checkOutput('forward', s);
    },
    evaluate: kernel.evaluate
      ? (s) => {
          call('evaluate', s);
          checkOutput('evaluate', s);
        }
      : null,
    backward(s) {
      call('backward', s);
      if (s.gx) checkGradient(def, at, 'x', s.gx);
      for (const k in s.grads) {
        const g = s.grads[k];
        if (g) checkGradient(def, at, k, g);
      }
    },
  };
}

function checkGradient(def: LayerDefinition, at: LayerPlace, name: string, g: Float32Array): void {
  const bad = firstNonFinite(g);
  if (bad < 0) return;
  throw new LabError(
    'GRADIENT',
    `Error in ${describe(def, at, 'backward')}: the gradient for ${name} is ${g[bad]} at flat index ${bad}`,
    { node: at.node, phase: 'backward', plugin: at.source, tensor: name },
  );
}
