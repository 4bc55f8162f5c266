import { describe, expect, it } from 'vitest';
import type { EpochStats } from '../../../core/train/trainer';
import {
  type CommandSpec,
  helpText,
  intOption,
  listOption,
  parseCommandArgs,
} from '../../../cli/args';
import { exitCodeOf, formatError, withFile } from '../../../cli/errors';
import { parseInShapes } from '../../../cli/gradcheck';
import { jsonSyntaxError } from '../../../core/util/json-position';
import { isReportedEpoch, ProgressLine } from '../../../cli/progress-line';
import { LabError } from '../../../core/util/errors';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo',
  positionals: [{ name: 'FILE', description: 'a file' }],
  options: {
    n: { kind: 'string', value: 'N', description: 'a number' },
    tag: { kind: 'string', multiple: true, description: 'tags' },
    quiet: { kind: 'flag', description: 'hush' },
  },
};

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).code).toBe('USAGE');
    return (e as LabError).message;
  }
  throw new Error('expected a usage error');
}

describe('parseCommandArgs', () => {
  it('reads positionals, values, repeated options, flags and --name=value', () => {
    const a = parseCommandArgs(spec, ['--tag', 'a', 'f.json', '--n=3', '--tag', 'b', '--quiet']);
    expect(a.positionals).toEqual(['f.json']);
    expect(a.values).toEqual({ tag: ['a', 'b'], n: '3', quiet: true });
    expect(listOption(a, 'tag')).toEqual(['a', 'b']);
    expect(intOption(a, 'n', 0)).toBe(3);
  });

  it('takes a negative number as a value and everything after -- as positionals', () => {
    const a = parseCommandArgs(spec, ['--n', '-4', '--', '--odd-name.json']);
    expect(a.values.n).toBe('-4');
    expect(a.positionals).toEqual(['--odd-name.json']);
  });

  it('names the option in every mistake', () => {
    expect(usageMessage(() => parseCommandArgs(spec, ['f', '--nope']))).toMatch(
      /^unknown option --nope for 'demo'/,
    );
    expect(usageMessage(() => parseCommandArgs(spec, ['f', '-x']))).toMatch(/^unknown option -x/);
    expect(usageMessage(() => parseCommandArgs(spec, ['f', '--n']))).toMatch(
      /^option --n needs a value/,
    );
    expect(usageMessage(() => parseCommandArgs(spec, ['f', '--n', '1', '--n', '2']))).toMatch(
      /more than once/,
    );
    expect(usageMessage(() => parseCommandArgs(spec, ['f', '--quiet=yes']))).toMatch(
      /--quiet takes no value/,
    );
    expect(usageMessage(() => parseCommandArgs(spec, []))).toMatch(/^missing argument FILE/);
    expect(usageMessage(() => parseCommandArgs(spec, ['a', 'b']))).toMatch(
      /^unexpected argument 'b'/,
    );
    const a = parseCommandArgs(spec, ['f', '--n', '2.5']);
    expect(usageMessage(() => intOption(a, 'n', 1))).toBe(
      "option --n must be a whole number ≥ 1, got '2.5'",
    );
  });

  it('accepts --help without the required arguments', () => {
    expect(parseCommandArgs(spec, ['--help']).help).toBe(true);
    expect(helpText(spec)).toMatch(/^Usage: backprop-lab demo FILE \[options\]\n/);
    expect(helpText(spec)).toMatch(/ {2}--tag … +tags\n/);
  });
});

describe('parseInShapes', () => {
  it('reads one shape per value, several joined with ;', () => {
    expect(parseInShapes(['4'])).toEqual([[4]]);
    expect(parseInShapes(['4,3', '2;5'])).toEqual([[4, 3], [2], [5]]);
    expect(parseInShapes(['[4, 3]'])).toEqual([[4, 3]]);
    expect(usageMessage(() => parseInShapes(['4,0']))).toMatch(/'4,0' is not a shape/);
    expect(usageMessage(() => parseInShapes([]))).toMatch(/needs --in-shape/);
  });
});

