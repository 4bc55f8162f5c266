/**
 * Dense from ONNX: Gemm (A·B with transB or not, alpha, beta, an optional bias C), or MatMul of
 * a constant weight (or a Transpose of one) followed by an Add of a constant bias (how PyTorch
 * writes a Linear on inputs of any rank, and how Backprop Lab writes a Dense on rank > 2).
 * The weight comes out in the layer's [units, in] layout.
 */
import type { OnnxNodeInfo, OnnxTensorValue } from '../onnx-read';
import type { ImportContext, LayerMatch, OnnxImportPattern } from '../pattern';

export const denseImport: OnnxImportPattern = {
  ops: ['Gemm', 'MatMul'],
  match(node, ctx) {
    return node.opType === 'Gemm' ? gemm(node, ctx) : matmul(node, ctx);
  },
  foldInput(match, shift, scale) {
    const w = match.weights!.weight;
    const [units, fan] = w.shape;
    const weight = new Float32Array(units * fan);
    const bias = new Float32Array(units);
    const old = match.weights!.bias?.data;
    for (let o = 0; o < units; o++) {
      let b = old ? old[o] : 0;
      for (let i = 0; i < fan; i++) {
        const v = w.data[o * fan + i] / scale[i];
        weight[o * fan + i] = v;
        b -= v * shift[i];
      }
      bias[o] = b;
    }
    const needsBias = old !== undefined || shift.some((m) => m !== 0);
    return {
      ...match,
      params: { ...match.params, bias: needsBias },
      weights: {
        weight: { shape: [units, fan], data: weight },
        ...(needsBias ? { bias: { shape: [units], data: bias } } : {}),
      },
    };
  },
};

function gemm(node: OnnxNodeInfo, ctx: ImportContext): LayerMatch {
  const [a, b, c] = node.inputs;
  if (ctx.attr(node, 'transA', 0) !== 0) ctx.refuse(node, 'transA = 1 is not a Dense layer');
  if (ctx.constant(a) !== undefined) ctx.refuse(node, 'its first input is a constant');
  const B = ctx.constant(b);
  if (!B || B.dims.length !== 2) ctx.refuse(node, 'its weight B is not a constant matrix');
  const alpha = ctx.attr(node, 'alpha', 1);
  const beta = ctx.attr(node, 'beta', 1);
  const weight = ctx.attr(node, 'transB', 0) !== 0 ? copy(B, alpha) : transpose(B, alpha);
  const units = weight.shape[0];
  const match: LayerMatch = {
    type: 'Dense',
    nodes: [node],
    inputs: [a],
    output: node.outputs[0],
    params: { units, bias: false },
    weights: { weight },
  };
  if (c === undefined || c === '') return match;
  const C = ctx.constant(c);
  if (!C) ctx.refuse(node, 'its bias C is not a constant');
  return withBias(match, biasOf(C, units, beta) ?? ctx.refuse(node, biasShape(C, units)));
}

function matmul(node: OnnxNodeInfo, ctx: ImportContext): LayerMatch | null {
  const [a, b] = node.inputs;
  const B = ctx.constant(b);
  // A product of two computed values is no layer the engine has.
  if (!B || ctx.constant(a) !== undefined) return null;
  if (B.dims.length !== 2) ctx.refuse(node, 'its weight is not a matrix');
  const weight = transpose(B, 1);
  const units = weight.shape[0];
  const out = node.outputs[0];
  const match: LayerMatch = {
    type: 'Dense',
    nodes: [node],
    inputs: [a],
    output: out,
    params: { units, bias: false },
    weights: { weight },
  };
  // x·W + b: the Add of a constant that is the product's only reader.
  const readers = ctx.consumers(out);
  if (readers.length !== 1 || readers[0].opType !== 'Add' || ctx.isGraphOutput(out)) return match;
  const add = readers[0];
  const other = add.inputs[0] === out ? add.inputs[1] : add.inputs[0];
  const C = ctx.constant(other);
  const bias = C && biasOf(C, units, 1);
  if (!bias) return match;
  return { ...withBias(match, bias), nodes: [node, add], output: add.outputs[0] };
}

function withBias(match: LayerMatch, bias: Float32Array): LayerMatch {
  return {
    ...match,
    params: { ...match.params, bias: true },
    weights: { ...match.weights, bias: { shape: [bias.length], data: bias } },
  };
}

/** A bias of `units` values from [units], [1, units], or one value broadcast; else undefined. */
function biasOf(C: OnnxTensorValue, units: number, beta: number): Float32Array | undefined {
  const size = C.data.length;
  const leading = C.dims.slice(0, -1).every((d) => d === 1);
  if (size === units && leading) return C.data.map((v) => v * beta);
  if (size === 1) return new Float32Array(units).fill(C.data[0] * beta);
  return undefined;
}

function biasShape(C: OnnxTensorValue, units: number): string {
  return `its bias has shape [${C.dims.join(', ')}], not [${units}]`;
}

function copy(B: OnnxTensorValue, alpha: number) {
  return { shape: B.dims.slice(), data: B.data.map((v) => v * alpha) };
}

/** [k, n] → [n, k], times alpha. */
function transpose(B: OnnxTensorValue, alpha: number) {
  const [k, n] = B.dims;
  const data = new Float32Array(k * n);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < n; j++) data[j * k + i] = B.data[i * n + j] * alpha;
  return { shape: [n, k], data };
}
