// Issue 12, nothing hangs silently: a plugin that never returns (`for (;;) {}` in forward, in
// backward, at load time, in a gradient check) stops the command within its --step-timeout
// with one message naming the node, the plugin and the phase, exit code 1, and nothing written:
// a --save file from an earlier run keeps its weights. The command runs on a worker thread that
// the main thread watches (cli/thread/watched.ts); these run the real bin.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, xorProject } from './fixtures';
import { hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir('bl-step-timeout-');
afterAll(() => tmp.cleanup());

/**
 * A pass-through layer; `hang` is a statement run in forward or backward on training batches
 * (batch 16; the load-time gradient check runs batches of 2 or 3).
 */
function plugin(o: { forward?: string; backward?: string; top?: string } = {}): string {
  return `${o.top ?? ''}
export default {
  type: 'Pass',
  params: {},
  build({ inShapes }) { return { outShape: inShapes[0], weights: {} }; },
  forward(ctx, x) {
    if (x.shape[0] > 8) { ${o.forward ?? ''} }
    const y = ctx.zeros(x.shape); y.data.set(x.data); return y;
  },
  backward(ctx, gy) {
    if (gy.shape[0] > 8) { ${o.backward ?? ''} }
    const g = ctx.zeros(gy.shape); g.data.set(gy.data); return { x: g };
  },
};
`;
}

/** examples/xor.json with a Pass node w1 from `file` after the hidden layer. */
function projectWith(file: string, epochs = 3): string {
  const p = xorProject();
  const at = p.nodes.findIndex((n: { id: string }) => n.id === 'h1') + 1;
  p.nodes.splice(at, 0, { id: 'w1', type: 'Pass', inputs: ['h1'] });
  p.nodes[at + 1].inputs = ['w1'];
  p.plugins = [`./${file}`];
  p.layout = {};
  p.training = { ...p.training, epochs };
  return json(p);
}

/** A generous bound on how long a stopped command may take in all (startup on a busy machine). */
const HANG_BOUND_MS = 40_000;

async function timed(args: string[]): Promise<{ ms: number } & Awaited<ReturnType<typeof runBin>>> {
  const t0 = performance.now();
  const r = await runBin(args, { cwd: tmp.dir });
  return { ...r, ms: performance.now() - t0 };
}

describe.concurrent('--step-timeout', () => {
  it('stops an endless loop in forward, naming node, plugin and phase, and writes nothing', async () => {
    tmp.file('fwd.js', plugin({ forward: 'for (;;) {}' }));
    const project = tmp.file('fwd.json', projectWith('fwd.js'));
    const r = await timed([
      'train',
      project,
      '--step-timeout',
      '1',
      '--export',
      join(tmp.dir, 'fwd.safetensors'),
      '--report',
      join(tmp.dir, 'fwd-report.json'),
      '--save',
      join(tmp.dir, 'fwd-saved.json'),
    ]);
    expect(r.stderr).toContain(
      'backprop-lab: node w1 (Pass from plugin ./fwd.js): forward did not finish within 1 s (during a training step: epoch 1, step 1), so the command was stopped: nothing was written',
    );
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
    expect(hasStackTrace(r.stderr)).toBe(false);
    for (const f of ['fwd.safetensors', 'fwd-report.json', 'fwd-saved.json'])
      expect(existsSync(join(tmp.dir, f))).toBe(false);
  });

  it('stops an endless loop in backward, at the step where it hangs', async () => {
    // Hangs from the 12th batch on: epoch 2 (10 training batches an epoch), step 12.
    tmp.file(
      'bwd.js',
      plugin({ top: 'let calls = 0;', backward: 'if (++calls >= 12) for (;;) {}' }),
    );
    const project = tmp.file('bwd.json', projectWith('bwd.js'));
    const r = await timed(['train', project, '--step-timeout', '1.5']);
    expect(r.stderr).toContain(
      'node w1 (Pass from plugin ./bwd.js): backward did not finish within 1.5 s (during a training step: epoch 2, step 12), so the command was stopped',
    );
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(HANG_BOUND_MS);
  });

  it('stops a plugin that loops while it loads, by the default limit of 5 s', async () => {
    tmp.file('load.js', plugin({ top: 'for (;;) {}' }));
    const project = tmp.file('load.json', projectWith('load.js'));
    const r = await timed(['train', project]);
    expect(r.stderr).toContain(
      'backprop-lab: loading the plugin ./load.js did not finish within 5 s, so the command was stopped',
    );
    expect(r.code).toBe(1);
    expect(r.ms).toBeGreaterThan(5000);
    expect(r.ms).toBeLessThan(5000 + HANG_BOUND_MS);
  });

  it('stops a gradient check whose layer loops in forward', async () => {
    const file = tmp.file('always.js', plugin().replace('if (x.shape[0] > 8) {  }', 'for (;;) {}'));
    expect(readFileSync(file, 'utf8')).toContain('for (;;) {}');
    const r = await timed(['gradcheck', file, '--in-shape', '3', '--step-timeout', '1']);
    expect(r.stderr).toMatch(
      /^backprop-lab: node gradcheck \(Pass from plugin .*always\.js\): forward did not finish within 1 s \(during loading the plugin .*always\.js\), so the command was stopped\n$/,
    );
    expect(r.code).toBe(1);
  });

  it('keeps the last good weights: a --save file from an earlier run is left as it was', async () => {
    const pass = tmp.file('resume.js', plugin());
    const project = tmp.file('resume.json', projectWith('resume.js', 2));
    const saved = join(tmp.dir, 'resume-saved.json');
    const first = await runBin(['train', project, '--save', saved, '--quiet']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const before = readFileSync(saved, 'utf8');
    expect(JSON.parse(before).trained.epoch).toBe(2);
    // The same plugin, now hanging in forward: the resumed run stops in its first step.
    writeFileSync(pass, plugin({ forward: 'for (;;) {}' }));
    const r = await timed([
      'train',
      saved,
      '--resume',
      '--epochs',
      '4',
      '--save',
      saved,
      '--step-timeout',
      '1',
    ]);
    expect(r.stderr).toContain('(during a training step: epoch 3, step 1)');
    expect(r.stderr).toContain('nothing was written');
    expect(r.code).toBe(1);
    expect(readFileSync(saved, 'utf8')).toBe(before);
  });

  it('limits each step, not the run: a run far longer than the limit finishes', async () => {
    tmp.file('quick.js', plugin());
    const project = tmp.file('quick.json', projectWith('quick.js', 2000));
    const report = join(tmp.dir, 'quick-report.json');
    const r = await timed(['train', project, '--step-timeout', '1', '--report', report, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 20,000 steps through the plugin (about 3.6 s on an idle machine) took longer than one step may.
    expect(JSON.parse(readFileSync(report, 'utf8')).timing.seconds).toBeGreaterThan(1);
  });

  it.each(['0', '-1', 'soon', '1e9', ''])('refuses --step-timeout %j', async (value) => {
    const r = await runBin(['train', 'missing.json', `--step-timeout=${value}`], {
      cwd: tmp.dir,
    });
    expect(r.stderr).toContain(
      `backprop-lab: option --step-timeout must be a number of seconds above 0 and at most 86400, got '${value}'`,
    );
    expect(r.code).toBe(2);
  });

  it('is shown in the help of every command that runs plugins', async () => {
    const rs = await Promise.all(
      ['train', 'info', 'predict', 'export', 'gradcheck'].map((c) => runBin([c, '--help'])),
    );
    for (const r of rs) expect(r.stdout).toContain('--step-timeout SECONDS');
  });
});
