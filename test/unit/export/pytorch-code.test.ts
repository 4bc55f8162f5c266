// The text of the .py export: deterministic, valid Python for any project name, plugin code
// placed as given, and clean refusals for plugin fields it cannot use.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import { dedent, pyFloat, pyString } from '../../../core/export/pytorch/python-text';
import type { LayerDefinition } from '../../../core/layers/contract';
import { LabError } from '../../../core/util/errors';
import {
  allNets,
  makeNet,
  projectOf,
  WACKY_MAPPED,
  WACKY_UNMAPPED,
  wackyNet,
  wackyPytorch,
  type Net,
} from './networks';
import { PYTHON, scratch } from './python-torch';

const tmp = scratch();
afterAll(() => tmp.cleanup());
const pyOf = (net: Net) => exportModel('py', { graph: net.graph, weights: net.weights });
const noPython = existsSync(PYTHON) ? undefined : `${PYTHON} does not exist`;
if (noPython) console.warn(`Python syntax checks skipped: ${noPython}`);

/** Python's own parser on the text (no torch needed); returns its error, or '' when it parses. */
function pythonSyntaxError(text: string): string {
  const file = tmp.file(`syntax-${Math.random().toString(36).slice(2)}.py`, text);
  const r = spawnSync(
    PYTHON,
    ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file],
    {
      encoding: 'utf8',
    },
  );
  return r.status === 0 ? '' : r.stderr;
}

function thrown(fn: () => unknown): LabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected a LabError');
}

