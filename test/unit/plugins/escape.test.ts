// Issue 12, in Node: every attempt of test/helpers/escape-attempts.ts fails, in the sandbox the
// command line and the app's worker share, with a message naming the plugin and saying why; and
// what no message can show: nothing of a plugin runs after it returns, a checked definition
// cannot be swapped, and one plugin cannot change what another computes.
import { describe, expect, it } from 'vitest';
import type { PluginStatus } from '../../../core/plugins/catalog';
import { isLabError } from '../../../core/util/errors';
import {
  ESCAPE_ATTEMPTS,
  escapeFile,
  escapePlugin,
  escapeType,
} from '../../helpers/escape-attempts';
import { firstError, loadOne, newCatalog, pluginMlp, prepare, shipped } from './helpers';

const inNode = ESCAPE_ATTEMPTS.filter((a) => a.only !== 'browser');

/** The load-time gradient check's message for a layer whose forward failed. */
function checkError(status: PluginStatus): string {
  const layer = status.layers[0];
  expect(layer.check.ok).toBe(false);
  return layer.check.gradcheck.error ?? '';
}

describe('an attempt at the top of the module: the file does not load', () => {
  it.each(inNode.filter((a) => a.at === 'load').map((a) => [a.id, a] as const))(
    '%s',
    async (_id, a) => {
      const { status } = await loadOne(escapeFile(a), escapePlugin(a));
      expect(status.ok).toBe(false);
      expect(status.error!.message).toMatch(a.expect);
      expect(status.error!.message).toContain(escapeFile(a));
    },
  );
});

describe('an attempt in forward: the check at load and training fail, naming the plugin', () => {
  it.each(inNode.filter((a) => a.at === 'forward').map((a) => [a.id, a] as const))(
    '%s',
    async (_id, a) => {
      const { catalog, status } = await loadOne(escapeFile(a), escapePlugin(a));
      expect(status.ok, status.error?.message).toBe(true);
      const check = checkError(status);
      expect(check).toMatch(a.expect);
      expect(check).toContain(escapeFile(a));

      const e = firstError(prepare(catalog.registry(), pluginMlp({ type: escapeType(a) })));
      expect(isLabError(e), String(e)).toBe(true);
      const message = (e as Error).message;
      expect(message).toMatch(a.expect);
      expect(message).toContain(`from plugin ${escapeFile(a)} (node p)`);
    },
  );
});

describe('what a plugin cannot do without a message to show it', () => {
  it('the built-ins stay as they were for every other layer (Math.exp, Array.prototype)', async () => {
    const evil = ESCAPE_ATTEMPTS.find((a) => a.id === 'math-exp')!;
    await loadOne(escapeFile(evil), escapePlugin(evil));
    expect(Math.exp(1)).toBe(Math.E);
    expect(Object.isFrozen(Math)).toBe(true);
    expect(({} as Record<string, unknown>).lr).toBeUndefined();
  });

  it('a plugin that swaps its own forward after the check is still called with the checked one', async () => {
    const source = `const def = {
  type: 'Swapper',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
    def.forward = (c, y) => c.ops.scale(y, 1000);
    this.forward = def.forward;
    return ctx.ops.scale(x, 2);
  },
};
export default def;
`;
    const { catalog, status } = await loadOne('swapper.js', source);
    expect(status.ok).toBe(true);
    const def = catalog.registry().get('Swapper')!.def;
    expect(Object.isFrozen(def)).toBe(true);
    const prepared = prepare(catalog.registry(), pluginMlp({ type: 'Swapper' }));
    for (let i = 0; i < 3; i++) prepared.trainer.step();
    // Ten forwards later, the layer still doubles (the swap changed only the plugin's own object).
    const { Tensor } = await import('../../../core/tensor/tensor');
    const { runLayer } = await import('../../../core/layers/run');
    const { Rng } = await import('../../../core/util/rng');
    const y = runLayer(
      def,
      [Tensor.from([1, 2], [1, 2])],
      {},
      {
        node: 'p',
        source: 'swapper.js',
        params: {},
        training: false,
        rng: new Rng(0),
        outShape: [2],
        multiInput: false,
      },
    );
    expect([...y.data]).toEqual([2, 4]);
  });

  it('an exported then() is never called: loading does not await what a plugin exports', async () => {
    const source = `${shipped('wacky.js')}\nexport function then() { throw new Error('then ran'); }\n`;
    const { status } = await loadOne('thenable.js', source);
    expect(status.ok, status.error?.message).toBe(true);
  });

  it('two plugins share no globals: one cannot set one, the other cannot read it', async () => {
    const layer = (type: string, description: string) =>
      `export default { type: '${type}', description: ${description}, build: ({ inShapes }) => ({ outShape: inShapes[0] }), forward: (ctx, x) => ctx.ops.scale(x, 1) };\n`;
    const catalog = newCatalog();
    const writer = await catalog.load(
      'writer.js',
      `let kept = 'set';\ntry { globalThis.secret = 'w'; } catch (e) { kept = 'refused'; }\n${layer('Writer', 'kept')}`,
    );
    expect(writer.ok, writer.error?.message).toBe(true);
    expect(writer.layers[0].description).toBe('refused');
    const reader = await catalog.load('reader.js', layer('Reader', 'typeof globalThis.secret'));
    expect(reader.layers[0].description).toBe('undefined');
  });

  it("a plugin's console writes to stderr after its name, never to stdout", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const w1 = process.stdout.write;
    const w2 = process.stderr.write;
    process.stdout.write = ((s: string) => out.push(s)) as never;
    process.stderr.write = ((s: string) => err.push(s)) as never;
    try {
      await loadOne(
        'chatty.js',
        `console.log('training finished, loss 0.0001');\n${shipped('wacky.js')}`,
      );
    } finally {
      process.stdout.write = w1;
      process.stderr.write = w2;
    }
    expect(out.join('')).not.toContain('loss 0.0001');
    expect(err.join('')).toContain('chatty.js: training finished, loss 0.0001');
  });

  it('a gradient check it asks for that is too big is refused, not run', async () => {
    const { status } = await loadOne(
      'huge-check.js',
      `export default { type: 'HugeCheck', gradcheck: { inShapes: [[100000000]] }, build: ({ inShapes }) => ({ outShape: inShapes[0] }), forward: (ctx, x) => ctx.ops.scale(x, 2) };\n`,
    );
    expect(status.ok).toBe(true);
    expect(status.layers[0].check.ok).toBe(false);
    expect(status.layers[0].check.gradcheck.error).toMatch(
      /^Error in HugeCheck from plugin huge-check\.js \(node gradcheck\): the gradient check needs about 14\.9 GiB \(200,000,000 input values/,
    );
  });

  it('a file over the size limit is refused before it is parsed', async () => {
    const big = `export default { type: 'Big', table: [${'0,'.repeat(600_000)}0] };\n`;
    const { status } = await loadOne('big.js', big);
    expect(status.ok).toBe(false);
    expect(status.error!.message).toMatch(
      /^big\.js: the file is 1\.1 MB, more than a plugin may be \(1\.0 MB\)/,
    );
  });
});
