/**
 * A trained network applied to new raw rows: the rows go through the input normalization the
 * network was trained with, then the network in evaluation mode, and each output row is read as
 * its loss says (class and probabilities for classifiers, values for regression).
 */
import { noGrad } from '../autograd/state';
import { type Normalization, normalizeFeatures } from '../data/normalize';
import { float32ToText } from '../io/float32-text';
import type { LossDefinition } from '../losses';
import type { Model } from '../model/model';
import { sigmoidScalar } from '../ops/sigmoid';
import { softmaxForward } from '../ops/softmax';
import { Tensor, sizeOf } from '../tensor/tensor';
import { Rng } from '../util/rng';

export interface PredictionNames {
  /** The data's target columns (`species`, `y`). */
  targetNames: string[];
  /** Class names when the targets are classes (`setosa`, …); indices otherwise. */
  classNames?: string[];
}

/** A table of predictions: one row per input row. */
export interface Predictions {
  header: string[];
  rows: string[][];
}

/** Rows per forward pass: bounded memory for big files. */
const CHUNK = 1024;

/**
 * Predict for n raw rows x ([n, features] row-major).
 *
 * @example predict(model, x, n, norm, LOSS_DEFINITIONS.CrossEntropy, { targetNames: ['species'], classNames })
 */
export function predict(
  model: Model,
  x: Float32Array,
  n: number,
  normalization: Normalization | null,
  loss: LossDefinition,
  names: PredictionNames,
): Predictions {
  const inShape = model.graph.input.outShape;
  const d = sizeOf(inShape);
  const input = normalization ? normalizeFeatures(normalization, x, d) : x;
  const k = sizeOf(model.graph.output.outShape);
  const out = new Float32Array(n * k);
  noGrad(() => {
    for (let s = 0; s < n; s += CHUNK) {
      const e = Math.min(s + CHUNK, n);
      const batch = new Tensor(input.slice(s * d, e * d), [e - s, ...inShape]);
      const { output } = model.forward(batch, { training: false, rng: new Rng(0) });
      out.set(output.data, s * k);
    }
  });
  return readOut(out, n, k, loss, names);
}

function readOut(
  out: Float32Array,
  n: number,
  k: number,
  loss: LossDefinition,
  names: PredictionNames,
): Predictions {
  const f = float32ToText;
  const className = (c: number) => names.classNames?.[c] ?? String(c);
  const target = (j: number) => names.targetNames[j] ?? `y${j + 1}`;
  const rows: string[][] = [];
  switch (loss.readout) {
    case 'softmax': {
      const p = new Float32Array(out.length);
      softmaxForward(out, p, k);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
        rows.push([className(best), ...Array.from(p.subarray(i * k, (i + 1) * k), f)]);
      }
      const header = ['class', ...Array.from({ length: k }, (_, j) => `p_${className(j)}`)];
      return { header, rows };
    }
    case 'probability':
    case 'logit': {
      const prob = (v: number) => (loss.readout === 'logit' ? Math.fround(sigmoidScalar(v)) : v);
      // One target column of two named classes (benign/malignant): the class by its name, and
      // the probability of the second.
      const two = k === 1 && names.classNames?.length === 2 ? names.classNames : null;
      const label = (on: boolean) => (two ? two[on ? 1 : 0] : on ? '1' : '0');
      for (let i = 0; i < n; i++) {
        const row: string[] = [];
        for (let j = 0; j < k; j++) {
          const p = prob(out[i * k + j]);
          row.push(label(p > 0.5), f(p));
        }
        rows.push(row);
      }
      const header = Array.from({ length: k }, (_, j) => [
        target(j),
        `p_${two ? two[1] : target(j)}`,
      ]).flat();
      return { header, rows };
    }
    case 'value':
      for (let i = 0; i < n; i++) rows.push(Array.from(out.subarray(i * k, (i + 1) * k), f));
      return { header: Array.from({ length: k }, (_, j) => target(j)), rows };
  }
}

/** The table as CSV text (cells with commas, quotes or line breaks quoted). */
export function predictionsCsv(p: Predictions): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [p.header, ...p.rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
