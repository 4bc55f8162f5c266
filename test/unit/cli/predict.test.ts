// Real-looking tabular data end to end on the command line: train with data.normalize, the
// statistics in the report, info and the exports, and `predict` on new raw rows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { parseWeightsMetadata } from '../../../core/io/weights-metadata';
import { Rng } from '../../../core/util/rng';
import { json } from './fixtures';
import { hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir('backprop-lab-predict-');
afterAll(() => tmp.cleanup());

/**
 * Breast-cancer-like rows: `smoothness` near 0.1 (±0.01), `area` in the thousands, `ratio` near
 * 0.002; malignant when area and smoothness are both high. Scales differ by 10⁶.
 */
function rows(n: number, seed: number): { line: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const smooth = 0.1 + 0.01 * rng.normal();
    const area = 1500 + 600 * rng.normal();
    const ratio = 0.002 + 0.0005 * rng.normal();
    const label = area + 60000 * (smooth - 0.1) > 1500 ? 'malignant' : 'benign';
    return { line: `${smooth.toFixed(5)},${area.toFixed(1)},${ratio.toFixed(6)}`, label };
  });
}

const TRAIN = rows(300, 1);
tmp.file(
  'cancer.csv',
  ['smoothness,area,ratio,diagnosis', ...TRAIN.map((r) => `${r.line},${r.label}`)].join('\n'),
);
const NEW = rows(40, 2);
// New rows: columns in another order, an id column, no diagnosis.
tmp.file(
  'new.csv',
  [
    'id,area,ratio,smoothness',
    ...NEW.map((r, i) => {
      const [s, a, q] = r.line.split(',');
      return `p${i},${a},${q},${s}`;
    }),
  ].join('\n'),
);

const project = (normalize: string) =>
  tmp.file(
    `cancer-${normalize}.json`,
    json({
      format: 'backprop-lab.project',
      version: 1,
      name: 'Cancer',
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [3] } },
        { id: 'fc1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
        { id: 'h', type: 'Tanh', inputs: ['fc1'] },
        { id: 'fc2', type: 'Dense', params: { units: 2 }, inputs: ['h'] },
      ],
      output: 'fc2',
      loss: { type: 'CrossEntropy' },
      data: { source: 'csv:cancer.csv', target: 'diagnosis', testFraction: 0.2, normalize },
      training: { optimizer: { type: 'adam', lr: 0.05 }, batchSize: 32, epochs: 40, seed: 4 },
    }),
  );

const STD = project('standardize');
const weights = join(tmp.dir, 'cancer.safetensors');
const report = join(tmp.dir, 'report.json');

