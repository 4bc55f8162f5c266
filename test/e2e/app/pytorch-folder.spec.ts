// Export → PyTorch training folder in the browser: the .zip download holds the folder, and its
// train.py, run by Debian's python3-torch, trains the example as the engine trains it.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { download, openApp, openExportDialog } from './app';

const PYTHON = '/usr/bin/python3';
const UNZIP = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])';

test('the example exports as a PyTorch training folder (.zip) that trains in PyTorch', async ({
  page,
}) => {
  await openApp(page);
  const dialog = await openExportDialog(page);
  await dialog.getByText('PyTorch training folder').click();
  await expect(dialog).toContainText('Exports the training of the network as it is now');
  const zip = await download(page, () =>
    dialog.getByRole('button', { name: 'Export', exact: true }).click(),
  );
  expect(zip.name).toBe('xor-pytorch.zip');
  await expect(dialog.getByRole('status')).toContainText('Exported xor-pytorch.zip.');

  const dir = await mkdtemp(join(tmpdir(), 'backprop-lab-e2e-folder-'));
  try {
    await writeFile(join(dir, zip.name), zip.bytes);
    const unzip = spawnSync(PYTHON, ['-c', UNZIP, join(dir, zip.name), dir], { encoding: 'utf8' });
    expect(unzip.status, unzip.stderr).toBe(0);
    const folder = join(dir, 'xor-pytorch');
    expect((await readdir(folder)).sort()).toEqual([
      'README.md',
      'data.safetensors',
      'initial.safetensors',
      'lab_rng.py',
      'model.py',
      'project.json',
      'train.py',
      'training.json',
    ]);
    const torch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    test.skip(torch.status !== 0, `${PYTHON} cannot import torch: the folder is not trained here`);
    const run = spawnSync(
      PYTHON,
      [join(folder, 'train.py'), '--epochs', '2', '--out', join(dir, 'trained.safetensors')],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('epoch 2/2');
    expect(run.stdout).toContain('trained.safetensors');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
