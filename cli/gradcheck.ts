import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatGradcheck, gradcheckLayer } from '../core/gradcheck';
import type { GradcheckResult } from '../core/gradcheck';
import { resolveParams } from '../core/graph/params';
import { inputCountRule } from '../core/graph/checker';
import { BUILTIN_LAYERS } from '../core/layers/builtin';
import { arity, type LayerDefinition, type Params } from '../core/layers/contract';
import { LabError } from '../core/util/errors';
import { type CommandSpec, intOption, listOption, type ParsedArgs, stringOption } from './args';
import type { Command } from './command';
import { EXIT } from './errors';
import type { CliIo } from './io';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { importPlugin } from './plugins';

export const gradcheckSpec: CommandSpec = {
  name: 'gradcheck',
  summary:
    "Check a layer plugin's backward against finite differences: prints each tensor's max absolute and relative error; exits 0 when all match, 1 when one does not.",
  positionals: [
    { name: 'PLUGIN', description: 'the plugin file (.js or .ts), or a built-in layer type' },
  ],
  options: {
    'in-shape': {
      kind: 'string',
      value: '4[,3]',
      multiple: true,
      description:
        'input shape without the batch dimension; one per input (repeat, or join with ;)',
    },
    params: {
      kind: 'string',
      value: 'JSON',
      description: 'layer parameters, e.g. \'{"units":3}\'',
    },
    batch: { kind: 'string', value: 'B', description: 'batch size (default 2)' },
    seed: {
      kind: 'string',
      value: 'S',
      description: 'seed of the random inputs and weights (default 0)',
    },
    type: { kind: 'string', value: 'NAME', description: 'check only this layer of the plugin' },
    'memory-budget': MEMORY_BUDGET_OPTION,
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    'Example: backprop-lab gradcheck plugins/wacky.js --in-shape 4',
    'Two inputs: --in-shape 4 --in-shape 4, or --in-shape "4;4". A [4, 3] input: --in-shape 4,3.',
  ],
};

export const gradcheckCommand: Command = { spec: gradcheckSpec, run: gradcheck };

async function gradcheck(args: ParsedArgs, io: CliIo): Promise<number> {
  const [target] = args.positionals;
  const inShapes = parseInShapes(listOption(args, 'in-shape'));
  const params = parseParams(stringOption(args, 'params'));
  const batch = intOption(args, 'batch', 1);
  const seed = intOption(args, 'seed', -Infinity);
  const { defs, source } = await layersOf(target);
  const type = stringOption(args, 'type');
  const chosen = type === undefined ? defs : defs.filter((d) => d.type === type);
  if (chosen.length === 0) {
    throw new LabError(
      'USAGE',
      `${target}: --type: no layer '${type}' (the file has ${defs.map((d) => d.type).join(', ')})`,
    );
  }
  // Several layers and no --type: check those that take this many inputs, say which were not.
  const fits = (d: LayerDefinition) => takes(d, inShapes.length);
  const checked = chosen.length > 1 && chosen.some(fits) ? chosen.filter(fits) : chosen;
  for (const def of checked) checkArguments(def, target, inShapes, params, chosen.length > 1);

  const results: GradcheckResult[] = checked.map((def) =>
    gradcheckLayer(def, { inShapes, params, batch, seed, source }),
  );
  // Too big to check is bad input (exit 2), not a failed check.
  const refused = results.find((r) => r.refused);
  if (refused) throw new LabError('BUDGET', `${target}: ${refused.error}`);
  io.out(results.map((r) => formatGradcheck(r)).join('\n\n') + '\n');
  for (const d of chosen.filter((d) => !checked.includes(d))) {
    io.out(`skipped ${d.type}: it ${inputCountRule(arity(d))} (check it with --type ${d.type})\n`);
  }
  const failed = results.filter((r) => !r.ok);
  if (results.length > 1) {
    io.out(
      failed.length
        ? `${failed.length} of ${results.length} layers failed: ${failed.map((r) => r.layer).join(', ')}\n`
        : `all ${results.length} layers pass\n`,
    );
  }
  return failed.length ? EXIT.failed : EXIT.ok;
}

/** `['4,3', '2;5']` → [[4, 3], [2], [5]]. */
export function parseInShapes(values: string[]): number[][] {
  if (values.length === 0) {
    throw new LabError(
      'USAGE',
      "gradcheck needs --in-shape, the input shape without the batch dimension (e.g. --in-shape 4); see 'backprop-lab gradcheck --help'",
    );
  }
  return values.flatMap((v) =>
    v.split(';').map((part) => {
      const text = part.trim().replace(/^\[(.*)\]$/, '$1');
      const dims = text.split(',').map((d) => d.trim());
      if (!text || !dims.every((d) => /^\d+$/.test(d) && Number(d) > 0)) {
        throw new LabError(
          'USAGE',
          `--in-shape: '${part}' is not a shape (positive whole numbers separated by commas, like 4 or 4,3)`,
        );
      }
      return dims.map(Number);
    }),
  );
}

function parseParams(text: string | undefined): Params | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LabError('USAGE', `--params: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LabError('USAGE', `--params must be a JSON object like '{"units": 3}', got ${text}`);
  }
  return value as Params;
}

/** A plugin file, or a built-in layer type when no such file exists. */
async function layersOf(target: string): Promise<{ defs: LayerDefinition[]; source: string }> {
  const path = resolve(target);
  if (!existsSync(path) && Object.hasOwn(BUILTIN_LAYERS, target)) {
    return { defs: [BUILTIN_LAYERS[target as keyof typeof BUILTIN_LAYERS]], source: 'builtin' };
  }
  return { defs: await importPlugin({ label: target, path }), source: target };
}

// Wrong arguments are bad input (exit 2), not a failed check.
function checkArguments(
  def: LayerDefinition,
  target: string,
  inShapes: number[][],
  params: Params | undefined,
  several: boolean,
): void {
  const n = inShapes.length;
  const hint = several ? `; pick one layer with --type` : '';
  if (!takes(def, n)) {
    throw new LabError(
      'USAGE',
      `${target}: layer '${def.type}' ${inputCountRule(arity(def))}, but --in-shape gives ${n} (repeat --in-shape once per input)${hint}`,
    );
  }
  const { problems } = resolveParams(def.params, params);
  if (problems.length) {
    const p = problems[0];
    throw new LabError(
      'USAGE',
      `${target}: --params: ${p.key}: ${p.message} (layer '${def.type}')${hint}`,
    );
  }
}

function takes(def: LayerDefinition, n: number): boolean {
  const { min, max } = arity(def);
  return n >= min && n <= max;
}
