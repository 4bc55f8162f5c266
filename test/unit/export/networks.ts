/** Networks for the export tests, their weights, and the engine's own outputs to compare with. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluatePluginModule } from '../../../cli/plugins';
import { noGrad } from '../../../core/autograd/state';
import { compileProject, type CompiledGraph } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import type { LayerDefinition } from '../../../core/layers/contract';
import { LayerRegistry } from '../../../core/layers/registry';
import { Model, type WeightMap } from '../../../core/model/model';
import { PluginCatalog } from '../../../core/plugins/catalog';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import type { OnnxMapping } from '../../../core/export/onnx/plugin-mapping';
import type { PytorchCode } from '../../../core/export/pytorch/plugin-code';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

const INLINE_DATA = { x: [[0]], y: [[0]] };

type NodeSpec = {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  inputs?: string[];
};

export function projectOf(name: string, nodes: NodeSpec[], output: string, plugins: string[] = []) {
  return parseProject({
    format: 'backprop-lab.project',
    version: 1,
    name,
    nodes,
    output,
    loss: { type: 'MSE' },
    data: INLINE_DATA,
    training: { seed: 7 },
    plugins,
  });
}

export function exampleProject(file: string) {
  return parseProject(JSON.parse(readFileSync(`${EXAMPLES}${file}`, 'utf8')));
}

/** The plugin guide's Wacky layer (plugins/README.md), y = x ⊙ σ(a ⊙ x), written with ctx.ops (autograd gives backward). */
function wackyForward(ctx: any, x: any, { a }: any) {
  return ctx.ops.mul(x, ctx.ops.sigmoid(ctx.ops.mul(x, a)));
}

const wackyBase = {
  description: 'y = x * sigmoid(a * x), a learned per feature',
  params: {},
  build({ inShapes }: { inShapes: number[][] }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' as const } } };
  },
  forward: wackyForward,
};

/** The ONNX mapping of Wacky, as a plugin author would write it: Mul, Sigmoid, Mul. */
export const wackyOnnx: OnnxMapping = (ctx) => {
  const ax = ctx.value('ax');
  const s = ctx.value('sigmoid');
  return [
    { op: 'Mul', inputs: [ctx.inputs[0], ctx.weights.a], outputs: [ax] },
    { op: 'Sigmoid', inputs: [ax], outputs: [s] },
    { op: 'Mul', inputs: [ctx.inputs[0], s], outputs: [ctx.output] },
  ];
};

/** The PyTorch code of Wacky, as a plugin author would write it (indented as in a JS file). */
export const wackyPytorch: PytorchCode = {
  className: 'WackyLayer',
  code: `
    class WackyLayer(nn.Module):
        """y = x * sigmoid(a * x)"""

        def __init__(self, params, in_shapes, out_shape, weight_shapes):
            super().__init__()
            self.a = nn.Parameter(torch.ones(weight_shapes["a"]))

        def forward(self, x):
            return x * torch.sigmoid(self.a * x)
  `,
};

export const WACKY_UNMAPPED = { type: 'Wacky', ...wackyBase } as LayerDefinition;
export const WACKY_MAPPED = {
  type: 'Wacky',
  ...wackyBase,
  onnx: wackyOnnx,
  pytorch: wackyPytorch,
} as LayerDefinition;

/** A network and its weights: Dense as initialised from the seed, plugin weights drawn at random (not all ones). */
export interface Net {
  name: string;
  graph: CompiledGraph;
  model: Model;
  weights: WeightMap;
}

export function makeNet(
  name: string,
  project: ReturnType<typeof parseProject>,
  plugins: [LayerDefinition, string][] = [],
  seed = 11,
): Net {
  const registry = new LayerRegistry();
  for (const [def, file] of plugins) registry.add(def, file);
  const graph = compileProject(project, registry);
  const model = new Model(graph, project.training.seed);
  const rng = new Rng(seed);
  for (const n of graph.nodes) {
    if (n.source === 'builtin') continue;
    for (const t of Object.values(model.weightsOf(n.id))) {
      for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal();
    }
  }
  return { name, graph, model, weights: model.exportWeights() };
}

/** A batch of seeded inputs for a network: [batch, ...input shape]. */
export function inputsFor(net: Net, batch = 5, seed = 3): { data: Float32Array; dims: number[] } {
  const dims = [batch, ...net.graph.input.outShape];
  const rng = new Rng(seed);
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => rng.normal() * 1.5);
  return { data, dims };
}

