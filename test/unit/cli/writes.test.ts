// Issue 12, losing work: every file the command line writes is written atomically (a full disk or
// a read-only folder leaves the old file as it was and no temporary file behind), and an output
// that names one of the command's inputs (or another output) is refused before any work.
import { chmodSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { json, WACKY_PLUGIN, xorProject } from './fixtures';
import { hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir('bl-writes-');
afterAll(() => tmp.cleanup());

/** A project whose weights are big enough (about 260 kB) to pass a small file size limit. */
function bigProject(): string {
  const p = xorProject();
  p.nodes = [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units: 256 }, inputs: ['x'] },
    { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
    { id: 'fc2', type: 'Dense', params: { units: 256 }, inputs: ['h1'] },
    { id: 'h2', type: 'Tanh', inputs: ['fc2'] },
    { id: 'fc3', type: 'Dense', params: { units: 1 }, inputs: ['h2'] },
    { id: 'y', type: 'Sigmoid', inputs: ['fc3'] },
  ];
  p.output = 'y';
  p.layout = {};
  p.training = { ...p.training, epochs: 1 };
  return json(p);
}

describe('an output that is an input', () => {
  const project = tmp.file(
    'p.json',
    json({ ...xorProject(), training: { ...xorProject().training, epochs: 1 } }),
  );
  const before = readFileSync(project, 'utf8');

  it.each([
    [
      ['--export', project],
      /p\.json: --export would overwrite the project; an output must not be one of the files the command reads/,
    ],
    [['--report', project], /p\.json: --report would overwrite the project/],
  ])('train %j is refused and the project stays', async (extra, message) => {
    const r = await runBin(['train', project, ...extra, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(readFileSync(project, 'utf8')).toBe(before);
  });

  it('is found through a symbolic link and another folder name', async () => {
    const link = join(tmp.dir, 'link.json');
    symlinkSync(project, link);
    mkdirSync(join(tmp.dir, 'sub'));
    const r = await runBin(['train', project, '--export', link, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/link\.json: --export would overwrite the project \(.*p\.json\)/);
    const r2 = await runBin(['train', project, '--report', join(tmp.dir, 'sub', '..', 'p.json')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--report would overwrite the project/);
    expect(readFileSync(project, 'utf8')).toBe(before);
  });

  it('the --init weights, the data, a plugin and another output are inputs too', async () => {
    const w = join(tmp.dir, 'w.json');
    expect((await runBin(['train', project, '--export', w, '--quiet'])).code).toBe(0);
    const weights = readFileSync(w, 'utf8');
    const init = await runBin(['train', project, '--init', w, '--export', w, '--quiet']);
    expect(init.code).toBe(2);
    expect(init.stderr).toMatch(/w\.json: --export would overwrite the --init weights/);
    expect(readFileSync(w, 'utf8')).toBe(weights);

    const twice = await runBin(['train', project, '--export', w, '--report', w, '--quiet']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(
      /w\.json: --report would overwrite --export; give each output a file of its own/,
    );

    tmp.file('d.csv', 'a,b,t\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    const csv = tmp.file(
      'csv.json',
      json({ ...xorProject(), data: { source: 'csv:d.csv', target: 't' } }),
    );
    const data = await runBin([
      'predict',
      csv,
      '--weights',
      w,
      '--data',
      join(tmp.dir, 'd.csv'),
      '--out',
      join(tmp.dir, 'd.csv'),
    ]);
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(/d\.csv: --out would overwrite the project's data/);
    expect(readFileSync(join(tmp.dir, 'd.csv'), 'utf8')).toMatch(/^a,b,t\n/);

    const plugin = tmp.file('wacky.js', WACKY_PLUGIN);
    const code = await runBin([
      'predict',
      csv,
      '--weights',
      w,
      '--data',
      join(tmp.dir, 'd.csv'),
      '--plugin',
      plugin,
      '--out',
      plugin,
    ]);
    expect(code.code).toBe(2);
    expect(code.stderr).toMatch(/wacky\.js: --out would overwrite the plugin .*wacky\.js/);
    expect(readFileSync(plugin, 'utf8')).toBe(WACKY_PLUGIN);

    const out = await runBin(['export', project, '--weights', w, '--out', w]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/w\.json: --out would overwrite the --weights file/);
    expect(readFileSync(w, 'utf8')).toBe(weights);
  });
});

describe('a write that fails', () => {
  const project = tmp.file('big.json', bigProject());

  it('on a full disk leaves the old weights and report whole, and no temporary file', async () => {
    const dir = join(tmp.dir, 'full');
    mkdirSync(dir);
    const st = join(dir, 'big.safetensors');
    const report = join(dir, 'report.json');
    const ok = await runBin(['train', project, '--export', st, '--report', report, '--quiet']);
    expect(ok.stderr).toBe('');
    const weights = readFileSync(st);
    expect(weights.length).toBeGreaterThan(200_000);
    const reportText = readFileSync(report, 'utf8');

    // 64 KiB: the weights do not fit, as on a disk that is full.
    const full = await runBin(['train', project, '--export', st, '--quiet', '--seed', '7'], {
      fileLimitKb: 64,
    });
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(
      /big\.safetensors: cannot write the export: the file would be larger than the system allows/,
    );
    expect(hasStackTrace(full.stderr)).toBe(false);
    expect(Buffer.compare(readFileSync(st), weights)).toBe(0);
    // What is there still reads back (--init takes it).
    expect(Object.keys(readSafetensors(new Uint8Array(readFileSync(st))).tensors)).toContain(
      'fc2.weight',
    );
    expect(readFileSync(report, 'utf8')).toBe(reportText);
    expect(readdirSync(dir).sort()).toEqual(['big.safetensors', 'report.json']);
  });

  it('in a read-only folder names the file and the reason, and leaves the old file', async () => {
    const dir = join(tmp.dir, 'ro');
    mkdirSync(dir);
    chmodSync(tmp.dir, 0o755);
    const out = join(dir, 'w.json');
    expect((await runBin(['train', project, '--export', out, '--quiet'])).code).toBe(0);
    const before = readFileSync(out, 'utf8');
    chmodSync(dir, 0o555);
    try {
      // Root ignores a folder's permissions: run as an ordinary user then.
      const asUser = process.getuid?.() === 0 ? { uid: 65534 } : {};
      const r = await runBin(['train', project, '--export', out, '--quiet'], asUser);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/w\.json: cannot write the export: permission denied/);
      expect(readFileSync(out, 'utf8')).toBe(before);
      expect(readdirSync(dir)).toEqual(['w.json']);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
