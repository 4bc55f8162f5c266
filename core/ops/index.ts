// The core op library: every differentiable operation, each with its forward, its backward and
// what it saves side by side in its own file. Plugins receive this object as `ctx.ops`.
import { bce, bceWithLogits, crossEntropy, mse } from '../losses';
import { add } from './add';
import { concat } from './concat';
import { div } from './div';
import { dropout } from './dropout';
import { exp } from './exp';
import { leakyRelu } from './leaky-relu';
import { linear } from './linear';
import { log } from './log';
import { logSoftmax } from './log-softmax';
import { matmul, transpose } from './matmul';
import { mul } from './mul';
import { mean, sum } from './reduce';
import { relu } from './relu';
import { reshape } from './reshape';
import { addScalar, neg, scale } from './scalar';
import { sigmoid } from './sigmoid';
import { softmax } from './softmax';
import { square } from './square';
import { sub } from './sub';
import { tanh } from './tanh';

export const ops = {
  add,
  sub,
  mul,
  div,
  neg,
  scale,
  addScalar,
  square,
  exp,
  log,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  softmax,
  logSoftmax,
  matmul,
  transpose,
  linear,
  sum,
  mean,
  concat,
  reshape,
  dropout,
  bce,
  bceWithLogits,
  mse,
  crossEntropy,
};

export type Ops = typeof ops;
export type OpName = keyof Ops;
