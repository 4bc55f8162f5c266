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
});
