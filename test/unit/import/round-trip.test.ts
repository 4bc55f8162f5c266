// The engine's own ONNX exports come back as the same network: export, import, export again
// gives the same outputs in ONNX Runtime, the same weights bit for bit, and (but for Dropout,
// which an inference export writes as Identity) the same nodes, ids and settings.
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../core/export/onnx/export-onnx';
import { importOnnx } from '../../../core/import/import-onnx';
import { allNets, coreOutput, inputsFor, maxAbsDiff } from '../export/networks';
import { runOnnx } from '../export/ort-node';
import { modelOf, run } from './helpers';

describe('round trip: export ONNX, import, export again', () => {
  for (const net of allNets()) {
    it(`${net.name}: the same outputs, weights and network`, async () => {
      const first = exportOnnx({ graph: net.graph, weights: net.weights });
      const imported = importOnnx(first, `${net.name}.onnx`);
      const model = modelOf(imported);
      const second = exportOnnx({ graph: model.graph, weights: model.exportWeights() });

      const input = inputsFor(net);
      const feed = { name: net.graph.input.id, ...input };
      const a = await runOnnx(first, feed);
      const b = await runOnnx(second, feed);
      expect([...b.dims]).toEqual([...a.dims]);
      expect(maxAbsDiff(b.data, a.data)).toBe(0);
      expect(maxAbsDiff(run(model, input), coreOutput(net, input))).toBe(0);

      // Dropout is the identity in an inference export: it does not come back. The nodes come
      // in the compiled (topological) order the export writes them in.
      const nodes = net.graph.nodes;
      const through = (id: string): string => {
        const n = net.graph.byId.get(id)!;
        return n.type === 'Dropout' ? through(n.inputs[0]) : id;
      };
      expect(
        imported.project.nodes.map((n) => [n.id, n.type, n.params ?? {}, n.inputs ?? []]),
      ).toEqual(
        nodes
          .filter((n) => n.type !== 'Dropout')
          .map((n) => [n.id, n.type, n.params, n.inputs.map(through)]),
      );
      for (const [name, w] of Object.entries(net.weights)) {
        expect(imported.weights[name]?.shape, name).toEqual(w.shape);
        expect(Array.from(imported.weights[name].data), name).toEqual(Array.from(w.data));
      }
      // The settings travel in the file's metadata.
      expect(imported.project.name).toBe(net.graph.project.name);
      expect(imported.project.loss).toEqual(net.graph.project.loss);
      expect(imported.project.training).toEqual(net.graph.project.training);
      expect(imported.notes).toEqual([]);
    });
  }

  const standardize = (n: number) => ({
    kind: 'standardize' as const,
    offset: Array.from({ length: n }, (_, i) => Math.fround(0.5 * i - 1.25)),
    scale: Array.from({ length: n }, (_, i) => Math.fround(0.75 + 0.5 * i)),
  });
  for (const net of allNets().filter((n) => ['iris', 'dag', 'rank3'].includes(n.name))) {
    it(`${net.name} with data.normalize: the Sub and Div come back as the weights' normalization`, async () => {
      const features = net.graph.input.outShape.reduce((a, b) => a * b, 1);
      const normalization = standardize(features);
      const project = {
        ...net.graph.project,
        data: { ...net.graph.project.data, normalize: 'standardize' as const },
      };
      const first = exportOnnx({ graph: net.graph, weights: net.weights, project, normalization });
      const imported = importOnnx(first, `${net.name}.onnx`);
      expect(imported.normalization).toEqual(normalization);
      expect(imported.project.data.normalize).toBe('standardize');
      expect(imported.notes).toEqual([]);
      // The layers read the Input again, not a folded copy of the statistics.
      for (const [name, w] of Object.entries(net.weights)) {
        expect(Array.from(imported.weights[name].data), name).toEqual(Array.from(w.data));
      }
      const model = modelOf(imported);
      const second = exportOnnx({
        graph: model.graph,
        weights: model.exportWeights(),
        normalization: imported.normalization,
      });
      const feed = { name: net.graph.input.id, ...inputsFor(net) };
      const a = await runOnnx(first, feed);
      const b = await runOnnx(second, feed);
      expect(maxAbsDiff(b.data, a.data)).toBe(0);
    });
  }

  it('a normalization in a model that does not carry a normalizing project is folded into the first Dense', async () => {
    const net = allNets().find((n) => n.name === 'iris')!;
    const normalization = standardize(4);
    // The metadata says the project does not normalize: the statistics cannot be the data's.
    const first = exportOnnx({ graph: net.graph, weights: net.weights, normalization });
    const imported = importOnnx(first, 'iris.onnx');
    expect(imported.normalization).toBeNull();
    expect(imported.notes.join()).toContain('is folded into its weights');
    const feed = { name: 'x', ...inputsFor(net) };
    const a = await runOnnx(first, feed);
    expect(maxAbsDiff(run(modelOf(imported), inputsFor(net)), a.data)).toBeLessThan(1e-5);
  });
});
