/** The importer's test helpers: the committed ONNX fixtures, and an imported model run by the engine. */
import { readFileSync } from 'node:fs';
import { noGrad } from '../../../core/autograd/state';
import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import type { ImportedModel } from '../../../core/import/import-onnx';
import { LayerRegistry } from '../../../core/layers/registry';
import { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';

export const FIXTURES = new URL('../../fixtures/onnx-import/', import.meta.url);

export interface FixtureCase {
  file: string;
  writer: string;
  input: { dims: number[]; data: number[] };
  output: { dims: number[]; data: number[] };
}

export function fixtureCases(): FixtureCase[] {
  return (
    JSON.parse(readFileSync(new URL('models.json', FIXTURES), 'utf8')) as { cases: FixtureCase[] }
  ).cases;
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

/** The imported network with its weights, as the engine runs it. */
export function modelOf(imported: ImportedModel): Model {
  const graph = compileProject(parseProject(imported.project), new LayerRegistry());
  const model = new Model(graph, 0);
  model.importWeights(imported.weights);
  return model;
}

/** The engine's output in evaluation mode. */
export function run(
  model: Model,
  input: { dims: number[]; data: ArrayLike<number> },
): Float32Array {
  const x = new Tensor(Float32Array.from(input.data), input.dims.slice());
  const { output } = noGrad(() => model.forward(x, { training: false, rng: new Rng(0) }));
  return Float32Array.from(output.data as Float32Array);
}
