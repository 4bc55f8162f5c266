import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_LAYER_TYPES } from '../../../core/layers/builtin';
import { json, xorProject } from './fixtures';
import { EXAMPLES, hasStackTrace, runBin, tempDir } from './run-bin';

/** Every built-in layer, in palette order, as the message lists them. */
const AVAILABLE = BUILTIN_LAYER_TYPES.join(', ');

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** xor.json with one change, written to the temp folder. */
function xorWith(name: string, change: (p: any) => void): string {
  const p = xorProject();
  change(p);
  return tmp.file(name, json(p));
}

interface BadInput {
  what: string;
  args: () => string[];
  /** The whole one-line message (after "backprop-lab: "). */
  message: RegExp;
}

const cases: BadInput[] = [
  {
    what: 'broken JSON, with line and column',
    args: () => [
      'train',
      tmp.file('broken.json', '{\n  "format": "backprop-lab.project",\n  "name": oops\n}\n'),
    ],
    message:
      /^\S*broken\.json: line 3, column 11: not valid JSON \(unexpected 'o', expected a value\)$/,
  },
  {
    what: 'a missing field, with its path',
    args: () => ['train', xorWith('no-output.json', (p) => delete p.output)],
    message: /^\S*no-output\.json: output: is missing \(expected a string\)$/,
  },
  {
    what: 'an unknown layer type',
    args: () => ['train', xorWith('unknown-type.json', (p) => (p.nodes[1].type = 'Dence'))],
    message:
      /^\S*unknown-type\.json: nodes\[1\]\.type: node 'fc1' \(Dence\): unknown layer type 'Dence' \(available: Input, Dense, /,
  },
  {
    what: 'a dangling input',
    args: () => ['train', xorWith('dangling.json', (p) => (p.nodes[3].inputs = ['hx']))],
    message:
      /^\S*dangling\.json: nodes\[3\]\.inputs\[0\]: node 'fc2' \(Dense\): input 'hx' does not exist$/,
  },
  {
    what: 'a cycle',
    args: () => ['train', xorWith('cycle.json', (p) => (p.nodes[1].inputs = ['h1']))],
    message: /^\S*cycle\.json: nodes: the graph has a cycle: (h1 → fc1 → h1|fc1 → h1 → fc1)$/,
  },
  {
    what: 'a shape mismatch',
    args: () => [
      'train',
      xorWith('shapes.json', (p) => {
        p.nodes.splice(3, 0, { id: 'sum', type: 'Add', inputs: ['h1', 'x'] });
        p.nodes[4].inputs = ['sum'];
      }),
    ],
    message: /^\S*shapes\.json: nodes\[3\]: node 'sum' \(Add\): .*\[8\] and \[2\]/,
  },
  {
    what: 'a bad parameter value',
    args: () => ['train', xorWith('units.json', (p) => (p.nodes[1].params.units = -3))],
    message:
      /^\S*units\.json: nodes\[1\]\.params\.units: node 'fc1' \(Dense\): must be at least 1, got -3$/,
  },
  {
    what: 'a CSV file with a bad cell, naming line and column',
    args: () => {
      tmp.file('points.csv', 'a,b,label\n0,0,0\n1,x1,1\n');
      return [
        'train',
        xorWith('csv.json', (p) => (p.data = { source: 'csv:points.csv', target: 'label' })),
      ];
    },
    message: /^\S*csv\.json: points\.csv:3:2: "x1" is not a number \(column 'b'\)$/,
  },
  {
    what: 'a missing CSV file',
    args: () => [
      'train',
      xorWith('no-csv.json', (p) => (p.data = { source: 'csv:nowhere.csv', target: 'label' })),
    ],
    message: /^\S*no-csv\.json: data\.source: cannot read nowhere\.csv: no such file/,
  },
  {
    what: 'data that does not fit the input node',
    args: () => ['train', xorWith('fit.json', (p) => (p.nodes[0].params.shape = [3]))],
    message:
      /^\S*fit\.json: .*the data 'xor' has 2 features per sample but the Input node 'x' has shape \[3\]$/,
  },
  {
    what: 'an unknown flag',
    args: () => ['train', join(EXAMPLES, 'xor.json'), '--epoch', '3'],
    message: /^unknown option --epoch for 'train' \(see 'backprop-lab train --help'\)$/,
  },
  {
    what: 'a missing argument',
    args: () => ['info'],
    message: /^missing argument PROJECT \(see 'backprop-lab info --help'\)$/,
  },
  {
    what: 'an option without its value',
    args: () => ['train', join(EXAMPLES, 'xor.json'), '--epochs'],
    message: /^option --epochs needs a value \(--epochs N\)/,
  },
  {
    what: 'a bad number',
    args: () => ['train', join(EXAMPLES, 'xor.json'), '--epochs', 'ten'],
    message: /^option --epochs must be a whole number ≥ 0, got 'ten'$/,
  },
  {
    what: 'a project file that does not exist',
    args: () => ['train', join(tmp.dir, 'nothing.json')],
    message: /^\S*nothing\.json: cannot read the project: no such file$/,
  },
  {
    what: 'an export format that is not supported',
    args: () => ['train', join(EXAMPLES, 'xor.json'), '--export', join(tmp.dir, 'model.pt')],
    message:
      /^\S*model\.pt: --export: \.pt files are not supported \(supported: \.safetensors, \.json, \.onnx, \.py\)$/,
  },
  {
    what: 'a plugin that does not load',
    args: () => ['train', xorWith('plugin.json', (p) => (p.plugins = ['./no-plugin.js']))],
    message:
      /^\S*plugin\.json: plugins\[0\]: \.\/no-plugin\.js: cannot load the plugin: no such file/,
  },
  {
    what: 'a plugin with a syntax error',
    args: () => [
      'gradcheck',
      tmp.file('syntax.js', 'export default { type: "X", build( };'),
      '--in-shape',
      '3',
    ],
    message: /^\S*syntax\.js:1:36: syntax error: Unexpected token$/,
  },
  {
    what: 'an unknown command',
    args: () => ['trian', 'x.json'],
    message:
      /^unknown command 'trian' \(commands: train, gradcheck, info, export, predict, import; see 'backprop-lab --help'\)$/,
  },
];

describe.concurrent('bad input exits 2 with one line naming the file and the field or line', () => {
  for (const c of cases) {
    it(c.what, async () => {
      const r = await runBin(c.args(), { cwd: tmp.dir });
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^backprop-lab: /);
      expect(r.stderr.trimEnd().slice('backprop-lab: '.length)).toMatch(c.message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });
  }

  it('shows the stack trace only with --debug', async () => {
    const file = xorWith('debug.json', (p) => (p.nodes[3].inputs = ['hx']));
    const plain = await runBin(['train', file]);
    const debug = await runBin(['train', file, '--debug']);
    expect(hasStackTrace(plain.stderr)).toBe(false);
    expect(debug.code).toBe(2);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.split('\n')[0]);
    expect(hasStackTrace(debug.stderr)).toBe(true);
  });

  it('lists every problem of a project below the first line', async () => {
    const file = xorWith('two-problems.json', (p) => {
      p.nodes[1].type = 'Dence';
      p.nodes[3].inputs = ['h1', 'hx'];
    });
    const r = await runBin(['train', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `backprop-lab: ${file}: 3 problems in the network, first: node 'fc1' (Dence): unknown layer type 'Dence' (available: ${AVAILABLE})`,
      `  nodes[1].type: node 'fc1' (Dence): unknown layer type 'Dence' (available: ${AVAILABLE})`,
      "  nodes[3].inputs[1]: node 'fc2' (Dense): input 'hx' does not exist",
      "  nodes[3].inputs: node 'fc2' (Dense): takes 1 input, got 2",
    ]);
  });

  it('exits 1 with the engine message when training diverges, and still writes the report', async () => {
    const project = {
      format: 'backprop-lab.project',
      version: 1,
      name: 'Diverges',
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [1] } },
        { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['x'] },
      ],
      output: 'fc',
      loss: { type: 'MSE' },
      data: { x: [[1], [2], [3], [4]], y: [[2], [4], [6], [8]] },
      training: { optimizer: { type: 'sgd', lr: 10 }, batchSize: 4, epochs: 200, seed: 1 },
    };
    const report = join(tmp.dir, 'diverged-report.json');
    const r = await runBin(['train', tmp.file('diverge.json', json(project)), '--report', report]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^backprop-lab: Training diverged at epoch \d+, batch 1 \(step \d+\): /,
    );
    const written = JSON.parse(readFileSync(report, 'utf8'));
    expect(written.error.code).toBe('NON_FINITE');
    expect(written.loss.history.length).toBeGreaterThan(0);
    expect(written.loss.history.length).toBeLessThan(200);
  });
});
