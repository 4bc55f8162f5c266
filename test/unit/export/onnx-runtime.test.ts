// ONNX files run by ONNX Runtime (onnxruntime-web, in Node, offline) give the engine's outputs.
import { describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import {
  allNets,
  coreOutput,
  inputsFor,
  maxAbsDiff,
  WACKY_MAPPED,
  preluNet,
  wackyNet,
} from './networks';
import { runOnnx } from './ort-node';

const prelu = await preluNet();

describe('ONNX export run by ONNX Runtime', () => {
  for (const net of [...allNets(), wackyNet(WACKY_MAPPED), prelu]) {
    it(`${net.name}: same outputs as the engine (eval mode) within 1e-5`, async () => {
      const bytes = exportModel('onnx', { graph: net.graph, weights: net.weights });
      const input = inputsFor(net);
      const expected = coreOutput(net, input);
      const got = await runOnnx(bytes, { name: net.graph.input.id, ...input });
      expect(got.outputName).toBe(net.graph.output.id);
      expect(got.session.inputNames).toEqual([net.graph.input.id]);
      expect([...got.dims]).toEqual([input.dims[0], ...net.graph.output.outShape]);
      expect(maxAbsDiff(got.data, expected)).toBeLessThan(1e-5);
    });
  }

  it('accepts any batch size (the batch dimension is symbolic)', async () => {
    const net = allNets()[0];
    const bytes = exportModel('onnx', { graph: net.graph, weights: net.weights });
    for (const batch of [1, 17]) {
      const input = inputsFor(net, batch);
      const got = await runOnnx(bytes, { name: 'x', ...input });
      expect(got.dims[0]).toBe(batch);
      expect(maxAbsDiff(got.data, coreOutput(net, input))).toBeLessThan(1e-5);
    }
  });
});
