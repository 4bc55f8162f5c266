import { describe, it } from 'vitest';
import { gradcheckOp } from '../../../core/gradcheck';
import { ops, type OpName } from '../../../core/ops';
import type { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { Draw, expectPass } from './random';

interface Case {
  name: string;
  fn: (...xs: Tensor[]) => Tensor;
  inputs: Tensor[];
  /** Inputs checked (default all). */
  wrt?: number[];
}

const d = new Draw(20240611);
const n = d.dim(),
  m = d.dim(),
  k = d.dim();

/** The broadcasting pairs every binary op is checked on. */
function pairs(second: (shape: number[]) => Tensor): [string, Tensor, Tensor][] {
  return [
    ['same shape', d.signed([n, m]), second([n, m])],
    ['bias row [n, m] with [m]', d.signed([n, m]), second([m])],
    ['scalar second', d.signed([n, m]), second([])],
    ['scalar first', d.signed([]), second([n, m])],
    ['[n, 1] with [1, m]', d.signed([n, 1]), second([1, m])],
    ['[1, m] with [n, 1]', d.signed([1, m]), second([n, 1])],
    ['3-D [k, 1, m] with [n, 1]', d.signed([k, 1, m]), second([n, 1])],
  ];
}

function binary(op: (a: Tensor, b: Tensor) => Tensor, second = (s: number[]) => d.signed(s)) {
  return pairs(second).map(([name, a, b]) => ({ name, fn: op, inputs: [a, b] }));
}

function unary(op: (x: Tensor) => Tensor, make = (s: number[]) => d.signed(s)): Case[] {
  return [
    { name: '[n, m]', fn: op, inputs: [make([n, m])] },
    { name: '[k, n, m]', fn: op, inputs: [make([k, n, m])] },
  ];
}

function reductions(op: typeof ops.sum): Case[] {
  const x = d.signed([n, m, k]);
  const cases: Case[] = [
    { name: 'all', fn: (t) => op(t), inputs: [x] },
    { name: 'all keepDims', fn: (t) => op(t, undefined, true), inputs: [x] },
  ];
  for (const axis of [0, 1, 2, -1]) {
    for (const keep of [false, true]) {
      cases.push({
        name: `axis ${axis} keepDims ${keep}`,
        fn: (t) => op(t, axis, keep),
        inputs: [x],
      });
    }
  }
  return cases;
}

const dropRng = new Rng(99);
const p = d.between([n, m], 0.2, 0.8);
const logits = d.signed([n, k]);

// Record<OpName, …>: the type checker fails this file when an op is added without a check.
const CASES: Record<OpName, Case[]> = {
  add: binary(ops.add),
  sub: binary(ops.sub),
  mul: binary(ops.mul),
  div: binary(ops.div, (s) => d.divisor(s)),
  neg: unary(ops.neg),
  scale: unary((x) => ops.scale(x, -1.7)),
  addScalar: unary((x) => ops.addScalar(x, 0.3)),
  square: unary(ops.square),
  exp: unary(ops.exp),
  log: unary(ops.log, (s) => d.between(s, 0.2, 2)),
  sigmoid: unary(ops.sigmoid),
  tanh: unary(ops.tanh),
  relu: unary(ops.relu),
  leakyRelu: [...unary((x) => ops.leakyRelu(x)), ...unary((x) => ops.leakyRelu(x, 0.2))],
  softmax: unary(ops.softmax),
  logSoftmax: unary(ops.logSoftmax),
  matmul: [
    { name: 'A·B', fn: (a, b) => ops.matmul(a, b), inputs: [d.signed([n, k]), d.signed([k, m])] },
    {
      name: 'A·Bᵀ',
      fn: (a, b) => ops.matmul(a, b, { transB: true }),
      inputs: [d.signed([n, k]), d.signed([m, k])],
    },
    {
      name: 'Aᵀ·B',
      fn: (a, b) => ops.matmul(a, b, { transA: true }),
      inputs: [d.signed([k, n]), d.signed([k, m])],
    },
    {
      name: 'Aᵀ·Bᵀ',
      fn: (a, b) => ops.matmul(a, b, { transA: true, transB: true }),
      inputs: [d.signed([k, n]), d.signed([m, k])],
    },
    // Only one side wanting a gradient changes what matmul saves.
    {
      name: 'A·B wrt A only',
      fn: (a, b) => ops.matmul(a, b),
      inputs: [d.signed([n, k]), d.signed([k, m])],
      wrt: [0],
    },
    {
      name: 'A·Bᵀ wrt B only',
      fn: (a, b) => ops.matmul(a, b, { transB: true }),
      inputs: [d.signed([n, k]), d.signed([m, k])],
      wrt: [1],
    },
  ],
  transpose: [{ name: '[n, m]', fn: ops.transpose, inputs: [d.signed([n, m])] }],
  linear: [
    {
      name: 'with bias',
      fn: (x, w, b) => ops.linear(x, w, b),
      inputs: [d.signed([n, k]), d.signed([m, k]), d.signed([m])],
    },
    {
      name: 'without bias',
      fn: (x, w) => ops.linear(x, w, null),
      inputs: [d.signed([n, k]), d.signed([m, k])],
    },
    {
      name: '3-D input',
      fn: (x, w, b) => ops.linear(x, w, b),
      inputs: [d.signed([2, n, k]), d.signed([m, k]), d.signed([m])],
    },
    {
      name: 'frozen weights',
      fn: (x, w, b) => ops.linear(x, w, b),
      inputs: [d.signed([n, k]), d.signed([m, k]), d.signed([m])],
      wrt: [0],
    },
    {
      name: 'input without gradient',
      fn: (x, w, b) => ops.linear(x, w, b),
      inputs: [d.signed([n, k]), d.signed([m, k]), d.signed([m])],
      wrt: [1, 2],
    },
  ],
  sum: reductions(ops.sum),
  mean: reductions(ops.mean),
  concat: [
    {
      name: 'axis 0, two',
      fn: (a, b) => ops.concat([a, b], 0),
      inputs: [d.signed([n, m]), d.signed([k, m])],
    },
    {
      name: 'axis -1, two',
      fn: (a, b) => ops.concat([a, b], -1),
      inputs: [d.signed([n, m]), d.signed([n, k])],
    },
    {
      name: 'axis -1, three',
      fn: (a, b, c) => ops.concat([a, b, c]),
      inputs: [d.signed([n, m]), d.signed([n, 1]), d.signed([n, k])],
    },
    {
      name: 'axis 0, three 3-D',
      fn: (a, b, c) => ops.concat([a, b, c], 0),
      inputs: [d.signed([1, n, m]), d.signed([2, n, m]), d.signed([k, n, m])],
    },
    {
      name: 'axis 1 of 3-D',
      fn: (a, b) => ops.concat([a, b], 1),
      inputs: [d.signed([k, n, m]), d.signed([k, 1, m])],
    },
  ],
  reshape: [
    { name: '[n, m] → [m·n]', fn: (x) => ops.reshape(x, [n * m]), inputs: [d.signed([n, m])] },
    {
      name: '[n, m, k] → [-1, k]',
      fn: (x) => ops.reshape(x, [-1, k]),
      inputs: [d.signed([n, m, k])],
    },
  ],
  // A clone of one generator per evaluation: the same mask every time.
  dropout: [
    { name: 'p 0.4', fn: (x) => ops.dropout(x, 0.4, dropRng.clone()), inputs: [d.signed([n, m])] },
    {
      name: 'p 0 (identity)',
      fn: (x) => ops.dropout(x, 0, dropRng.clone()),
      inputs: [d.signed([n, m])],
    },
  ],
  bce: [
    { name: 'hard targets', fn: ops.bce, inputs: [p, d.bits([n, m])], wrt: [0] },
    { name: 'soft targets', fn: ops.bce, inputs: [p, d.between([n, m], 0, 1)], wrt: [0] },
  ],
  bceWithLogits: [
    {
      name: 'hard targets',
      fn: ops.bceWithLogits,
      inputs: [d.signed([n, m]), d.bits([n, m])],
      wrt: [0],
    },
  ],
  mse: [
    { name: 'wrt prediction', fn: ops.mse, inputs: [d.signed([n, m]), d.signed([n, m])], wrt: [0] },
    { name: 'wrt both', fn: ops.mse, inputs: [d.signed([n, m]), d.signed([n, m])] },
  ],
  crossEntropy: [
    {
      name: 'class indices [n]',
      fn: ops.crossEntropy,
      inputs: [logits, d.classes([n], k)],
      wrt: [0],
    },
    {
      name: 'class indices [n, 1]',
      fn: ops.crossEntropy,
      inputs: [logits, d.classes([n, 1], k)],
      wrt: [0],
    },
    { name: 'one-hot targets', fn: ops.crossEntropy, inputs: [logits, d.oneHot(n, k)], wrt: [0] },
  ],
};

describe('every op passes a finite-difference gradient check', () => {
  for (const [op, cases] of Object.entries(CASES)) {
    describe(op, () => {
      it.each(cases)('$name', (c) => {
        const r = gradcheckOp(c.fn, c.inputs, { wrt: c.wrt, name: op });
        expectPass(r, (c.wrt ?? c.inputs).length);
      });
    });
  }

  it('has a case for every op in the library', () => {
    const missing = Object.keys(ops).filter((o) => !CASES[o as OpName]?.length);
    if (missing.length) throw new Error(`no gradient check for: ${missing.join(', ')}`);
  });
});
