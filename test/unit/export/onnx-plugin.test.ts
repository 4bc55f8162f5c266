// Plugin layers in ONNX: a plugin's own mapping (the onnx(ctx) contract), and clean refusals
// naming the node and the plugin when there is none or it is wrong.
import { describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import type { OnnxMapping } from '../../../core/export/onnx/plugin-mapping';
import type { LayerDefinition } from '../../../core/layers/contract';
import { LabError } from '../../../core/util/errors';
import {
  coreOutput,
  inputsFor,
  makeNet,
  maxAbsDiff,
  projectOf,
  WACKY_MAPPED,
  WACKY_UNMAPPED,
  wackyNet,
  type Net,
} from './networks';
import { runOnnx } from './ort-node';
import { decodeMessage, all, msg, one, str } from './proto-decode';

function thrown(fn: () => unknown): LabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected a LabError');
}

const onnxOf = (net: Net) => exportModel('onnx', { graph: net.graph, weights: net.weights });
const withMapping = (onnx: unknown): LayerDefinition =>
  ({ ...WACKY_UNMAPPED, onnx }) as LayerDefinition;

describe('ONNX mapping of a plugin layer', () => {
  it('exports Wacky through its mapping: Mul, Sigmoid, Mul with the weight as an initializer', () => {
    const graph = msg(one(decodeMessage(onnxOf(wackyNet(WACKY_MAPPED))), 7));
    const nodes = all(graph, 1).map((n) => {
      const f = msg(n);
      return [str(one(f, 3)), str(one(f, 4)), all(f, 1).map(str), all(f, 2).map(str)];
    });
    expect(nodes).toEqual([
      ['fc', 'Gemm', ['x', 'fc.weight', 'fc.bias'], ['fc']],
      ['w-1/Mul', 'Mul', ['fc', 'w-1.a'], ['w-1/ax']],
      ['w-1/Sigmoid', 'Sigmoid', ['w-1/ax'], ['w-1/sigmoid']],
      ['w-1', 'Mul', ['fc', 'w-1/sigmoid'], ['w-1']],
      ['out', 'Gemm', ['w-1', 'out.weight', 'out.bias'], ['out']],
    ]);
    const initializers = all(graph, 5).map((t) => str(one(msg(t), 8)));
    expect(initializers).toContain('w-1.a');
  });

  it('hands the mapping its node, shapes, params and weights, and adds constants', async () => {
    let seen: Record<string, unknown> = {};
    // y = 2 · (x ⊙ σ(a ⊙ x)) with a constant 2, written as a Mul by a constant and named nodes.
    const doubled: OnnxMapping = (ctx) => {
      seen = {
        node: ctx.node,
        type: ctx.type,
        inputs: ctx.inputs,
        output: ctx.output,
        inShapes: ctx.inShapes,
        outShape: ctx.outShape,
        params: ctx.params,
        weights: ctx.weights,
        aShape: ctx.weightValues.a.shape,
      };
      const two = ctx.constant('two', [2], []);
      const wacky = ctx.value('wacky');
      const nodes = WACKY_MAPPED_ONNX({ ...ctx, output: wacky });
      return [...nodes, { op: 'Mul', inputs: [wacky, two], outputs: [ctx.output], name: 'double' }];
    };
    const def = {
      ...WACKY_UNMAPPED,
      type: 'Doubled',
      forward: (ctx: any, x: any, w: any) =>
        ctx.ops.scale((WACKY_UNMAPPED.forward as any)(ctx, x, w), 2),
      onnx: doubled,
    } as LayerDefinition;
    const net = makeNet(
      'doubled',
      projectOf(
        'Doubled',
        [
          { id: 'x', type: 'Input', params: { shape: [3] } },
          { id: 'd', type: 'Doubled', inputs: ['x'] },
        ],
        'd',
      ),
      [[def, 'doubled.js']],
    );
    const input = inputsFor(net);
    const run = await runOnnx(onnxOf(net), { name: 'x', ...input });
    expect(maxAbsDiff(run.data, coreOutput(net, input))).toBeLessThan(1e-5);
    expect(seen).toEqual({
      node: 'd',
      type: 'Doubled',
      inputs: ['x'],
      output: 'd',
      inShapes: [[3]],
      outShape: [3],
      params: {},
      weights: { a: 'd.a' },
      aShape: [3],
    });
  });

  it('refuses a plugin layer without mapping, naming the node and the plugin', () => {
    const e = thrown(() => onnxOf(wackyNet(WACKY_UNMAPPED)));
    expect(e.code).toBe('PLUGIN');
    expect(e.message).toBe(
      "node 'w-1' uses the plugin layer Wacky, which has no ONNX mapping " +
        '(give its definition in wacky.js an onnx(ctx) method, or export .safetensors or .py instead)',
    );
    expect(e.place).toMatchObject({ node: 'w-1', plugin: 'wacky.js' });
  });

  it('lists every unmapped plugin node at once', () => {
    const net = makeNet(
      'two',
      projectOf(
        'Two',
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'w1', type: 'Wacky', inputs: ['x'] },
          { id: 'w2', type: 'Wacky', inputs: ['w1'] },
        ],
        'w2',
      ),
      [[WACKY_UNMAPPED, 'wacky.js']],
    );
    const e = thrown(() => onnxOf(net));
    expect(e.message).toMatch(/^2 plugin layers have no ONNX mapping, first: node 'w1' uses/);
    expect(e.problems).toHaveLength(2);
    expect(e.problems[1]).toMatch(/^node 'w2' uses the plugin layer Wacky/);
  });

  const prefix = "node 'w-1' (Wacky, from wacky.js): its ONNX mapping ";
  it.each([
    {
      what: 'onnx that is not a function',
      onnx: { op: 'Mul' },
      message: 'must be a function onnx(ctx) returning ONNX nodes, found object',
    },
    {
      what: 'a mapping that returns nothing',
      onnx: () => undefined,
      message: 'must return a non-empty array of nodes like { op, inputs, outputs }',
    },
    {
      what: 'a mapping that throws',
      onnx: () => {
        throw new Error('boom');
      },
      message: 'failed: Error: boom',
    },
    {
      what: 'a node without op',
      onnx: (ctx: any) => [{ inputs: ctx.inputs, outputs: [ctx.output] }],
      message: 'returned node 0 without an operator name in op (found undefined)',
    },
    {
      what: 'an input that does not exist',
      onnx: (ctx: any) => [{ op: 'Mul', inputs: [ctx.inputs[0], 'a'], outputs: [ctx.output] }],
      message:
        "returned node 0 (Mul) reading 'a', which is not an input, a weight or an earlier output",
    },
    {
      what: 'an output it was not given',
      onnx: (ctx: any) => [
        { op: 'Sigmoid', inputs: ctx.inputs, outputs: ['tmp'] },
        { op: 'Mul', inputs: [ctx.inputs[0], 'tmp'], outputs: [ctx.output] },
      ],
      message:
        "returned node 0 (Sigmoid) writing 'tmp': write ctx.output ('w-1') or a name from ctx.value()",
    },
    {
      what: 'no node writing the output',
      onnx: (ctx: any) => [{ op: 'Sigmoid', inputs: ctx.inputs, outputs: [ctx.value('s')] }],
      message: "returned no node writing ctx.output ('w-1')",
    },
    {
      what: 'an untyped attribute',
      onnx: (ctx: any) => [
        { op: 'LeakyRelu', inputs: ctx.inputs, outputs: [ctx.output], attributes: { alpha: 0.2 } },
      ],
      message:
        "returned node 0 (LeakyRelu) with attribute 'alpha' = 0.2: write { float: 0.5 }, { int: 1 }, { string: 'x' }, { floats: [..] } or { ints: [..] }",
    },
    {
      what: 'a constant whose values do not fit its shape',
      onnx: (ctx: any) => [
        {
          op: 'Mul',
          inputs: [ctx.inputs[0], ctx.constant('k', [1, 2], [3])],
          outputs: [ctx.output],
        },
      ],
      message: "gave ctx.constant('k') 2 values for shape [3]",
    },
  ])('refuses $what, naming the node and the plugin', ({ onnx, message }) => {
    const e = thrown(() => onnxOf(wackyNet(withMapping(onnx))));
    expect(e.code).toBe('PLUGIN');
    expect(e.message).toBe(prefix + message);
    expect(e.place).toMatchObject({ node: 'w-1', plugin: 'wacky.js', phase: 'export' });
  });
});

/** WACKY_MAPPED's mapping, callable with a changed context. */
const WACKY_MAPPED_ONNX = (WACKY_MAPPED as unknown as { onnx: OnnxMapping }).onnx;
