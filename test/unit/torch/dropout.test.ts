// Dropout does what PyTorch's does (test/fixtures/torch/dropout.json): while training it zeroes
// a share p of the values — checked statistically with a fixed seed, within four standard
// deviations of the binomial count — and scales the kept ones by 1/(1−p) (torch's float32
// factor, exactly); in evaluation mode it is the identity; its gradient is the upstream gradient
// through the same scaled mask. The fused training plan draws the same mask as the tape.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { noGrad } from '../../../core/autograd/state';
import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import { LayerRegistry } from '../../../core/layers/registry';
import { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { makeProject, trainerFor } from '../../helpers/project';

interface DropoutCase {
  p: number;
  n: number;
  /** torch's factor for kept values, a float32. */
  scale: number;
  zeroShare: number;
  gradThroughMask: boolean;
  evalIdentity: boolean;
}

const cases = (
  JSON.parse(
    readFileSync(new URL('../../fixtures/torch/dropout.json', import.meta.url), 'utf8'),
  ) as { cases: DropoutCase[] }
).cases;

/** x [n] → Dropout(p): the layer as a project uses it. */
function dropoutNet(n: number, p: number): Model {
  const project = parseProject(
    makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [n] } },
        { id: 'drop', type: 'Dropout', params: { p }, inputs: ['x'] },
      ],
      { loss: { type: 'MSE' }, data: { x: [new Array(n).fill(0)], y: [new Array(n).fill(0)] } },
    ),
  );
  return new Model(compileProject(project, new LayerRegistry()), 0);
}

/** Values in ±[0.5, 2]: never 0, so a zero in the output is a dropped value. */
function input(n: number): Float32Array {
  const rng = new Rng(17);
  return Float32Array.from(
    { length: n },
    () => (rng.uniform() < 0.5 ? -1 : 1) * (0.5 + 1.5 * rng.uniform()),
  );
}

describe('Dropout against PyTorch’s semantics', () => {
  it('the fixture holds torch’s own answers', () => {
    expect(cases.map((c) => c.p)).toEqual([0.1, 0.25, 0.5, 0.8]);
    for (const c of cases) {
      expect(c.gradThroughMask && c.evalIdentity).toBe(true);
      // torch meets the same binomial bound the engine is held to below.
      const sd = Math.sqrt(c.n * c.p * (1 - c.p));
      expect(Math.abs(c.zeroShare * c.n - c.n * c.p)).toBeLessThanOrEqual(4 * sd);
    }
  });

  for (const c of cases) {
    describe(`p = ${c.p}`, () => {
      const n = c.n;
      const x = input(n);
      /** The fixture writes torch's float32 factor as its shortest decimal. */
      const scale = Math.fround(c.scale);

      it('zeroes a share p of the values (within 4σ of the binomial count) and scales the rest by torch’s 1/(1−p)', () => {
        const model = dropoutNet(n, c.p);
        const y = noGrad(() =>
          model.forward(new Tensor(x.slice(), [1, n]), { training: true, rng: new Rng(99) }),
        ).output.data;
        let zeros = 0,
          wrong = -1;
        for (let i = 0; i < n; i++) {
          if (y[i] === 0) zeros++;
          else if (wrong < 0 && y[i] !== Math.fround(x[i] * scale)) wrong = i;
        }
        expect(wrong < 0 ? 'every kept value x·scale' : `y[${wrong}] = ${y[wrong]}`).toBe(
          'every kept value x·scale',
        );
        const sd = Math.sqrt(n * c.p * (1 - c.p));
        expect(Math.abs(zeros - n * c.p)).toBeLessThanOrEqual(4 * sd);
        // Not every value the same way: a dropout that zeroes nothing, or everything, fails.
        expect(zeros).toBeGreaterThan(0);
        expect(zeros).toBeLessThan(n);
      });

      it('is the identity in evaluation mode', () => {
        const model = dropoutNet(n, c.p);
        const xt = new Tensor(x.slice(), [1, n]);
        const y = noGrad(() => model.forward(xt, { training: false, rng: new Rng(99) })).output;
        expect(y.data.every((v, i) => v === xt.data[i])).toBe(true);
      });

      it('passes the gradient through the same scaled mask', () => {
        const model = dropoutNet(n, c.p);
        const { output, outputs } = model.forward(new Tensor(x.slice(), [1, n]), {
          training: true,
          rng: new Rng(99),
          inputRequiresGrad: true,
        });
        const rng = new Rng(5);
        const g = Float32Array.from({ length: n }, () => rng.normal());
        backward(output, { grad: new Tensor(g, [1, n]) });
        const gx = outputs.get('x')!.grad!.data;
        let wrong = -1;
        for (let i = 0; i < n && wrong < 0; i++) {
          // A dropped value passes g · 0 back (−0 for a negative g); a kept one g · scale.
          const want = output.data[i] !== 0 ? Math.fround(g[i] * scale) : 0;
          if (gx[i] !== want) wrong = i;
        }
        expect(wrong < 0 ? 'g through the mask' : `gx[${wrong}] = ${gx[wrong]}`).toBe(
          'g through the mask',
        );
      });
    });
  }

  it('draws its masks from the run’s seed: the fused plan drops the same values as the tape', () => {
    const project = makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'fc1', type: 'Dense', params: { units: 64 }, inputs: ['x'] },
        { id: 'h', type: 'ReLU', inputs: ['fc1'] },
        { id: 'drop', type: 'Dropout', params: { p: 0.5 }, inputs: ['h'] },
        { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['drop'] },
        { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
      ],
      { training: { optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 16, epochs: 2, seed: 8 } },
    );
    const [fused, tape] = [trainerFor(project, true), trainerFor(project, false)];
    expect(fused.fused && !tape.fused).toBe(true);
    for (let i = 0; i < 6; i++) expect(fused.step().loss).toBe(tape.step().loss);
    expect(fused.model.exportWeights()).toEqual(tape.model.exportWeights());
  });
});
