// What the built-in activations share: the output has the input's shape, one value per unit.
import type { OnnxMapping } from '../../export/onnx/plugin-mapping';
import type { BuildArgs, BuildResult } from '../contract';

export const sameShape = ({ inShapes }: BuildArgs): BuildResult => ({
  outShape: inShapes[0].slice(),
});

/** One ONNX operator from input to output: `Sigmoid`, `Tanh`, `Relu`, `Identity`. */
export const unaryOnnx =
  (op: string): OnnxMapping =>
  (ctx) => [{ op, inputs: [ctx.inputs[0]], outputs: [ctx.output] }];
