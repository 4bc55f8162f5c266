// GELU, PyTorch's nn.GELU: y = x·Φ(x) with Φ the standard normal CDF ('none', the default), or
// its tanh approximation y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) ('tanh'). The kernels below
// are what both its tape forward and backward and its fused kernel run, so the two paths give
// the same bits. It keeps its input for backward.
import { pyString } from '../../export/pytorch/python-text';
import type { Tensor } from '../../tensor/tensor';
import type { OnnxNodeInfo } from '../../import/onnx-read';
import {
  onlyReader,
  readsBoth,
  sameConstant,
  scalarOperand,
  soleVariableInput,
  type ImportContext,
  type ImportMatch,
} from '../../import/pattern';
import type { LayerDefinition, Params } from '../contract';
import { activationLab, sameShape } from './elementwise';
import { single } from './single';

type Values = Float32Array | Float64Array;

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const ONE_OVER_SQRT_2PI = 0.3989422804014327; // 1/√(2π), so φ(x) = e^(−x²/2)/√(2π)
const BETA = Math.SQRT2 * TWO_OVER_SQRT_PI * 0.5; // √(2/π), as PyTorch writes it
const KAPPA = 0.044715;
/** Below it erf comes from its series, above it erfc from its continued fraction. */
const SPLIT = 2;

/** erf(z) for 0 ≤ z < SPLIT: (2/√π)·e^(−z²)·Σ 2ⁿz^(2n+1)/(1·3···(2n+1)), every term positive. */
function erfSeries(z: number): number {
  const z2 = 2 * z * z;
  let term = z,
    sum = z;
  for (let n = 1; n < 100 && term > sum * 1e-17; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
}

/** erfc(z) for z ≥ SPLIT: e^(−z²)/√π / (z + ½/(z + 1/(z + (3/2)/(z + …)))), by Lentz's method. */
function erfcFraction(z: number): number {
  if (z > 27.5) return 0; // below the smallest double
  let f = z,
    c = z,
    d = 0;
  for (let n = 1; n < 200; n++) {
    d = 1 / (z + (n / 2) * d);
    c = z + n / 2 / c;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-z * z)) / f;
}

/** Φ(x) = ½(1 + erf(x/√2)), accurate to about 1e-13 relative even far in the lower tail. */
function normalCdf(x: number): number {
  const z = Math.abs(x) * Math.SQRT1_2;
  const tail = z < SPLIT ? 1 - erfSeries(z) : erfcFraction(z); // erfc(|x|/√2)
  return x < 0 ? 0.5 * tail : 1 - 0.5 * tail;
}

/** Y = gelu(X). */
export function geluForward(X: Values, Y: Values, tanh: boolean): void {
  for (let i = 0; i < Y.length; i++) {
    const x = X[i];
    Y[i] = tanh ? 0.5 * x * (1 + Math.tanh(BETA * (x + KAPPA * x * x * x))) : x * normalCdf(x);
  }
}

/** GX = G ⊙ gelu′(X), from the saved input X (PyTorch's formulas for both forms). */
export function geluBackward(G: Values, X: Values, GX: Values, tanh: boolean): void {
  for (let i = 0; i < GX.length; i++) {
    const x = X[i];
    let slope: number;
    if (tanh) {
      const t = Math.tanh(BETA * (x + KAPPA * x * x * x));
      const sech2 = 1 - t * t; // 0 once tanh saturates: no ∞·0 for huge x
      slope = 0.5 * (1 + t) + (sech2 === 0 ? 0 : 0.5 * x * sech2 * BETA * (1 + 3 * KAPPA * x * x));
    } else {
      const pdf = ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x);
      slope = normalCdf(x) + (pdf === 0 ? 0 : x * pdf);
    }
    GX[i] = G[i] * slope;
  }
}

const isTanh = (params: Readonly<Params>) => params.approximate === 'tanh';

