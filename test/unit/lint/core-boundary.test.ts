// core/ is shared by the training worker, the renderer and Node: ESLint refuses what would tie it
// to one of them. Each refusal is tried on a probe file linted with the repository's own config.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The rules a piece of code breaks when it sits at `file` (default: a file in core/). */
async function broken(code: string, file = 'core/graph/probe.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${ROOT}${file}` });
  // The probes import names they do not use: that is not what they test.
  return result.messages
    .map((m) => m.ruleId ?? m.message)
    .filter((r) => r !== '@typescript-eslint/no-unused-vars');
}

describe('the core/ boundary', () => {
  it('lets core import core and use the language and its few host globals', async () => {
    const code = [
      "import { Tensor } from '../tensor/tensor';",
      "import { transform } from 'sucrase';",
      'export const t = [Tensor, transform, new TextEncoder(), performance.now(), Math.PI];',
    ].join('\n');
    expect(await broken(code)).toEqual([]);
  });

  it.each([
    ["import { useGraphStore } from '../../renderer/stores/graph';", 'the renderer'],
    ["import type { Host } from '../../renderer/host/host';", 'renderer types'],
    ["import { channels } from '../../electron/ipc/channels';", 'the Electron side'],
    ["import { main } from '../../cli/main';", 'the command line'],
    ["import { readFileSync } from 'node:fs';", 'a node: module'],
    ["import { join } from 'path';", 'a Node built-in'],
    ["import { Worker } from 'worker_threads';", 'another Node built-in'],
    ["import { ref } from 'vue';", 'Vue'],
    ["import { app } from 'electron';", 'Electron'],
  ])('refuses %s (%s)', async (code) => {
    expect(await broken(`${code}\nexport const x = 1;`)).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['export const debug = process.env.DEBUG;'],
    ['export const w = window.innerWidth;'],
    ['export const el = document.body;'],
    ['export const b = Buffer.from([1]);'],
    ['export const s = setTimeout(() => {}, 1);'],
    ['export const p = globalThis.process;'],
  ])('refuses a DOM or Node global: %s', async (code) => {
    const rules = await broken(code);
    expect(rules.length).toBeGreaterThan(0);
    expect(
      rules.every((r) => r === 'no-restricted-globals' || r === 'no-restricted-properties'),
    ).toBe(true);
  });

  it('leaves the same code alone outside core/', async () => {
    expect(await broken('export const debug = process.env.DEBUG;', 'cli/probe.ts')).toEqual([]);
  });
});