/** The engine's output in eval mode (Dropout is the identity). */
export function coreOutput(net: Net, input: { data: Float32Array; dims: number[] }): Float32Array {
  const x = new Tensor(Float32Array.from(input.data), input.dims.slice());
  const { output } = noGrad(() => net.model.forward(x, { training: false, rng: new Rng(0) }));
  return Float32Array.from(output.data as Float32Array);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Every network the exporters must reproduce. */
export function allNets(): Net[] {
  return [
    makeNet('xor', exampleProject('xor.json')),
    makeNet('iris', exampleProject('iris.json')),
    makeNet('digits', exampleProject('digits.json')),
    makeNet(
      'dag',
      projectOf(
        'DAG with Add and Concat',
        [
          { id: 'x', type: 'Input', params: { shape: [3] } },
          { id: 'fc-a', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
          { id: 'ta', type: 'Tanh', inputs: ['fc-a'] },
          { id: 'fc-b', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
          { id: 'rb', type: 'ReLU', inputs: ['fc-b'] },
          { id: 'fc-c', type: 'Dense', params: { units: 4, bias: false }, inputs: ['x'] },
          { id: 'sc', type: 'Sigmoid', inputs: ['fc-c'] },
          { id: 'sum', type: 'Add', inputs: ['ta', 'rb', 'sc'] },
          { id: 'cat', type: 'Concat', inputs: ['sum', 'x', 'ta'] },
          { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['cat'] },
        ],
        'out',
      ),
    ),
    makeNet(
      'activations',
      projectOf(
        'LeakyReLU, Dropout and Softmax',
        [
          { id: 'x', type: 'Input', params: { shape: [5] } },
          { id: 'fc1', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
          { id: 'lr', type: 'LeakyReLU', params: { slope: 0.2 }, inputs: ['fc1'] },
          { id: 'drop', type: 'Dropout', params: { p: 0.3 }, inputs: ['lr'] },
          { id: 'fc2', type: 'Dense', params: { units: 4 }, inputs: ['drop'] },
          { id: 'probs', type: 'Softmax', inputs: ['fc2'] },
        ],
        'probs',
      ),
    ),
    makeNet(
      'gelu',
      projectOf(
        'GELU, exact and tanh (composed from Erf and Tanh in ONNX)',
        [
          { id: 'x', type: 'Input', params: { shape: [5] } },
          { id: 'fc1', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
          { id: 'g1', type: 'GELU', inputs: ['fc1'] },
          { id: 'fc2', type: 'Dense', params: { units: 4 }, inputs: ['g1'] },
          { id: 'g2', type: 'GELU', params: { approximate: 'tanh' }, inputs: ['fc2'] },
        ],
        'g2',
      ),
    ),
    makeNet(
      'rank3',
      projectOf(
        'Dense over the last axis of [3, 4] inputs',
        [
          { id: 'x', type: 'Input', params: { shape: [3, 4] } },
          { id: 'fc1', type: 'Dense', params: { units: 5 }, inputs: ['x'] },
          { id: 'h', type: 'Tanh', inputs: ['fc1'] },
          { id: 'fc2', type: 'Dense', params: { units: 2, bias: false }, inputs: ['h'] },
          { id: 'p', type: 'Softmax', inputs: ['fc2'] },
        ],
        'p',
      ),
    ),
    makeNet(
      'python-names',
      projectOf(
        'Node ids that are Python keywords and nn.Module attributes',
        [
          { id: 'in', type: 'Input', params: { shape: [2] } },
          { id: 'class', type: 'Dense', params: { units: 3 }, inputs: ['in'] },
          { id: 'training', type: 'Tanh', inputs: ['class'] },
          { id: 'forward', type: 'Dense', params: { units: 3 }, inputs: ['training'] },
          { id: '_modules', type: 'Dense', params: { units: 3 }, inputs: ['forward'] },
          { id: 'torch', type: 'Add', inputs: ['_modules', 'forward'] },
          { id: 'my-out', type: 'Dense', params: { units: 1 }, inputs: ['torch'] },
        ],
        'my-out',
      ),
    ),
  ];
}

/** x → fc (Dense 4) → w-1 (Wacky) → out (Dense 2), with the given Wacky definition. */
export function wackyNet(def: LayerDefinition, file = 'wacky.js'): Net {
  return makeNet(
    'wacky',
    projectOf(
      'Wacky',
      [
        { id: 'x', type: 'Input', params: { shape: [3] } },
        { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
        { id: 'w-1', type: 'Wacky', inputs: ['fc'] },
        { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['w-1'] },
      ],
      'out',
    ),
    [[def, file]],
  );
}

/** x → fc (Dense 4) → p (PReLU from plugins/prelu.js, with its ONNX and PyTorch code) → out. */
export async function preluNet(): Promise<Net> {
  const catalog = new PluginCatalog(evaluatePluginModule);
  const file = fileURLToPath(new URL('../../../plugins/prelu.js', import.meta.url));
  await catalog.load('prelu.js', readFileSync(file, 'utf8'));
  const def = catalog.registry().get('PReLU')!.def;
  return makeNet(
    'prelu',
    projectOf(
      'PReLU plugin',
      [
        { id: 'x', type: 'Input', params: { shape: [3] } },
        { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
        { id: 'p', type: 'PReLU', inputs: ['fc'] },
        { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['p'] },
      ],
      'out',
    ),
    [[def, 'prelu.js']],
  );
}