export default {
  type: 'GELU',
  category: 'Activations',
  description: 'x·Φ(x), Φ the standard normal CDF (or its tanh approximation); keeps its input',
  params: {
    approximate: {
      type: 'enum',
      values: ['none', 'tanh'],
      default: 'none',
      description: "'none': exact, with erf; 'tanh': PyTorch's tanh approximation",
    },
  },
  build: sameShape,
  forward(ctx, x) {
    const X = single(x);
    const y = ctx.zeros(X.shape);
    geluForward(X.data, y.data, isTanh(ctx.params));
    if (ctx.needsInputGrad) ctx.save(X);
    return y;
  },
  backward(ctx, gy) {
    const [x] = ctx.saved as Tensor[];
    const gx = ctx.zeros(x.shape);
    geluBackward(gy.data, x.data, gx.data, isTanh(ctx.params));
    return { x: gx };
  },
  fused: {
    forward: (s) => geluForward(s.x, s.y, isTanh(s.params)),
    evaluate: (s) => geluForward(s.x, s.y, isTanh(s.params)),
    backward: (s) => {
      if (s.gx) geluBackward(s.gy, s.x, s.gx, isTanh(s.params));
    },
  },
  // Opset 17 has no Gelu: x·½(1 + erf(x/√2)), or ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
  onnx(ctx) {
    const x = ctx.inputs[0];
    const constant = (hint: string, v: number) => ctx.constant(hint, [v], [1]);
    const half = constant('half', 0.5);
    const one = constant('one', 1);
    const v = (hint: string) => ctx.value(hint);
    const [gate, gate1, scaled] = [v('gate'), v('gate_plus_1'), v('x_gate')];
    const inner = isTanh(ctx.params)
      ? (() => {
          const [x2, x3, kx3, sum, u] = [v('x2'), v('x3'), v('kappa_x3'), v('sum'), v('u')];
          return [
            { op: 'Mul', inputs: [x, x], outputs: [x2], name: 'x2' },
            { op: 'Mul', inputs: [x2, x], outputs: [x3], name: 'x3' },
            { op: 'Mul', inputs: [x3, constant('kappa', KAPPA)], outputs: [kx3], name: 'kappa_x3' },
            { op: 'Add', inputs: [x, kx3], outputs: [sum], name: 'sum' },
            { op: 'Mul', inputs: [sum, constant('beta', BETA)], outputs: [u], name: 'u' },
            { op: 'Tanh', inputs: [u], outputs: [gate], name: 'tanh' },
          ];
        })()
      : (() => {
          const xs = v('x_over_sqrt2');
          return [
            {
              op: 'Mul',
              inputs: [x, constant('inv_sqrt2', Math.SQRT1_2)],
              outputs: [xs],
              name: 'x_over_sqrt2',
            },
            { op: 'Erf', inputs: [xs], outputs: [gate], name: 'erf' },
          ];
        })();
    return [
      ...inner,
      { op: 'Add', inputs: [gate, one], outputs: [gate1], name: 'gate_plus_1' },
      { op: 'Mul', inputs: [x, gate1], outputs: [scaled], name: 'x_gate' },
      { op: 'Mul', inputs: [scaled, half], outputs: [ctx.output] },
    ];
  },
  // Read back from the nodes onnx above writes, or torch.onnx.export does (Div by √2, and the
  // constants on either side of Mul and Add).
  onnxImport: {
    ops: ['Div', 'Mul'],
    summary: 'GELU (Erf or Tanh with its Div, Mul and Add)',
    match: (node, ctx) => geluErfImport(node, ctx) ?? geluTanhImport(node, ctx),
  },
  pytorch: (ctx) => ({
    module: `nn.GELU(approximate=${pyString(ctx.params.approximate as string)})`,
  }),
  lab: activationLab('gelu', (p, _h, c) =>
    isTanh(c.params)
      ? `gelu′(${p}) = ½(1 + tanh u) + ½${p}(1 − tanh²u)·u′,  u = √(2/π)(${p} + 0.044715(${p})³)`
      : `gelu′(${p}) = Φ(${p}) + ${p}·φ(${p}),  Φ and φ the normal CDF and density`,
  ),
} satisfies LayerDefinition;

/** x·½(1 + erf(x/√2)): from its Div by √2 (or Mul by 1/√2) to its Mul by ½. */
function geluErfImport(node: OnnxNodeInfo, ctx: ImportContext): ImportMatch | null {
  const x = soleVariableInput(node, ctx);
  if (x === undefined || (node.opType === 'Div' && node.inputs[0] !== x)) return null;
  const c = scalarOperand(node, x, ctx);
  const scaled =
    node.opType === 'Div' ? sameConstant(c, Math.SQRT2) : sameConstant(c, Math.SQRT1_2);
  if (!scaled) return null;
  const erf = onlyReader(node.outputs[0], 'Erf', ctx);
  return erf ? geluTail([node, erf], x, ctx, 'none') : null;
}

/** ½x(1 + tanh(√(2/π)(x + 0.044715x³))): from its x·x to its Mul by ½. */
function geluTanhImport(node: OnnxNodeInfo, ctx: ImportContext): ImportMatch | null {
  const x = node.inputs[0];
  if (node.opType !== 'Mul' || node.inputs[1] !== x || ctx.constant(x) !== undefined) return null;
  const cube = onlyReader(node.outputs[0], 'Mul', ctx);
  if (!cube || !readsBoth(cube, node.outputs[0], x)) return null;
  const kappa = onlyReader(cube.outputs[0], 'Mul', ctx);
  if (!kappa || !sameConstant(scalarOperand(kappa, cube.outputs[0], ctx), KAPPA)) return null;
  const sum = onlyReader(kappa.outputs[0], 'Add', ctx);
  if (!sum || !readsBoth(sum, kappa.outputs[0], x)) return null;
  const beta = onlyReader(sum.outputs[0], 'Mul', ctx);
  if (!beta || !sameConstant(scalarOperand(beta, sum.outputs[0], ctx), BETA)) return null;
  const tanh = onlyReader(beta.outputs[0], 'Tanh', ctx);
  return tanh ? geluTail([node, cube, kappa, sum, beta, tanh], x, ctx, 'tanh') : null;
}

/** Both forms end the same way from their gate g (erf or tanh): Add 1, Mul by x, Mul by ½. */
function geluTail(
  nodes: OnnxNodeInfo[],
  x: string,
  ctx: ImportContext,
  approximate: 'none' | 'tanh',
): ImportMatch | null {
  const gate = nodes[nodes.length - 1].outputs[0];
  const plus1 = onlyReader(gate, 'Add', ctx);
  if (!plus1 || !sameConstant(scalarOperand(plus1, gate, ctx), 1)) return null;
  const times = onlyReader(plus1.outputs[0], 'Mul', ctx);
  if (!times || !readsBoth(times, plus1.outputs[0], x)) return null;
  const half = onlyReader(times.outputs[0], 'Mul', ctx);
  if (!half || !sameConstant(scalarOperand(half, times.outputs[0], ctx), 0.5)) return null;
  return {
    nodes: [...nodes, plus1, times, half],
    inputs: [x],
    output: half.outputs[0],
    params: { approximate },
  };
}
