// Every way a plugin file can fail to load, and the message it gets: the file, the layer, the
// field, and for syntax errors the exact line and column. A broken file is marked broken; it
// never throws out of the catalog.
import { describe, expect, it } from 'vitest';
import { brokenMessage, loadOne, newCatalog } from './helpers';

const BUILD = 'build: ({ inShapes }) => ({ outShape: inShapes[0] })';
const FORWARD = 'forward: (ctx, x) => ctx.ops.tanh(x)';

/** A plugin file whose default export is `{ <fields> }`. */
function layer(fields: string): string {
  return `export default { ${fields} };\n`;
}

/** A valid layer named `type` with `extra` fields added. */
function valid(type: string, extra = ''): string {
  return layer(`type: '${type}', ${BUILD}, ${FORWARD}${extra ? `, ${extra}` : ''}`);
}

interface Case {
  what: string;
  source: string;
  message: string;
  field?: string;
}

const definitionCases: Case[] = [
  {
    what: 'missing type',
    source: layer(`${BUILD}, ${FORWARD}`),
    message:
      "p.js: the default export: type is missing: give the layer a unique name, e.g. type: 'Wacky'",
    field: 'type',
  },
  {
    what: 'missing build',
    source: layer(`type: 'L', ${FORWARD}`),
    message: "p.js: layer 'L': build is missing: a layer needs build() and forward()",
    field: 'build',
  },
  {
    what: 'missing forward',
    source: layer(`type: 'L', ${BUILD}`),
    message: "p.js: layer 'L': forward is missing: a layer needs build() and forward()",
    field: 'forward',
  },
  {
    what: 'build that is not a function',
    source: layer(`type: 'L', build: { outShape: [4] }, ${FORWARD}`),
    message: "p.js: layer 'L': build must be a function, got an object",
    field: 'build',
  },
  {
    what: 'backward that is not a function',
    source: valid('L', 'backward: true'),
    message:
      "p.js: layer 'L': backward must be a function (or left out, for autograd), got boolean true",
    field: 'backward',
  },
  {
    what: 'a type name with a space',
    source: valid('My Layer'),
    message:
      'p.js: layer \'My Layer\': type must be a name of letters, digits and _ starting with a letter, got "My Layer"',
    field: 'type',
  },
  {
    what: 'a type name starting with a digit',
    source: valid('2x'),
    message:
      'p.js: layer \'2x\': type must be a name of letters, digits and _ starting with a letter, got "2x"',
    field: 'type',
  },
  {
    what: "an unknown key one letter off ('did you mean')",
    source: valid('L', 'backwards(ctx, gy) { return { x: gy }; }'),
    message:
      "p.js: layer 'L': backwards is not part of a layer definition (did you mean 'backward'?)",
    field: 'backwards',
  },
  {
    what: 'an unknown key in the wrong case',
    source: valid('L', 'Params: {}'),
    message: "p.js: layer 'L': Params is not part of a layer definition (did you mean 'params'?)",
    field: 'Params',
  },
  {
    what: 'an unknown key with nothing close',
    source: valid('L', 'weights: {}'),
    message: "p.js: layer 'L': weights is not part of a layer definition",
    field: 'weights',
  },
  {
    what: 'a description that is not a string',
    source: valid('L', 'description: 3'),
    message: "p.js: layer 'L': description must be a string, got number 3",
    field: 'description',
  },
  {
    what: 'an ONNX mapping that is not a function',
    source: valid('L', "onnx: [{ op: 'Tanh' }]"),
    message:
      "p.js: layer 'L': onnx must be a function onnx(ctx) returning ONNX nodes, got an array",
    field: 'onnx',
  },
  {
    what: 'PyTorch code that is a string',
    source: valid('L', "pytorch: 'class L(nn.Module): pass'"),
    message:
      'p.js: layer \'L\': pytorch must be { className, code }, { module } or { expression }, or a function pytorch(ctx) returning one, got "class L(nn.Module): pass"',
    field: 'pytorch',
  },
  {
    what: 'a fused kernel that is a function',
    source: valid('L', 'fused: () => {}'),
    message:
      "p.js: layer 'L': fused must be { forward, backward, evaluate?, fits?, scratch? }, got a function",
    field: 'fused',
  },
  {
    what: 'a fused kernel without backward',
    source: valid('L', 'fused: { forward() {} }'),
    message: "p.js: layer 'L': fused.backward must be a function, got nothing",
    field: 'fused.backward',
  },
  {
    what: 'a fused kernel with a misspelt part',
    source: valid('L', 'fused: { forward() {}, backward() {}, scratchpad() {} }'),
    message:
      "p.js: layer 'L': fused.scratchpad is not part of a fused kernel (forward, backward, evaluate, fits, scratch)",
    field: 'fused.scratchpad',
  },
  {
    what: 'a fused evaluate that is not a function',
    source: valid('L', 'fused: { forward() {}, backward() {}, evaluate: true }'),
    message: "p.js: layer 'L': fused.evaluate must be a function (or left out), got boolean true",
    field: 'fused.evaluate',
  },
  {
    what: 'a fused kernel on a layer with two inputs',
    source: valid('L', 'inputs: 2, fused: { forward() {}, backward() {} }'),
    message:
      "p.js: layer 'L': fused is for layers with one input: the fused plan runs plain chains",
    field: 'fused',
  },
  {
    what: 'Lab formulas that are a function',
    source: valid('L', 'lab: () => ({})'),
    message:
      "p.js: layer 'L': lab must be { forward?, backward?, linear?, sameUnits?, cancels? }, got a function",
    field: 'lab',
  },
  {
    what: 'a Lab forward formula that is a string',
    source: valid('L', "lab: { forward: 'y = x' }"),
    message:
      'p.js: layer \'L\': lab.forward must be a function (ctx) => ({ title, formula }), got "y = x"',
    field: 'lab.forward',
  },
  {
    what: 'a linear layer without its weight name',
    source: valid('L', 'lab: { linear: true }'),
    message:
      "p.js: layer 'L': lab.linear must be { weight: 'name of the [out, in] weight' }, got boolean true",
    field: 'lab.linear',
  },
  {
    what: 'probabilities that is not a boolean',
    source: valid('L', "probabilities: 'yes'"),
    message: 'p.js: layer \'L\': probabilities must be true or false, got "yes"',
    field: 'probabilities',
  },
  {
    what: 'an entry layer (the built-in Input is the one entry)',
    source: valid('L', 'entry: true'),
    message:
      "p.js: layer 'L': entry is for the built-in Input layer only: a network has one Input node",
    field: 'entry',
  },
  {
    what: 'an ONNX import pattern (built-ins only: the import runs outside the sandbox)',
    source: valid('L', "onnxImport: { ops: ['Exp'], match: () => null }"),
    message:
      "p.js: layer 'L': onnxImport is for built-in layers only: importing an ONNX model runs outside the plugin sandbox, so it cannot call plugin code",
    field: 'onnxImport',
  },
];

