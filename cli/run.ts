import { readFileSync } from 'node:fs';
import { setMemoryBudget } from '../core/graph/budget';
import { LabError } from '../core/util/errors';
import { cliMemoryBudget } from './memory-budget';
import { helpText, parseCommandArgs } from './args';
import type { Command } from './command';
import { EXIT, exitCodeOf, formatError } from './errors';
import { exportCommand } from './export';
import { gradcheckCommand } from './gradcheck';
import { importCommand } from './import';
import { infoCommand } from './info';
import type { CliIo } from './io';
import { predictCommand } from './predict';
import { trainCommand } from './train';

const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  gradcheck: gradcheckCommand,
  info: infoCommand,
  export: exportCommand,
  predict: predictCommand,
  import: importCommand,
};

/**
 * The whole command line: pick the command, parse its arguments, run it, and turn any error
 * into one message on stderr and an exit code (see EXIT).
 *
 * @example process.exitCode = await runCli(['train', 'examples/xor.json'], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.err.write(mainHelp());
      return EXIT.badInput;
    }
    if (name === '--help' || name === '-h') {
      io.out(mainHelp());
      return EXIT.ok;
    }
    if (name === 'help') {
      const cmd = rest[0] === undefined ? undefined : commandOf(rest[0]);
      io.out(cmd ? helpText(cmd.spec) : mainHelp());
      return EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.out(`backprop-lab ${version()}\n`);
      return EXIT.ok;
    }
    const cmd = commandOf(name);
    const args = parseCommandArgs(cmd.spec, rest);
    if (args.help) {
      io.out(helpText(cmd.spec));
      return EXIT.ok;
    }
    const budget = args.values['memory-budget'];
    setMemoryBudget(cliMemoryBudget(typeof budget === 'string' ? budget : undefined));
    return await cmd.run(args, io);
  } catch (e) {
    io.err.write(formatError(e, debug));
    return exitCodeOf(e);
  }
}

function commandOf(name: string): Command {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name];
  const hint = name.startsWith('-')
    ? `options go after the command (backprop-lab <command> ${name} …)`
    : `unknown command '${name}'`;
  throw new LabError(
    'USAGE',
    `${hint} (commands: ${Object.keys(COMMANDS).join(', ')}; see 'backprop-lab --help')`,
  );
}

function mainHelp(): string {
  const rows = Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(10)} ${c.spec.summary}`);
  return [
    'Usage: backprop-lab <command> [arguments] [options]',
    '',
    'Backprop Lab on the command line: train projects, check layer plugins, inspect, export and import networks, predict with them.',
    '',
    'Commands:',
    ...rows,
    '',
    "Run 'backprop-lab <command> --help' for a command's arguments and options.",
    'Exit codes: 0 success, 1 the run failed (diverged, gradients do not match), 2 bad input, 70 internal error.',
    '',
  ].join('\n');
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}
