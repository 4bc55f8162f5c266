import { afterAll, describe, expect, it } from 'vitest';
import { WACKY_PLUGIN, WRONG_WACKY_PLUGIN } from './fixtures';
import { runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The row of one tensor in the gradcheck table: name, shape, abs error, rel error, … result. */
function row(stdout: string, tensor: string): string[] {
  const line = stdout.split('\n').find((l) => l.trim().startsWith(`${tensor} `));
  expect(line, `a row for ${tensor} in:\n${stdout}`).toBeDefined();
  return line!.trim().split(/\s{2,}/);
}

const TWO_INPUTS = `
export default {
  type: 'Gate',
  inputs: 2,
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  // Backward by autograd through ctx.ops.
  forward: (ctx, [a, b]) => ctx.ops.mul(a, ctx.ops.sigmoid(b)),
};
`;

describe.concurrent('backprop-lab gradcheck', () => {
  it('passes a correct plugin: exit 0, max absolute and relative error per tensor', async () => {
    const r = await runBin(['gradcheck', tmp.file('wacky.js', WACKY_PLUGIN), '--in-shape', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gradcheck Wacky: PASS/);
    expect(r.stdout).toMatch(/max abs err\s+max rel err/);
    for (const t of ['x', 'a']) {
      const [, shape, abs, rel, , , , result] = row(r.stdout, t);
      expect(shape).toBe(t === 'x' ? '[2, 4]' : '[4]');
      expect(Number(abs)).toBeLessThan(1e-6);
      expect(Number(rel)).toBeLessThan(1e-4);
      expect(result).toBe('PASS');
    }
  });

  it('fails a wrong backward: exit 1, naming the tensor that does not match', async () => {
    const file = tmp.file('wrong.ts', WRONG_WACKY_PLUGIN);
    const r = await runBin(['gradcheck', file, '--in-shape', '4,3', '--batch', '3', '--seed', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^gradcheck WrongWacky: FAIL/);
    expect(row(r.stdout, 'x')[1]).toBe('[3, 4, 3]');
    expect(row(r.stdout, 'x').at(-1)).toBe('PASS');
    expect(row(r.stdout, 'a')[1]).toBe('[4, 3]');
    expect(row(r.stdout, 'a').at(-1)).toBe('FAIL');
  });

  it('checks a two-input layer given one --in-shape per input, or joined with ;', async () => {
    const file = tmp.file('gate.js', TWO_INPUTS);
    const [repeated, joined] = await Promise.all([
      runBin(['gradcheck', file, '--in-shape', '3', '--in-shape', '3']),
      runBin(['gradcheck', file, '--in-shape', '3;3']),
    ]);
    expect(repeated.code).toBe(0);
    expect(joined.stdout).toBe(repeated.stdout);
    expect(row(repeated.stdout, 'x[0]').at(-1)).toBe('PASS');
    expect(row(repeated.stdout, 'x[1]').at(-1)).toBe('PASS');
  });

  it('checks each layer of a plugin that exports several, or the one --type names', async () => {
    // Plugins import nothing: both layers in one file, exported as an array.
    const file = tmp.file(
      'several.js',
      WACKY_PLUGIN.replace('export default', 'const good =') +
        WRONG_WACKY_PLUGIN.replace('export default', 'const bad =') +
        'export default [good, bad];\n',
    );
    const [all, one] = await Promise.all([
      runBin(['gradcheck', file, '--in-shape', '4']),
      runBin(['gradcheck', file, '--in-shape', '4', '--type', 'Wacky']),
    ]);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('gradcheck Wacky: PASS');
    expect(all.stdout).toContain('gradcheck WrongWacky: FAIL');
    expect(all.stdout).toContain('1 of 2 layers failed: WrongWacky');
    expect(one.code).toBe(0);
    expect(one.stdout).not.toContain('WrongWacky');
  });

  it('exits 2 when the arguments do not fit the layer', async () => {
    const file = tmp.file('gate2.js', TWO_INPUTS);
    const [arity, params, shape, missing] = await Promise.all([
      runBin(['gradcheck', file, '--in-shape', '3']),
      runBin(['gradcheck', 'Dense', '--in-shape', '3', '--params', '{"units": 0}']),
      runBin(['gradcheck', file, '--in-shape', '3,x']),
      runBin(['gradcheck', file]),
    ]);
    expect([arity.code, params.code, shape.code, missing.code]).toEqual([2, 2, 2, 2]);
    expect(arity.stderr).toMatch(/gate2\.js: layer 'Gate' takes 2 inputs, but --in-shape gives 1/);
    expect(params.stderr).toMatch(/Dense: --params: units: must be at least 1, got 0/);
    expect(shape.stderr).toMatch(/--in-shape: '3,x' is not a shape/);
    expect(missing.stderr).toMatch(/gradcheck needs --in-shape/);
  });
});