const paramsCases: Case[] = [
  {
    what: 'params that are not an object',
    source: valid('L', "params: ['beta']"),
    message: "p.js: layer 'L': params must be an object of parameter specs, got an array",
    field: 'params',
  },
  {
    what: 'a spec that is not an object',
    source: valid('L', 'params: { beta: 1 }'),
    message:
      "p.js: layer 'L': params.beta must be a spec like { type: 'number', default: 1 }, got number 1",
    field: 'params.beta',
  },
  {
    what: 'an unknown parameter type',
    source: valid('L', "params: { beta: { type: 'float', default: 1 } }"),
    message:
      "p.js: layer 'L': params.beta has type \"float\"; use 'int', 'number', 'boolean' or 'enum'",
    field: 'params.beta',
  },
  {
    what: 'a number without a default',
    source: valid('L', "params: { beta: { type: 'number' } }"),
    message: "p.js: layer 'L': params.beta needs a numeric default, got nothing",
    field: 'params.beta',
  },
  {
    what: 'a default above max',
    source: valid('L', "params: { p: { type: 'number', default: 2, min: 0, max: 1 } }"),
    message: "p.js: layer 'L': params.p default 2 is outside [0, 1]",
    field: 'params.p',
  },
  {
    what: 'a default below min (no max)',
    source: valid('L', "params: { n: { type: 'int', default: 0, min: 1 } }"),
    message: "p.js: layer 'L': params.n default 0 is outside [1, ∞]",
    field: 'params.n',
  },
  {
    what: 'min above max',
    source: valid('L', "params: { p: { type: 'number', default: 1, min: 2, max: 0 } }"),
    message: "p.js: layer 'L': params.p has min 2 above max 0",
    field: 'params.p',
  },
  {
    what: 'an int whose default is not whole',
    source: valid('L', "params: { k: { type: 'int', default: 2.5 } }"),
    message: "p.js: layer 'L': params.k is an int but its default is 2.5",
    field: 'params.k',
  },
  {
    what: 'a boolean with a string default',
    source: valid('L', "params: { on: { type: 'boolean', default: 'yes' } }"),
    message: 'p.js: layer \'L\': params.on needs a default of true or false, got "yes"',
    field: 'params.on',
  },
  {
    what: 'an enum whose default is not one of its values',
    source: valid('L', "params: { mode: { type: 'enum', values: ['a', 'b'], default: 'c' } }"),
    message: 'p.js: layer \'L\': params.mode default "c" is not one of its values ["a","b"]',
    field: 'params.mode',
  },
  {
    what: 'an enum without values',
    source: valid('L', "params: { mode: { type: 'enum', values: [], default: 'a' } }"),
    message:
      "p.js: layer 'L': params.mode is an enum and needs values: a non-empty list of strings",
    field: 'params.mode',
  },
];

