// plugins/README.md is the plugin author guide: every snippet in it must work. Complete plugins
// load and pass their check (a file saved as wrong-*.js is meant to fail it) and type-check
// against api.d.ts; fragments are excerpts of a shipped plugin or of a complete snippet; project
// files compile; every `$ backprop-lab …` block is run and must print exactly what it shows.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../cli/plugins';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { nodeHost } from '../../helpers/project';
import { runBin, tempDir } from '../cli/run-bin';
import { newCatalog, PLUGINS_DIR, shipped } from './helpers';

const README = readFileSync(join(PLUGINS_DIR, 'README.md'), 'utf8');

interface Block {
  lang: string;
  code: string;
  /** The file name the guide tells the reader to save it as, if any. */
  saveAs?: string;
  line: number;
}

const blocks: Block[] = [];
for (const m of README.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
  const before = README.slice(0, m.index);
  // "Save this as `x.js`" applies to the next code block.
  const lastSave = [...before.matchAll(/Save this as `([^`]+)`/g)].at(-1);
  const saveAs =
    lastSave && !before.slice(lastSave.index).includes('```') ? lastSave[1] : undefined;
  blocks.push({ lang: m[1], code: m[2], saveAs, line: before.split('\n').length });
}

const isPlugin = (b: Block) =>
  (b.lang === 'js' || b.lang === 'ts') && b.code.includes('export default');
const plugins = blocks.filter(isPlugin);
const fragments = blocks.filter((b) => (b.lang === 'js' || b.lang === 'ts') && !isPlugin(b));
const fileName = (b: Block) => b.saveAs ?? `readme-line-${b.line}.${b.lang}`;

const SHIPPED = readdirSync(PLUGINS_DIR).filter(
  (f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'),
);

// A folder laid out as the guide assumes: the plugins under plugins/ (and wacky.js beside the
// project that names ./wacky.js), and every file the guide says to save.
const tmp = tempDir('backprop-lab-readme-');
afterAll(() => tmp.cleanup());
mkdirSync(join(tmp.dir, 'plugins'));
for (const f of readdirSync(PLUGINS_DIR))
  copyFileSync(join(PLUGINS_DIR, f), join(tmp.dir, 'plugins', f));
copyFileSync(join(PLUGINS_DIR, 'wacky.js'), join(tmp.dir, 'wacky.js'));
for (const b of blocks) if (b.saveAs) writeFileSync(join(tmp.dir, b.saveAs), b.code);

const normalize = (code: string) =>
  code
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');

describe('plugins/README.md', () => {
  it('has the snippets this test expects', () => {
    expect(plugins.length).toBeGreaterThanOrEqual(3);
    expect(fragments.length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((b) => b.lang === 'console').length).toBeGreaterThanOrEqual(3);
  });

  it.each(plugins.map((b) => [fileName(b), b] as const))(
    'the plugin %s loads and passes its check (unless it is a wrong- example)',
    async (name, b) => {
      const status = await newCatalog().load(name, b.code);
      expect(status.ok, status.error?.message).toBe(true);
      for (const layer of status.layers)
        expect(layer.check.ok, `${layer.type}: ${JSON.stringify(layer.check)}`).toBe(
          !name.startsWith('wrong-'),
        );
    },
  );

  it('the whole Wacky plugin it shows is plugins/wacky.js', () => {
    const shown = plugins.find((b) => b.code.includes("type: 'Wacky'"));
    expect(shown?.code).toBe(shipped('wacky.js'));
  });

  it('every fragment is an excerpt of a shipped plugin or of a complete snippet', () => {
    const sources = [...SHIPPED.map(shipped), ...plugins.map((b) => b.code)].map(normalize);
    for (const f of fragments) {
      const text = normalize(f.code);
      expect(
        sources.some((s) => s.includes(text)),
        `README.md line ${f.line}: not found in any plugin:\n${f.code}`,
      ).toBe(true);
    }
  });

  it('every complete snippet type-checks against api.d.ts', () => {
    const dir = join(tmp.dir, 'typecheck');
    mkdirSync(dir);
    copyFileSync(join(PLUGINS_DIR, 'api.d.ts'), join(dir, 'api.d.ts'));
    const files = plugins.map((b) => {
      const path = join(dir, fileName(b));
      writeFileSync(path, b.code);
      return path;
    });
    const program = ts.createProgram(files, {
      allowJs: true,
      checkJs: true,
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

  it('every project file compiles with the shipped plugins', async () => {
    const { registry } = await loadPlugins(
      SHIPPED.map((f) => ({ label: f, path: join(PLUGINS_DIR, f) })),
    );
    const projects = blocks.filter((b) => b.lang === 'json');
    expect(projects.length).toBeGreaterThanOrEqual(2);
    for (const b of projects) {
      const { graph } = prepareTraining(parseProject(JSON.parse(b.code)), {
        host: nodeHost,
        registry,
      });
      expect(graph.nodes.length).toBeGreaterThan(0);
    }
  });

  it.concurrent.each(
    blocks.filter((b) => b.lang === 'console').map((b) => [b.code.split('\n')[0], b] as const),
  )('%s prints what the guide shows', async (command, b) => {
    const args = command.replace(/^\$ backprop-lab /, '').split(' ');
    const r = await runBin(args, { cwd: tmp.dir });
    expect(r.stdout.trimEnd()).toBe(b.code.split('\n').slice(1).join('\n').trimEnd());
    expect(r.code).toBe(r.stdout.includes(': FAIL') ? 1 : 0);
  });

  it('the warning shown for a failed load-time check is the one the command line prints', async () => {
    const shown = blocks.filter((b) => b.lang === 'text' && b.code.startsWith('warning: '));
    expect(shown).toHaveLength(1);
    const label = /^warning: (\S+): /.exec(shown[0].code)![1];
    const warnings: string[] = [];
    await loadPlugins([{ label, path: join(tmp.dir, label) }], (w) => warnings.push(w));
    expect(warnings).toEqual([shown[0].code.trimEnd()]);
  });
});
