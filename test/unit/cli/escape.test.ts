// Issue 12 on the command line: plugins that reach for Node (fs, child_process, process, the
// global object, a dynamic import) fail through the real `backprop-lab` command, naming the
// plugin, and nothing they tried happened.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ESCAPE_ATTEMPTS,
  escapeFile,
  escapePlugin,
  escapeType,
} from '../../helpers/escape-attempts';
import { makeProject } from '../../helpers/project';
import { hasStackTrace, runBin, tempDir } from './run-bin';

const NODE_WAYS = [
  'import-fs',
  'import-node-fs',
  'require',
  'process',
  'global',
  'module',
  'fetch',
];
const tmp = tempDir('bl-escape-');
afterAll(() => tmp.cleanup());

describe('a plugin that reaches for Node, run by the command line', () => {
  it.each(NODE_WAYS.map((id) => [id, ESCAPE_ATTEMPTS.find((a) => a.id === id)!] as const))(
    '%s',
    async (_id, a) => {
      const marker = join(tmp.dir, `escaped-${a.id}`);
      const plugin = tmp.file(escapeFile(a), escapePlugin(a).replaceAll('/tmp/escaped', marker));
      const project = makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'p', type: escapeType(a), inputs: ['x'] },
          { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['p'] },
          { id: 'y', type: 'Sigmoid', inputs: ['fc'] },
        ],
        { plugins: [`./${escapeFile(a)}`] },
      );
      project.training = { ...project.training, epochs: 1 };
      const file = tmp.file(`${a.id}.json`, JSON.stringify(project));

      const train = await runBin(['train', file, '--quiet']);
      expect(train.code, train.stderr).not.toBe(0);
      expect(train.stderr).toContain(escapeFile(a));
      expect(train.stderr).toMatch(a.expect);
      expect(hasStackTrace(train.stderr)).toBe(false);

      const check = await runBin(['gradcheck', plugin, '--in-shape', '3']);
      expect(check.code).not.toBe(0);
      expect(check.stdout + check.stderr).toContain(escapeFile(a));
      expect(check.stdout + check.stderr).toMatch(a.expect);
      expect(existsSync(marker)).toBe(false);
    },
  );
});

describe("a project's plugin from outside its folder", () => {
  it('is not run without --allow-plugin, and is with it', async () => {
    const theirs = join(tmp.dir, 'downloads', 'theirs');
    mkdirSync(theirs, { recursive: true });
    const elsewhere = tmp.file(
      'elsewhere.js',
      "console.log('the plugin ran');\nexport default { type: 'Elsewhere', build: ({ inShapes }) => ({ outShape: inShapes[0] }), forward: (ctx, x) => ctx.ops.scale(x, 1) };\n",
    );
    const project = makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'e', type: 'Elsewhere', inputs: ['x'] },
        { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['e'] },
        { id: 'y', type: 'Sigmoid', inputs: ['fc'] },
      ],
      { plugins: ['../../elsewhere.js'] },
    );
    project.training = { ...project.training, epochs: 1 };
    const file = join(theirs, 'p.json');
    writeFileSync(file, JSON.stringify(project));

    for (const command of [['train'], ['info'], ['export', '--out', join(tmp.dir, 'e.json')]]) {
      const r = await runBin([command[0], file, ...command.slice(1)], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `backprop-lab: ${file}: names a plugin outside its folder and the shipped plugins (../../elsewhere.js); a project from elsewhere runs no code without consent: if you trust it, run again with --allow-plugin elsewhere.js`,
      );
      expect(r.stderr).not.toContain('the plugin ran');
    }
    const ok = await runBin(['train', file, '--quiet', '--allow-plugin', elsewhere]);
    expect(ok.stderr).toContain('elsewhere.js: the plugin ran');
    expect(ok.code).toBe(0);
  });
});
