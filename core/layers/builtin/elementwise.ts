// What the built-in activations share: the output has the input's shape, one value per unit.
import type { OnnxMapping } from '../../export/onnx/plugin-mapping';
import type { BuildArgs, BuildResult } from '../contract';
import type { FusedKernel, FusedStep } from '../fused';
import type { LabContext, LabFormulas } from '../lab';

export const sameShape = ({ inShapes }: BuildArgs): BuildResult => ({
  outShape: inShapes[0].slice(),
});

/** One ONNX operator from input to output: `Sigmoid`, `Tanh`, `Relu`, `Identity`. */
export const unaryOnnx =
  (op: string): OnnxMapping =>
  (ctx) => [{ op, inputs: [ctx.inputs[0]], outputs: [ctx.output] }];

type Out = { [i: number]: number; length: number };

/**
 * The fused kernel of an activation from the kernels its op runs on the tape: forward Y = f(X)
 * (the same in evaluation), backward GX from G and the output Y (σ, tanh, relu keep their
 * output for backward).
 */
export function fusedFromOutput(
  forward: (X: Float32Array, Y: Out) => void,
  backward: (G: Float32Array, Y: Float32Array, GX: Out) => void,
): FusedKernel {
  const f = (s: FusedStep) => forward(s.x, s.y);
  return {
    forward: f,
    evaluate: f,
    backward: (s) => {
      if (s.gx) backward(s.gy, s.y, s.gx);
    },
  };
}

/**
 * The Lab formulas of an activation f applied unit by unit: h = f(h̃) forward, δ = ∂L/∂h ⊙ f′(h̃)
 * backward, with f′ written out for this node's symbols (`prime(pre, post, ctx)`: h̃⁽ᵏ⁾ and
 * h⁽ᵏ⁾, or ỹ and ŷ at the output; it may depend on the node's parameters).
 */
export function activationLab(
  f: string,
  prime: (pre: string, post: string, c: LabContext) => string,
): LabFormulas {
  return {
    sameUnits: true,
    forward: (c) => ({
      title: `Activation ${c.type}, unit by unit`,
      formula: `${c.out} = ${f}(${c.ins[0]})`,
    }),
    backward: (c) => ({
      title: `Back through ${c.type}: scale by its slope`,
      formula: `${c.inDeltas[0]} = ${c.delta} ⊙ ${f}′(${c.ins[0]})`,
      more: [prime(c.ins[0], c.out, c)],
    }),
  };
}