describe('training with data.normalize on the command line', () => {
  it('trains, reports the statistics and writes them into the weights', async () => {
    const r = await runBin(['train', STD, '--export', weights, '--report', report, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.normalization.kind).toBe('standardize');
    expect(rep.normalization.features).toEqual(['smoothness', 'area', 'ratio']);
    expect(rep.normalization.offset[1]).toBeGreaterThan(1000); // the mean area
    expect(rep.normalization.scale[0]).toBeLessThan(0.1); // smoothness's deviation
    expect(rep.accuracy.testFinal).toBeGreaterThanOrEqual(0.9);
    const meta = parseWeightsMetadata(
      readSafetensors(new Uint8Array(readFileSync(weights))).metadata,
    );
    expect(meta.normalization).toEqual({
      kind: 'standardize',
      offset: rep.normalization.offset.map(Math.fround),
      scale: rep.normalization.scale.map(Math.fround),
    });
  });

  it('info states the statistics, feature by feature', async () => {
    const r = await runBin(['info', STD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Input normalization \(data\.normalize "standardize"\), statistics of the 240 training samples: x′ = \(x − mean\) \/ standard deviation/,
    );
    expect(r.stdout).toMatch(/^feature\s+mean\s+std$/m);
    for (const f of ['smoothness', 'area', 'ratio'])
      expect(r.stdout).toMatch(new RegExp(`^${f}\\s+[-\\d.e]+\\s+[\\d.e-]+$`, 'm'));
  });

  it('a bad class target stops before training: file, line and column, exit 2', async () => {
    const lines = ['a,b,label', ...Array.from({ length: 60 }, (_, i) => `${i},${i % 3},${i % 2}`)];
    lines[48] = '47,2,0.5'; // line 49 of the file
    tmp.file('bad-labels.csv', lines.join('\n'));
    const p = tmp.file(
      'bad-labels.json',
      json({
        format: 'backprop-lab.project',
        version: 1,
        nodes: [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
        ],
        output: 'fc',
        loss: { type: 'CrossEntropy' },
        data: { source: 'csv:bad-labels.csv', target: 'label' },
      }),
    );
    const r = await runBin(['train', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backprop-lab: ${p}: bad-labels.csv:49:3: CrossEntropy needs a class index 0..1 (a whole number) as target, got 0.5 (column 'label')\n`,
    );
  });

  it('a project without normalize has none in its report', async () => {
    const rp = join(tmp.dir, 'raw-report.json');
    const r = await runBin(['train', project('none'), '--epochs', '1', '--report', rp, '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(rp, 'utf8')).normalization).toBeNull();
  });
});

describe('backprop-lab predict', () => {
  it('writes a class and probabilities per new raw row, atomically', async () => {
    const out = join(tmp.dir, 'preds', 'preds.csv');
    const r = await runBin([
      'predict',
      STD,
      '--weights',
      weights,
      '--data',
      join(tmp.dir, 'new.csv'),
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote 40 predictions to ${out}\n`);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('class,p_benign,p_malignant');
    expect(lines).toHaveLength(41);
    let right = 0;
    lines.slice(1).forEach((line, i) => {
      const [cls, pb, pm] = line.split(',');
      expect(Math.abs(Number(pb) + Number(pm) - 1)).toBeLessThan(1e-6);
      expect(cls).toBe(Number(pm) > Number(pb) ? 'malignant' : 'benign');
      if (cls === NEW[i].label) right++;
    });
    expect(right / 40).toBeGreaterThanOrEqual(0.85);
    expect(readdirSync(join(tmp.dir, 'preds'))).toEqual(['preds.csv']); // no temporary file left
  });

  it('prints to stdout without --out', async () => {
    const r = await runBin([
      'predict',
      STD,
      '--weights',
      weights,
      '--data',
      join(tmp.dir, 'new.csv'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('class,p_benign,p_malignant');
  });

  it('names a bad cell by file, line and column, and exits 2', async () => {
    const bad = tmp.file('bad.csv', 'area,ratio,smoothness\n1500,0.002,0.1\n1600,abc,0.11\n');
    const r = await runBin(['predict', STD, '--weights', weights, '--data', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`backprop-lab: ${bad}:3:2: "abc" is not a number (column 'ratio')\n`);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('lists every bad cell and short row, each by line and column', async () => {
    const bad = tmp.file(
      'bad2.csv',
      'area,ratio,smoothness,id\n1500,0.002,0.1,\n1600,abc,0.11,a\n1700,0.003\n,0.1,0.1,c\n',
    );
    const r = await runBin(['predict', STD, '--weights', weights, '--data', bad]);
    expect(r.code).toBe(2);
    // The id column is not a feature: its empty and text cells are fine.
    expect(r.stderr).toBe(
      [
        `backprop-lab: ${bad}:3:2: "abc" is not a number (column 'ratio') (and 2 more problems)`,
        `  ${bad}:3:2: "abc" is not a number (column 'ratio')`,
        `  ${bad}:4:3: expected 4 fields, got 2 (column 'smoothness')`,
        `  ${bad}:5:1: empty cell (column 'area')`,
        '',
      ].join('\n'),
    );
  });

  it('names a missing feature column', async () => {
    const bad = tmp.file('no-area.csv', 'ratio,smoothness\n0.002,0.1\n');
    const r = await runBin(['predict', STD, '--weights', weights, '--data', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backprop-lab: ${bad}:1:1: the feature column 'area' is not in the header (the network takes smoothness, area, ratio); the columns are: ratio, smoothness\n`,
    );
  });

  it('needs --weights and --data', async () => {
    const r = await runBin(['predict', STD, '--data', join(tmp.dir, 'new.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/predict needs --weights W\.safetensors/);
  });
});

describe('a trained project (train --save) carries its weights and statistics', () => {
  const trained = join(tmp.dir, 'cancer-trained.json');

  it('predict needs no --weights: the same predictions; export carries the same statistics', async () => {
    const t = await runBin(['train', STD, '--quiet', '--save', trained]);
    expect(t.code).toBe(0);
    const saved = JSON.parse(readFileSync(trained, 'utf8')).trained;
    expect(saved.normalization.kind).toBe('standardize');
    expect(saved.normalization.offset).toHaveLength(3);

    const data = join(tmp.dir, 'new.csv');
    const fromFile = await runBin(['predict', STD, '--weights', weights, '--data', data]);
    const fromProject = await runBin(['predict', trained, '--data', data]);
    expect(fromProject.stderr).toBe('');
    expect(fromProject.code).toBe(0);
    expect(fromProject.stdout).toBe(fromFile.stdout);

    const st = join(tmp.dir, 'from-trained.safetensors');
    const e = await runBin(['export', trained, '--out', st]);
    expect(e.code).toBe(0);
    expect(e.stderr).toBe(''); // no note: the statistics came with the project
    const meta = (f: string) =>
      parseWeightsMetadata(readSafetensors(new Uint8Array(readFileSync(f))).metadata).normalization;
    expect(meta(st)).toEqual(meta(weights));
    // The file holds each float32 in its shortest text: read as float32, the same numbers.
    expect(meta(st)).toEqual({
      kind: 'standardize',
      offset: saved.normalization.offset.map(Math.fround),
      scale: saved.normalization.scale.map(Math.fround),
    });
  });

  it('resuming on inputs normalized another way is refused, naming the field', async () => {
    const v = JSON.parse(readFileSync(trained, 'utf8'));
    v.data.normalize = 'minmax';
    const other = tmp.file('cancer-other-normalize.json', json(v));
    const r = await runBin(['train', other, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'trained.normalization: the network was trained on inputs with data.normalize "standardize", but the project now says "minmax": set it back to resume',
    );
  });
});

describe('export with data.normalize', () => {
  it('from trained weights: their statistics, into the ONNX model', async () => {
    const onnx = join(tmp.dir, 'cancer.onnx');
    const r = await runBin(['export', STD, '--weights', weights, '--out', onnx]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(Buffer.from(readFileSync(onnx)).includes('x/normalize/sub')).toBe(true);
  });

  it('from a fresh initialisation: the project’s statistics, with a note', async () => {
    const onnx = join(tmp.dir, 'init.onnx');
    const r = await runBin(['export', STD, '--out', onnx]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /note: the initial weights carry no normalization statistics: "standardize" computed from the training split of .*cancer-standardize\.json's data/,
    );
    expect(Buffer.from(readFileSync(onnx)).includes('x/normalize/div')).toBe(true);
  });
});
