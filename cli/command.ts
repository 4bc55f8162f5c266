import type { CommandSpec, ParsedArgs } from './args';
import type { CliIo } from './io';

/** A subcommand: its arguments (which also give its --help) and what it does; returns the exit code. */
export interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
