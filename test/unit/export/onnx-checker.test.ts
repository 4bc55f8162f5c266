// The ONNX project's own checker on our files, where Python has the `onnx` package (Debian:
// python3-onnx). ONNX Runtime already parses and validates every file in onnx-runtime.test.ts;
// this adds the reference checker with full shape inference.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import { allNets, WACKY_MAPPED, preluNet, wackyNet } from './networks';
import { PYTHON, scratch } from './python-torch';

const prelu = await preluNet();

function whyNoOnnx(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} has no 'onnx' package (install python3-onnx)`;
  return undefined;
}

const skipReason = whyNoOnnx();
if (skipReason) console.warn(`onnx.checker cross-check skipped: ${skipReason}`);
const tmp = scratch();
afterAll(() => tmp.cleanup());

const CHECK = `
import sys, onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print(model.graph.input[0].name, model.graph.output[0].name, model.opset_import[0].version)
`;

describe.skipIf(skipReason !== undefined)('onnx.checker', () => {
  for (const net of [...allNets(), wackyNet(WACKY_MAPPED), prelu]) {
    it(`accepts ${net.name}`, () => {
      const file = tmp.file(
        `${net.name}.onnx`,
        exportModel('onnx', { graph: net.graph, weights: net.weights }),
      );
      const r = spawnSync(PYTHON, ['-c', CHECK, file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(`${net.graph.input.id} ${net.graph.output.id} 17`);
    });
  }
});
