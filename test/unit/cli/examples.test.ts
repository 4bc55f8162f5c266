import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function train(example: string): Promise<any> {
  const report = join(tmp.dir, `${example}-report.json`);
  const r = await runBin([
    'train',
    join(EXAMPLES, `${example}.json`),
    '--quiet',
    '--report',
    report,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(report, 'utf8'));
}

describe.concurrent('every example project trains from the command line', () => {
  it('xor', async () => {
    const r = await train('xor');
    expect(r.accuracy.test.at(-1)).toBeGreaterThanOrEqual(0.95);
  });

  it('spiral: train accuracy ≥ 0.9', async () => {
    const r = await train('spiral');
    expect(r.name).toBe('Spiral');
    expect(r.accuracy.final).toBeGreaterThanOrEqual(0.9);
  });

  it('iris: test accuracy ≥ 0.9', async () => {
    const r = await train('iris');
    expect(r.loss.type).toBe('CrossEntropy');
    expect(r.accuracy.testFinal).toBeGreaterThanOrEqual(0.9);
  });

  it('digits: test accuracy ≥ 0.9', async () => {
    const r = await train('digits');
    expect(r.accuracy.testFinal).toBeGreaterThanOrEqual(0.9);
    // 64-64-10: a [32, 64] batch into fc1 and the ReLU's [32, 64] output are kept for backward.
    expect(r.memory.nodes.fc1.savedBytes).toBe(32 * 64 * 4);
    expect(r.parameters).toBe(64 * 64 + 64 + 64 * 10 + 10);
  });

  it('every example has a layout entry for each node', () => {
    for (const name of ['xor', 'spiral', 'iris', 'digits']) {
      const p = JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8'));
      expect(Object.keys(p.layout).sort(), name).toEqual(p.nodes.map((n: any) => n.id).sort());
    }
  });
});