const inputsAndGradcheckCases: Case[] = [
  {
    what: 'inputs: 0',
    source: valid('L', 'inputs: 0'),
    message: "p.js: layer 'L': inputs must be a whole number of at least 1, got 0",
    field: 'inputs',
  },
  {
    what: 'inputs: 1.5',
    source: valid('L', 'inputs: 1.5'),
    message: "p.js: layer 'L': inputs must be a whole number of at least 1, got 1.5",
    field: 'inputs',
  },
  {
    what: 'inputs with max below min',
    source: valid('L', 'inputs: { min: 3, max: 2 }'),
    message:
      "p.js: layer 'L': inputs must be a number or { min, max? } with 1 <= min <= max, got an object",
    field: 'inputs',
  },
  {
    what: 'inputs as a string',
    source: valid('L', "inputs: '2'"),
    message:
      'p.js: layer \'L\': inputs must be a number or { min, max? } with 1 <= min <= max, got "2"',
    field: 'inputs',
  },
  {
    what: 'gradcheck with one shape instead of a list of shapes',
    source: valid('L', 'gradcheck: { inShapes: [4] }'),
    message:
      "p.js: layer 'L': gradcheck must be { inShapes: [[4], …] } with one shape per input, got an object",
    field: 'gradcheck',
  },
  {
    what: 'gradcheck with a zero dimension',
    source: valid('L', 'gradcheck: { inShapes: [[4, 0]] }'),
    message:
      "p.js: layer 'L': gradcheck must be { inShapes: [[4], …] } with one shape per input, got an object",
    field: 'gradcheck',
  },
  {
    what: 'gradcheck without inShapes',
    source: valid('L', 'gradcheck: true'),
    message:
      "p.js: layer 'L': gradcheck must be { inShapes: [[4], …] } with one shape per input, got boolean true",
    field: 'gradcheck',
  },
];

const moduleCases: Case[] = [
  {
    what: 'no default export',
    source: `export const layer = { type: 'L', ${BUILD}, ${FORWARD} };\n`,
    message:
      "p.js: has no default export: write `export default { type: 'MyLayer', build, forward }`",
  },
  {
    what: 'a default export that is a number',
    source: 'export default 42;\n',
    message: 'p.js: the default export must be a layer definition object, got number 42',
  },
  {
    what: 'a default export that is a function',
    source: `export default function layer() { return { type: 'L' }; }\n`,
    message: 'p.js: the default export must be a layer definition object, got a function',
  },
  {
    what: 'a default export array holding a string',
    source: `export default [${valid('A').slice('export default '.length, -2)}, 'B'];\n`,
    message: 'p.js: export default [1] must be a layer definition object, got "B"',
  },
  {
    what: 'an empty default export array',
    source: 'export default [];\n',
    message: 'p.js: its default export is an empty array',
  },
  {
    what: 'the same type twice in one file',
    source: `const a = { type: 'Twice', ${BUILD}, ${FORWARD} };\nexport default [a, { ...a }];\n`,
    message: "p.js: defines the layer type 'Twice' twice",
  },
  {
    what: 'a module that throws while loading',
    source: `const table = null;\nconst size = table.length;\nexport default { type: 'L', ${BUILD}, ${FORWARD} };\n`,
    message: "p.js: failed to load: TypeError: Cannot read properties of null (reading 'length')",
  },
  {
    what: 'a module that throws its own error while loading',
    source: `throw new RangeError('this plugin needs a newer engine');\nexport default {};\n`,
    message: 'p.js: failed to load: RangeError: this plugin needs a newer engine',
  },
  {
    what: 'a plugin that imports another file',
    source: `// helpers\nimport { sigmoid } from './math.js';\nexport default { type: 'L', ${BUILD}, ${FORWARD} };\n`,
    message:
      "p.js: imports './math.js' (line 2), but a plugin imports nothing: the engine hands a layer what it needs (ctx.ops, ctx.zeros, ctx.tensor), so keep the layer in this one file",
  },
];