describe('jsonSyntaxError', () => {
  it('finds the line and column of the first mistake, agreeing with JSON.parse', () => {
    const bad: [string, number, number][] = [
      ['{\n  "a": oops\n}', 2, 8],
      ['{"a": [1, 2,]}', 1, 13],
      ['{"a": 1', 1, 8],
      ['{"a": 1}}', 1, 9],
      ['', 1, 1],
      ['{\n  "a": "line\nbreak"\n}', 2, 13],
      ["{ 'a': 1 }", 1, 3],
      ['[01]', 1, 3],
    ];
    for (const [text, line, column] of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(jsonSyntaxError(text), text).toMatchObject({ line, column });
    }
    for (const ok of ['{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"]}', ' [] ', '"s"', '0']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(jsonSyntaxError(ok), ok).toBeNull();
    }
  });
});

describe('withFile', () => {
  it('puts the file and the field path in front of a message that lacks them', () => {
    const e = withFile(
      new LabError('DATA', 'unknown built-in data set', { path: 'data.source' }),
      'p.json',
    );
    expect((e as LabError).message).toBe('p.json: data.source: unknown built-in data set');
    expect((e as LabError).place.file).toBe('p.json');
    const named = new LabError('CSV', 'p.json: x.csv:3:2: bad cell', { file: 'x.csv' });
    expect(withFile(named, 'p.json')).toBe(named);
  });
});

describe('formatError and exitCodeOf', () => {
  it('bad input is 2, divergence 1, anything else an internal error 70 with its stack only on --debug', () => {
    expect(exitCodeOf(new LabError('CSV', 'x'))).toBe(2);
    expect(exitCodeOf(new LabError('NON_FINITE', 'x'))).toBe(1);
    const bug = new TypeError('cannot read properties of undefined');
    expect(exitCodeOf(bug)).toBe(70);
    expect(formatError(bug, false)).toBe(
      'backprop-lab: internal error: cannot read properties of undefined\n  (run again with --debug for the stack trace)\n',
    );
    expect(formatError(bug, true)).toContain(bug.stack!);
  });
});

describe('ProgressLine', () => {
  const epoch = (n: number): EpochStats => ({
    epoch: n,
    trainLoss: 0.5,
    trainAccuracy: 0.75,
    testLoss: 0.25,
    testAccuracy: 1,
  });
  const step = (e: number, last: boolean, epochs: number) => ({
    epoch: e,
    batch: 0,
    batchesPerEpoch: 1,
    loss: 0.5,
    samples: 10,
    epochDone: last ? epoch(e) : null,
    finished: last && e === epochs,
  });

  it('on a terminal redraws one line in place and ends it', () => {
    const written: string[] = [];
    let t = 0;
    const p = new ProgressLine(
      3,
      { isTTY: true, columns: 200, write: (s) => written.push(s) },
      () => (t += 1000),
    );
    for (let e = 1; e <= 3; e++) p.step(step(e, true, 3), 123);
    p.finish();
    expect(written).toHaveLength(4);
    expect(written.slice(0, 3).every((s) => s.startsWith('\r\x1b[2K'))).toBe(true);
    expect(written[2]).toMatch(
      /epoch 3\/3 +█+ +loss 0\.5000 +acc 75\.0% +test acc 100\.0% +123 samples\/s$/,
    );
    expect(written[3]).toBe('\n');
  });

  it('elsewhere writes a line every ~10% of the epochs', () => {
    const written: string[] = [];
    const p = new ProgressLine(25, { isTTY: false, write: (s) => written.push(s) });
    for (let e = 1; e <= 25; e++) p.step(step(e, true, 25), 50);
    p.finish();
    expect(written.map((s) => s.slice(0, 11))).toEqual(
      [3, 6, 9, 12, 15, 18, 21, 24, 25].map((e) => `epoch ${String(e).padStart(2)}/25`),
    );
    expect(written[0]).toBe(
      'epoch  3/25  loss 0.5000  acc 75.0%  test loss 0.2500  test acc 100.0%  50 samples/s\n',
    );
    expect(isReportedEpoch(1, 1)).toBe(true);
  });
});
