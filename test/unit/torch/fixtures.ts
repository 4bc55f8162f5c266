// Reading the PyTorch fixtures written by test/fixtures/torch/make_fixtures.py.
import { readFileSync } from 'node:fs';
import type { LossType } from '../../../core/losses';
import type { WeightMap } from '../../../core/model/model';
import { type DType, Tensor } from '../../../core/tensor/tensor';

/** A tensor as stored in a fixture: row-major values. */
export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export interface OpArgs {
  transA?: boolean;
  transB?: boolean;
  bias?: boolean;
  slope?: number;
  c?: number;
  axis?: number;
  keepDims?: boolean;
  shape?: number[];
}

/** One op: float32 inputs and upstream gradient; torch's float64 output and input gradients. */
export interface OpCase {
  name: string;
  op: string;
  args: OpArgs;
  inputs: FixtureTensor[];
  /** Which inputs require a gradient. */
  needs: boolean[];
  out: FixtureTensor;
  grad: FixtureTensor;
  inputGrads: (FixtureTensor | null)[];
}

/** A built-in layer that is not one op: float32 input and upstream gradient, torch's float64 result. */
export interface LayerCase {
  name: string;
  layer: string;
  params: Record<string, string | number | boolean>;
  input: FixtureTensor;
  grad: FixtureTensor;
  out: FixtureTensor;
  inputGrad: FixtureTensor;
}

/** One loss: its value and its gradient w.r.t. the prediction for the upstream gradient `grad`. */
export interface LossCase {
  name: string;
  loss: LossType;
  pred: FixtureTensor;
  target: FixtureTensor;
  grad: number;
  value: number;
  predGrad: FixtureTensor;
}

/** Five optimizer steps on one network, all float32. */
export interface TrainingCase {
  name: string;
  /** A project file in our format, with inline data and the whole batch per step. */
  project: unknown;
  /** Weights before the first step, by our names (`fc1.weight` [out, in], `fc1.bias` [out]). */
  initial: Record<string, FixtureTensor>;
  x: FixtureTensor;
  /** Shaped as the loss wants it: [n, k], or class indices [n] for CrossEntropy. */
  y: FixtureTensor;
  /** The network output for x at the initial weights. */
  output0: FixtureTensor;
  /** The gradient of every weight that gets one, at the initial weights. */
  grads0: Record<string, FixtureTensor>;
  /** Loss before each step, and every weight after it. */
  steps: { loss: number; weights: Record<string, FixtureTensor> }[];
}

export function loadFixture<T>(file: string): T[] {
  const url = new URL(`../../fixtures/torch/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: T[] }).cases;
}

/**
 * A fixture input as a tensor. Inputs are float32 values written in their shortest form, so in
 * float64 they go through Math.fround first: torch's float64 reference used the float32 values.
 */
export function toTensor(t: FixtureTensor, dtype: DType = 'float32', requiresGrad = false): Tensor {
  const data =
    dtype === 'float64' ? Float64Array.from(t.data, Math.fround) : Float32Array.from(t.data);
  return new Tensor(data, t.shape.slice(), requiresGrad);
}

export function toWeightMap(w: Record<string, FixtureTensor>): WeightMap {
  const out: WeightMap = {};
  for (const [k, t] of Object.entries(w))
    out[k] = { shape: t.shape.slice(), data: Float32Array.from(t.data) };
  return out;
}