describe.each([
  ['the definition', definitionCases],
  ['the params schema', paramsCases],
  ['inputs and gradcheck', inputsAndGradcheckCases],
  ['the module', moduleCases],
])('a plugin is broken by %s', (_group, cases) => {
  it.each(cases.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const { catalog, status } = await loadOne('p.js', c.source);
    expect(status.ok).toBe(false);
    expect(status.layers).toEqual([]);
    expect(status.error!.message).toBe(c.message);
    expect(status.error!.phase).toBe('load');
    if (c.field) expect(status.error!.field).toBe(c.field);
    // Its layers are not offered; the built-ins still are.
    expect(catalog.registry().has('L')).toBe(false);
    expect(catalog.registry().has('Dense')).toBe(true);
  });
});

describe('syntax errors are placed by line and column', () => {
  it('in a .js file', async () => {
    const source = [
      '// y = 2x',
      'export default {',
      "  type: 'Double',",
      '  build: ({ inShapes }) => ({ outShape: inShapes[0] }),',
      '  forward(ctx, x) {',
      '    return ctx.ops.scale(x, 2;', // the ) is missing: column 30 is the ;
      '  },',
      '};',
    ].join('\n');
    const { status } = await loadOne('double.js', source);
    expect(status.error).toEqual({
      message: 'double.js:6:30: syntax error: Unexpected token, expected ","',
      line: 6,
      column: 30,
      field: undefined,
      phase: 'load',
    });
  });

  it('in a .ts file, with the types before it stripped but the place kept', async () => {
    const source = [
      "import type { LayerDefinition } from './api';",
      '',
      'const double: LayerDefinition = {',
      "  type: 'Double',",
      '  build: ({ inShapes }: { inShapes: number[][] }) => ({ outShape: inShapes[0] }),',
      '  forward(ctx, x) {',
      '    const k: number = = 2;', // column 23 is the second =
      '    return ctx.ops.scale(x, k);',
      '  },',
      '};',
      'export default double;',
    ].join('\n');
    const { status } = await loadOne('double.ts', source);
    expect(status.error?.message).toBe('double.ts:7:23: syntax error: Unexpected token');
    expect([status.error?.line, status.error?.column]).toEqual([7, 23]);
  });

  it('TypeScript syntax in a .js file is a syntax error there', async () => {
    const { status } = await loadOne('typed.js', 'const k: number = 2;\nexport default k;\n');
    expect(brokenMessage(status)).toBe(
      'typed.js:1:8: syntax error: Unexpected token, expected ";"',
    );
  });
});

describe('type names must be unique', () => {
  it('a plugin may not reuse a built-in name', async () => {
    const { status } = await loadOne('dense.js', valid('Dense'));
    expect(brokenMessage(status)).toBe(
      "dense.js: layer type 'Dense' clashes with the built-in layer Dense",
    );
    expect(status.error!.field).toBe('type');
  });

  it('a second file may not define a type another file has', async () => {
    const catalog = newCatalog();
    expect((await catalog.load('first.js', valid('Twin'))).ok).toBe(true);
    const second = await catalog.load('second.js', valid('Twin'));
    expect(brokenMessage(second)).toBe(
      "second.js: layer type 'Twin' clashes with the same type in first.js",
    );
    // The first file keeps working, and its layer stays the one in the registry.
    expect(catalog.status('first.js')!.ok).toBe(true);
    expect(catalog.registry().get('Twin')!.source).toBe('first.js');
  });
});

describe('imports', () => {
  const body = `const layer: LayerDefinition = {
  type: 'T',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward: (ctx, x) => ctx.ops.tanh(x),
};
export default layer;
`;

  it.each([
    ['import type', "import type { LayerDefinition } from './api';\n"],
    ['a plain import used only in types', "import { LayerDefinition } from './api';\n"],
  ])('a .ts plugin may import its types (%s): the import is removed', async (_what, head) => {
    const { status } = await loadOne('t.ts', head + body);
    expect(status.ok, status.error?.message).toBe(true);
  });

  it('a .ts plugin that uses an imported value is refused, naming the import and its line', async () => {
    const source = `import type { LayerDefinition } from './api';\nimport { tanh } from './math';\n${body.replace('ctx.ops.tanh(x)', 'tanh(ctx, x)')}`;
    const { status } = await loadOne('t.ts', source);
    expect(brokenMessage(status)).toMatch(
      /^t\.ts: imports '\.\/math' \(line 2\), but a plugin imports nothing/,
    );
  });
});
