import { LabError } from '../core/util/errors';

/** One `--name` option of a command. */
export interface OptionSpec {
  /** 'flag' takes no value; 'string' takes the next argument (or `--name=value`). */
  kind: 'flag' | 'string';
  /** May be given several times; the values are collected in order. */
  multiple?: boolean;
  /** Shown in --help after the option name, e.g. `N` in `--epochs N`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, all required, in order. */
  positionals: { name: string; description: string }[];
  options: Record<string, OptionSpec>;
  /** Extra lines for --help (examples, notes). */
  notes?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  /** Flags are `true` when given; single strings a string; multiple ones a string[]. */
  values: Record<string, string | string[] | true | undefined>;
  help: boolean;
}

/**
 * Parse a command's arguments: `--name value`, `--name=value`, repeated options, `--` to end
 * the options, `-h`/`--help`. Mistakes are LabError('USAGE') naming the option.
 *
 * @example parseCommandArgs(trainSpec, ['examples/xor.json', '--epochs', '10'])
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const values: ParsedArgs['values'] = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1);
    const opt = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!opt || !arg.startsWith('--')) {
      throw usage(
        spec,
        `unknown option ${arg.slice(0, eq > 0 ? eq : undefined)} for '${spec.name}'`,
      );
    }
    if (opt.kind === 'flag') {
      if (eq > 0) throw usage(spec, `option --${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !isOptionLike(argv[i + 1])) value = argv[++i];
    else throw usage(spec, `option --${name} needs a value (--${name} ${opt.value ?? 'VALUE'})`);
    if (opt.multiple) {
      const prev = values[name];
      values[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else if (values[name] !== undefined) {
      throw usage(spec, `option --${name} is given more than once`);
    } else {
      values[name] = value;
    }
  }
  if (!help) {
    const want = spec.positionals;
    if (positionals.length < want.length) {
      throw usage(spec, `missing argument ${want[positionals.length].name}`);
    }
    if (positionals.length > want.length) {
      throw usage(spec, `unexpected argument '${positionals[want.length]}'`);
    }
  }
  return { positionals, values, help };
}

// A negative number is a value, not an option (`--seed -3`).
function isOptionLike(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg);
}

function usage(spec: CommandSpec, message: string): LabError {
  return new LabError('USAGE', `${message} (see 'backprop-lab ${spec.name} --help')`);
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A whole number option, checked against a lower bound. */
export function intOption(args: ParsedArgs, name: string, min: number): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  const n = /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    const what =
      min === 0 ? 'a whole number ≥ 0' : min === 1 ? 'a whole number ≥ 1' : 'a whole number';
    throw new LabError('USAGE', `option --${name} must be ${what}, got '${v}'`);
  }
  return n;
}

/** The --help text of a command, with its options aligned. */
export function helpText(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => p.name).join(' ');
  const rows: [string, string][] = [
    ...spec.positionals.map((p): [string, string] => [p.name, p.description]),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [
      `--${name}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' …' : ''}`,
      o.description,
    ]),
    ['-h, --help', 'show this help'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `Usage: backprop-lab ${spec.name} ${pos} [options]`,
    '',
    spec.summary,
    '',
    ...rows.map(([k, d]) => `  ${k.padEnd(width)}  ${d}`),
  ];
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return lines.join('\n') + '\n';
}
