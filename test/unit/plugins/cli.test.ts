// The command line loads plugins through the same catalog as the app: the file's text, types
// stripped, evaluated as a module from a data: URL. A broken file is bad input (exit 2); a failed
// load-time gradient check is a warning and the run goes on.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPlugin, loadPlugins, pluginFiles } from '../../../cli/plugins';
import { parseProject } from '../../../core/graph/parse';
import { isLabError, type LabError } from '../../../core/util/errors';
import { json, WACKY_PLUGIN, WRONG_WACKY_PLUGIN, xorProject } from '../cli/fixtures';
import { runBin, tempDir } from '../cli/run-bin';
import { PLUGINS_DIR } from './helpers';

const tmp = tempDir('backprop-lab-plugins-');
afterAll(() => tmp.cleanup());

/** xor.json with `type` between h1 and fc2 (node id 'w'), naming `plugins`. */
function projectWith(name: string, type: string, plugins: string[]): string {
  const p = xorProject();
  p.nodes.splice(3, 0, { id: 'w', type, inputs: ['h1'] });
  p.nodes[4].inputs = ['w'];
  p.plugins = plugins;
  return tmp.file(name, json(p));
}

async function loadError(promise: Promise<unknown>): Promise<LabError> {
  try {
    await promise;
  } catch (e) {
    if (isLabError(e)) return e;
    throw e;
  }
  throw new Error('expected the plugins not to load');
}

describe('loadPlugins', () => {
  it('loads .js and .ts files and warns, one line per layer, when a load-time check fails', async () => {
    const wrong = tmp.file('wrong.js', WRONG_WACKY_PLUGIN);
    const warnings: string[] = [];
    const { registry, statuses } = await loadPlugins(
      [
        { label: 'wrong.js', path: wrong },
        { label: 'swish.ts', path: join(PLUGINS_DIR, 'swish.ts') },
      ],
      (line) => warnings.push(line),
    );
    expect(statuses.map((s) => [s.file, s.ok])).toEqual([
      ['wrong.js', true],
      ['swish.ts', true],
    ]);
    expect(registry.get('WrongWacky')!.source).toBe('wrong.js');
    expect(registry.get('Swish')!.source).toBe('swish.ts');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: wrong\.js: layer 'WrongWacky' fails its load-time gradient check \(input shape \[4\]\): a at \[\d\]: analytic -?\d[\d.e-]* vs numeric -?\d[\d.e-]*$/,
    );
  });

  it('a broken file is a LabError naming where it was listed, and the line and column', async () => {
    tmp.file('broken.js', "export default {\n  type: 'Broken',\n  build(: {},\n};\n");
    const project = parseProject(xorProject());
    project.plugins = ['./broken.js'];
    const file = join(tmp.dir, 'project.json');
    const e = await loadError(loadPlugins(pluginFiles(project, file, [])));
    expect(e.message).toBe(`${file}: plugins[0]: ./broken.js:3:9: syntax error: Unexpected token`);
    expect(e.code).toBe('PLUGIN');
    expect(e.place).toMatchObject({ plugin: './broken.js', line: 3, column: 9 });
  });

  it('a missing file says so', async () => {
    const e = await loadError(loadPlugins([{ label: 'gone.js', path: join(tmp.dir, 'gone.js') }]));
    expect(e.message).toMatch(/^gone\.js: cannot load the plugin: no such file \(.*gone\.js\)$/);
  });

  it('two files defining one type: the second is refused, naming the first', async () => {
    const a = tmp.file('a.js', WACKY_PLUGIN);
    const b = tmp.file('b.js', WACKY_PLUGIN);
    const e = await loadError(
      loadPlugins([
        { label: 'a.js', path: a },
        { label: 'b.js', path: b },
      ]),
    );
    expect(e.message).toBe("b.js: layer type 'Wacky' clashes with the same type in a.js");
  });

  it('the same file named in the project and with --plugin is loaded once', async () => {
    const path = tmp.file('once.js', WACKY_PLUGIN);
    const { statuses } = await loadPlugins([
      { label: './once.js', path, from: 'p.json: plugins[0]' },
      { label: 'once.js', path },
    ]);
    expect(statuses.map((s) => s.file)).toEqual(['./once.js']);
  });

  it('importPlugin gives the definitions of one file (for gradcheck), without warnings', async () => {
    const defs = await importPlugin({
      label: 'sigmoid-pair.js',
      path: join(PLUGINS_DIR, 'sigmoid-pair.js'),
    });
    expect(defs.map((d) => d.type)).toEqual(['SigmoidKeepsInput', 'SigmoidKeepsOutput']);
  });
});

describe.concurrent('backprop-lab with plugins', () => {
  it('train: a failed load-time check is a warning on stderr, and training goes on', async () => {
    tmp.file('wrong-wacky.js', WRONG_WACKY_PLUGIN);
    const project = projectWith('wrong.json', 'WrongWacky', ['./wrong-wacky.js']);
    const r = await runBin(['train', project, '--epochs', '2']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^warning: \.\/wrong-wacky\.js: layer 'WrongWacky' fails its load-time gradient check \(input shape \[4\]\): a at \[\d\]: analytic /,
    );
    expect(lines.slice(1).every((l) => l.startsWith('epoch '))).toBe(true);
    expect(r.stdout).toMatch(/^XOR: 2 epochs/);
  });

  it('train: a plugin with a syntax error exits 2 with file:line:column', async () => {
    tmp.file('typo.ts', "const k: number = 2\nexport default { type: 'T' build };\n");
    const project = projectWith('typo.json', 'T', ['./typo.ts']);
    const r = await runBin(['train', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backprop-lab: ${project}: plugins[0]: ./typo.ts:2:28: syntax error: Unexpected token, expected ","\n`,
    );
  });

  it('train: a plugin that throws in forward exits 2 naming plugin, node and phase', async () => {
    tmp.file(
      'kaput.js',
      "export default { type: 'Kaput', build: ({ inShapes }) => ({ outShape: inShapes[0] }), forward() { throw new Error('kaput'); } };\n",
    );
    const project = projectWith('kaput.json', 'Kaput', ['./kaput.js']);
    const r = await runBin(['train', project, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      'backprop-lab: Error in Kaput from plugin ./kaput.js (node w) during forward: kaput',
    );
  });

  it('train and info: a shipped .ts plugin given with --plugin', async () => {
    const project = projectWith('swish.json', 'Swish', []);
    const swish = join(PLUGINS_DIR, 'swish.ts');
    const [train, info] = await Promise.all([
      runBin(['train', project, '--epochs', '3', '--quiet', '--plugin', swish]),
      runBin(['info', project, '--plugin', swish, '--batch', '4']),
    ]);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(info.code).toBe(0);
    // Swish keeps x and σ(βx), [4, 8] each; x is h1's output, which Tanh keeps already (and is
    // counted there), so w adds only σ(βx): 128 bytes.
    expect(info.stdout).toMatch(/^w\s+Swish\s+h1\s+\[8\]\s+0\s+-\s+128$/m);
  });
});
