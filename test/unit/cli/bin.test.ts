import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, EXAMPLES, runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.concurrent('the backprop-lab bin', () => {
  it('runs through a symlink, as npm links it into node_modules/.bin, from another folder', async () => {
    mkdirSync(join(tmp.dir, 'node_modules', '.bin'), { recursive: true });
    const link = join(tmp.dir, 'node_modules', '.bin', 'backprop-lab');
    symlinkSync(BIN, link);
    // A tsconfig.json of the user's in the working directory must not change how the CLI loads.
    tmp.file(
      'tsconfig.json',
      '{ "compilerOptions": { "jsx": "preserve", "paths": { "x": ["y"] } }, "extends": "./missing.json" }',
    );
    const r = await runBin(['train', join(EXAMPLES, 'iris.json'), '--epochs', '2', '--quiet'], {
      bin: link,
      cwd: tmp.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('prints help for the tool and for each command', async () => {
    const [main, train, gradcheck, info] = await Promise.all([
      runBin(['--help']),
      runBin(['train', '--help']),
      runBin(['gradcheck', '-h']),
      runBin(['help', 'info']),
    ]);
    expect(main.stdout).toMatch(/^Usage: backprop-lab <command>/);
    expect(main.stdout).toMatch(/train\s+Train a project/);
    expect(train.stdout).toMatch(/^Usage: backprop-lab train PROJECT \[options\]/);
    for (const opt of [
      '--epochs N',
      '--seed S',
      '--plugin FILE …',
      '--init',
      '--export FILE …',
      '--report',
      '--quiet',
      '--debug',
    ])
      expect(train.stdout).toContain(opt);
    expect(gradcheck.stdout).toContain('--in-shape 4[,3] …');
    expect(info.stdout).toContain('--batch B');
    expect([main.code, train.code, gradcheck.code, info.code]).toEqual([0, 0, 0, 0]);
  });

  it('without a command, shows the usage on stderr and exits 2', async () => {
    const r = await runBin([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: backprop-lab <command>/);
  });
});
