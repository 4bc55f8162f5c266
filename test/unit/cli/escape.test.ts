// Issue 12 on the command line: plugins that reach for Node (fs, child_process, process, the
// global object, a dynamic import) fail through the real `backprop-lab` command, naming the
// plugin, and nothing they tried happened.
import { existsSync } from 'node:fs';
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
