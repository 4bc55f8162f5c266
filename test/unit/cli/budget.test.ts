// Issue 12 on the command line: absurd sizes are refused within moments, naming the node, its
// parameter count and the bytes, against half of the machine's memory or --memory-budget.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliMemoryBudget } from '../../../cli/memory-budget';
import { json, xorProject } from './fixtures';
import { EXAMPLES, hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir('bl-budget-');
afterAll(() => tmp.cleanup());

describe.concurrent('the memory budget on the command line', () => {
  it('refuses units: 2e9 in train and info, naming the node, parameters and bytes', async () => {
    const p = xorProject();
    p.nodes[1].params.units = 2e9;
    const file = tmp.file('huge.json', json(p));
    for (const command of ['train', 'info']) {
      const r = await runBin([command, file, '--memory-budget', '8GB']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `backprop-lab: ${file}: nodes[1]: node 'fc1' (Dense): needs about 402 GiB to train (6,000,000,000 parameters: 44.7 GiB with their gradients; 2,000,000,000 outputs per sample: 358 GiB at batch 16); the network needs about 775 GiB in all, over the memory budget of 8.0 GiB (set with --memory-budget)\n`,
      );
    }
    // The default: half of the machine's memory, said so.
    const r = await runBin(['train', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /over the memory budget of .* \(half of this machine's .*; change it with --memory-budget\)\n$/,
    );
  });

  it('refuses a gradient check of 100,000,000 inputs and 10 billion generated samples', async () => {
    const check = await runBin(['gradcheck', 'Tanh', '--in-shape', '100000000']);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(
      /^backprop-lab: Tanh: Error in Tanh \(node gradcheck\): the gradient check needs about 14\.9 GiB \(200,000,000 input values, 0 weights, 200,000,000 outputs\), over the memory budget/,
    );
    const p = xorProject();
    p.data.samples = 1e10;
    const data = await runBin(['train', tmp.file('samples.json', json(p))]);
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(
      /samples\.json: data\.samples: 10,000,000,000 samples of 3 values need about 335 GiB, over the memory budget/,
    );
    expect(hasStackTrace(data.stderr + check.stderr)).toBe(false);
  });

  it('refuses a file larger than the budget before reading it', async () => {
    const r = await runBin(['info', join(EXAMPLES, 'xor.json'), '--memory-budget', '100b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /xor\.json: the project is 1\.\d KiB, over the memory budget of 100 bytes \(set with --memory-budget\)\n$/,
    );
  });

  it('takes sizes in bytes, KB, MB, GB and TB (1024-based), and nothing else', async () => {
    expect(cliMemoryBudget('512MB').bytes).toBe(512 * 1024 ** 2);
    expect(cliMemoryBudget('1.5g').bytes).toBe(1.5 * 1024 ** 3);
    expect(cliMemoryBudget('2TiB').bytes).toBe(2 * 1024 ** 4);
    expect(cliMemoryBudget('4096').bytes).toBe(4096);
    expect(cliMemoryBudget(undefined).note).toMatch(/^half of this machine's/);
    for (const bad of ['0', '-1GB', 'lots', '8 parsecs', ''])
      expect(() => cliMemoryBudget(bad)).toThrow(/option --memory-budget must be a size like 8GB/);
    const r = await runBin(['train', join(EXAMPLES, 'xor.json'), '--memory-budget', 'huge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "backprop-lab: option --memory-budget must be a size like 8GB, 512MB or 1.5G, got 'huge'\n",
    );
  });
});