describe('PyTorch code text', () => {
  it('a detach node reads its inputs detached: no gradient flows back through it while training', () => {
    const project = projectOf(
      'detach',
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'a', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
        { id: 'b', type: 'Tanh', inputs: ['a'] },
        { id: 'c', type: 'Add', inputs: ['a', 'b'] },
        { id: 'y', type: 'Dense', params: { units: 1 }, inputs: ['c'] },
      ],
      'y',
    );
    const nodes = project.nodes.map((n) => (n.id === 'c' ? { ...n, detach: true } : n));
    const text = pyOf(makeNet('detach', { ...project, nodes }));
    expect(text).toContain('        c = a.detach() + b.detach()');
    expect(text).toContain('        b = self.b(a)');
  });

  it('is the same text every time, with no date in it', () => {
    for (const net of allNets()) {
      const text = pyOf(net);
      expect(pyOf(net)).toBe(text);
      expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
      expect(text).toMatch(/^# .*: a network exported from Backprop Lab as PyTorch code\.$/m);
      expect(text).toContain('def build():');
      expect(text).toContain('def load(weights_path):');
      expect(text).toContain('if __name__ == "__main__":');
      expect(text).not.toMatch(/^\s*(import|from) safetensors/m);
    }
  });

  it.skipIf(noPython !== undefined)('is valid Python for every test network', () => {
    for (const net of [...allNets(), wackyNet(WACKY_MAPPED), wackyNet(WACKY_UNMAPPED)]) {
      expect(pythonSyntaxError(pyOf(net)), net.name).toBe('');
    }
  });

  it.skipIf(noPython !== undefined)(
    'stays valid Python for names with quotes, newlines and emoji',
    () => {
      const project = projectOf(
        'Tricky """ \\ name\nimport os; os.exit() 🙂',
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'y', type: 'Dense', params: { units: 1 }, inputs: ['x'] },
        ],
        'y',
      );
      const text = pyOf(makeNet('tricky', { ...project, description: 'line one\nline two' }));
      expect(pythonSyntaxError(text)).toBe('');
      expect(text).not.toMatch(/^import os/m);
    },
  );

  it("places a plugin's own PyTorch code, dedented, with where it came from", () => {
    const text = pyOf(wackyNet(WACKY_MAPPED));
    expect(text).toContain(
      '# Plugin layer Wacky: PyTorch code from wacky.js\nclass WackyLayer(nn.Module):\n    """y = x * sigmoid(a * x)"""',
    );
    expect(text).toContain(
      '        self.w_1 = WackyLayer(params={}, in_shapes=[(4,)], out_shape=(4,), weight_shapes={"a": (4,)})',
    );
    expect(text).not.toContain('NotImplementedError');
  });

  it('writes a stub class that names the layer, its plugin file and its weights', () => {
    const text = pyOf(wackyNet(WACKY_UNMAPPED));
    expect(text).toContain(
      'class Wacky(nn.Module):\n    # Plugin layer Wacky, from wacky.js: y = x * sigmoid(a * x)',
    );
    expect(text).toContain("    #   node 'w-1': params {}, input [4], output [4], weights a [4]");
    expect(text).toContain('raise NotImplementedError(');
  });

  it('takes a module or an expression made for each node by pytorch(ctx)', () => {
    const base = { build: ({ inShapes }: { inShapes: number[][] }) => ({ outShape: inShapes[0] }) };
    const halve = {
      ...base,
      type: 'Halve',
      forward: (ctx: any, x: any) => ctx.ops.scale(x, 0.5),
      pytorch: (ctx: { inputs: readonly string[] }) => ({ expression: `0.5 * ${ctx.inputs[0]}` }),
    } as unknown as LayerDefinition;
    const clip = {
      ...base,
      type: 'Clip',
      params: { limit: { type: 'number', default: 2.5 } },
      forward: (ctx: any, x: any) => ctx.ops.tanh(x),
      pytorch: (ctx: any) => ({ module: `nn.Hardtanh(max_val=${ctx.literal(ctx.params.limit)})` }),
    } as unknown as LayerDefinition;
    const net = makeNet(
      'per-node',
      projectOf(
        'Per node',
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'h', type: 'Halve', inputs: ['x'] },
          { id: 'c', type: 'Clip', inputs: ['h'] },
        ],
        'c',
      ),
      [
        [halve, 'halve.js'],
        [clip, 'clip.js'],
      ],
    );
    const text = pyOf(net);
    expect(text).toContain("        h = 0.5 * x  # node 'h': Halve, output [2]");
    expect(text).toContain(
      "        self.c = nn.Hardtanh(max_val=2.5)  # node 'c': Clip, output [2]",
    );
    expect(text).toContain('        c = self.c(h)');
  });

  it('renames a stub class that would take a name the module uses', () => {
    const def = { ...WACKY_UNMAPPED, type: 'Net' } as LayerDefinition;
    const net = makeNet(
      'net',
      projectOf(
        'Net',
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'n', type: 'Net', inputs: ['x'] },
        ],
        'n',
      ),
      [[def, 'net.js']],
    );
    const text = pyOf(net);
    expect(text).toContain('class NetLayer2(nn.Module):');
    expect(text).toContain('self.n = NetLayer2(');
  });

  const prefix = "node 'w-1' (Wacky, from wacky.js): ";
  it.each([
    {
      what: 'pytorch that is not an object',
      pytorch: 'class X: pass',
      message:
        'its pytorch must be { className, code }, { module } or { expression }, found string',
    },
    {
      what: 'a className that is not a Python name',
      pytorch: { className: 'my-layer', code: 'class X: pass' },
      message: 'its pytorch.className must be a Python class name, found "my-layer"',
    },
    {
      what: 'code that does not define the class',
      pytorch: { className: 'WackyLayer', code: 'class Other(nn.Module):\n    pass' },
      message:
        'its pytorch.code does not define the class WackyLayer (class WackyLayer(nn.Module): …)',
    },
    {
      what: 'two ways at once',
      pytorch: { className: 'WackyLayer', code: wackyPytorch.code, module: 'nn.Tanh()' },
      message:
        'its pytorch must be one of { className, code }, { module } or { expression }, found several',
    },
    {
      what: 'an expression for a layer with weights',
      pytorch: { expression: 'x' },
      message: 'its pytorch.expression cannot hold weights: give a module or a className instead',
    },
    {
      what: 'a pytorch(ctx) that throws',
      pytorch: () => {
        throw new Error('not yet');
      },
      message: 'its pytorch(ctx) failed: Error: not yet',
    },
    {
      what: 'a className the module uses',
      pytorch: { className: 'Net', code: 'class Net(nn.Module):\n    pass' },
      message: "its pytorch.className 'Net' is already used by the module itself",
    },
  ])('refuses $what, naming the node and the plugin', ({ pytorch, message }) => {
    const def = { ...WACKY_UNMAPPED, pytorch } as LayerDefinition;
    const e = thrown(() => pyOf(wackyNet(def)));
    expect(e.code).toBe('PLUGIN');
    expect(e.message).toBe(prefix + message);
    expect(e.place).toMatchObject({ node: 'w-1', plugin: 'wacky.js' });
  });

  it('refuses two plugin layers with the same PyTorch class name', () => {
    const other = { ...WACKY_MAPPED, type: 'Wacky2' } as LayerDefinition;
    const net = makeNet(
      'clash',
      projectOf(
        'Clash',
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'a', type: 'Wacky', inputs: ['x'] },
          { id: 'b', type: 'Wacky2', inputs: ['a'] },
        ],
        'b',
      ),
      [
        [WACKY_MAPPED, 'wacky.js'],
        [other, 'wacky2.js'],
      ],
    );
    expect(thrown(() => pyOf(net)).message).toBe(
      "node 'b' (Wacky2, from wacky2.js): its pytorch.className 'WackyLayer' is already used by the plugin layer Wacky",
    );
  });

  it('refuses a plugin weight name that cannot be a PyTorch parameter', () => {
    const def = {
      ...WACKY_UNMAPPED,
      build: ({ inShapes }: { inShapes: number[][] }) => ({
        outShape: inShapes[0],
        weights: { training: { shape: inShapes[0] } },
      }),
      forward: (_ctx: unknown, x: unknown) => x,
    } as unknown as LayerDefinition;
    expect(thrown(() => pyOf(wackyNet(def))).message).toBe(
      `${prefix}its weight "training" cannot be a PyTorch parameter name (no dots, no leading _, and not an nn.Module attribute such as "training")`,
    );
  });
});

describe('Python literals', () => {
  it('quotes any text as a plain-ASCII Python string', () => {
    expect(pyString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
    expect(pyString('Δ 🙂 \u2028')).toBe('"\\u0394 \\U0001f642 \\u2028"');
    expect(pyString('é')).toBe('"\\xe9"');
  });

  it('writes floats that read back as the same double', () => {
    expect(pyFloat(0.01)).toBe('0.01');
    expect(pyFloat(2)).toBe('2.0');
    expect(pyFloat(1e-7)).toBe('1e-7');
    expect(pyFloat(-0.5)).toBe('-0.5');
  });

  it('removes the common indentation of plugin code', () => {
    expect(dedent('\n    class A:\n        x = 1\n\n    y = 2\n  ')).toBe(
      'class A:\n    x = 1\n\ny = 2',
    );
    expect(dedent(wackyPytorch.code!).split('\n')[0]).toBe('class WackyLayer(nn.Module):');
  });
});
