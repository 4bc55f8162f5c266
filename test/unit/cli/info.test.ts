import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { xorProject } from './fixtures';
import { EXAMPLES, runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Table rows by node id: the cells of each line that starts with an id. */
function rows(stdout: string, ids: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s{2,}/);
    if (ids.includes(cells[0])) out.set(cells[0], cells);
  }
  return out;
}

describe.concurrent('backprop-lab info', () => {
  it('lists every node with shape, parameters, flags and measured bytes', async () => {
    const r = await runBin(['info', join(EXAMPLES, 'xor.json'), '--batch', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ids = ['x', 'fc1', 'h1', 'fc2', 'y', '(loss)'];
    const table = rows(r.stdout, ids);
    expect([...table.keys()]).toEqual(ids);
    // node, type, inputs, output, params, flags, saved bytes
    expect(table.get('fc1')).toEqual([
      'fc1',
      'Dense',
      'x',
      '[8]',
      '24',
      'trainable',
      String(4 * 2 * 4),
    ]);
    expect(table.get('h1')).toEqual(['h1', 'Tanh', 'fc1', '[8]', '0', '-', String(4 * 8 * 4)]);
    // fc2's input is h1's output, already held by h1: counted once.
    expect(table.get('fc2')).toEqual(['fc2', 'Dense', 'h1', '[1]', '9', 'trainable', '0']);
    expect(table.get('y')?.at(-1)).toBe(String(4 * 1 * 4));
    const saved = [...table.values()].reduce((s, c) => s + Number(c.at(-1)), 0);
    expect(r.stdout).toContain(`peak saved for backward: ${saved} bytes`);
    expect(r.stdout).toMatch(/^XOR \(.*xor\.json\): 5 nodes, 33 parameters \(33 trainable\)/);
  });

  it('shows frozen, detach and recompute, and what they change', async () => {
    const variant = (name: string, change: (p: any) => void) => {
      const p = xorProject();
      change(p);
      return tmp.file(name, JSON.stringify(p));
    };
    const [frozen, detached, recompute] = await Promise.all([
      runBin(['info', variant('frozen.json', (p) => (p.nodes[1].frozen = true)), '--batch', '4']),
      runBin(['info', variant('detach.json', (p) => (p.nodes[3].detach = true)), '--batch', '4']),
      runBin([
        'info',
        variant('recompute.json', (p) => (p.nodes[1].memory = p.nodes[2].memory = 'recompute')),
        '--batch',
        '4',
      ]),
    ]);
    const ids = ['fc1', 'h1', 'fc2'];
    // A frozen first layer: nothing upstream needs a gradient, so fc1 and h1 keep nothing.
    const f = rows(frozen.stdout, ids);
    expect(f.get('fc1')?.slice(5)).toEqual(['frozen', '0']);
    expect(f.get('h1')?.slice(5)).toEqual(['-', '0']);
    expect(frozen.stdout).toContain('33 parameters (9 trainable)');
    // Detaching fc2 stops the gradient: fc1 is no longer trained.
    const d = rows(detached.stdout, ids);
    expect(d.get('fc2')?.slice(5)).toEqual(['trainable, detach', String(4 * 8 * 4)]);
    expect(d.get('fc1')?.slice(5)).toEqual(['-', '0']);
    // A recompute segment keeps only what enters it; h1's output is made again in backward.
    const r = rows(recompute.stdout, ids);
    expect(recompute.stdout).toMatch(/saved bytes\s+recomputed bytes/);
    expect(r.get('fc1')?.slice(5)).toEqual(['trainable, recompute', String(4 * 2 * 4), '0']);
    expect(r.get('h1')?.slice(5)).toEqual(['recompute', '0', String(4 * 8 * 4)]);
  });
});
