/**
 * onnxruntime-web in Node, offline: the WebAssembly files come from node_modules, on one thread
 * (no worker to spawn), with only errors logged.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-web';

const require = createRequire(import.meta.url);
// The package's Node entry point lives in dist/, next to the .wasm files.
const ORT_DIST = dirname(require.resolve('onnxruntime-web')) + '/';

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = ORT_DIST;
ort.env.logLevel = 'error';

/** Runs an ONNX model on one float32 input; returns the first output's values and dims. */
export async function runOnnx(
  model: Uint8Array,
  input: { name: string; data: Float32Array; dims: number[] },
): Promise<{
  outputName: string;
  data: Float32Array;
  dims: readonly number[];
  session: ort.InferenceSession;
}> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  const feeds = { [input.name]: new ort.Tensor('float32', input.data, input.dims) };
  const results = await session.run(feeds);
  const outputName = session.outputNames[0];
  const out = results[outputName];
  return { outputName, data: out.data as Float32Array, dims: out.dims, session };
}
