// How every command reads its command line: node:util parseArgs in strict mode, where an unknown flag, a missing
// value or a wrong subcommand is the user's mistake, so it becomes a ValidationError (main.ts prints its message
// and the usage, and exits 2). A command declares its flags; `run` gets them parsed and typed.
import { parseArgs, type ParseArgsConfig, type ParseArgsOptionsConfig } from 'node:util';
import { ValidationError } from '../../shared/errors.js';
import type { CliCommand, CliIo } from './types.js';

type StrictArgsConfig = Omit<ParseArgsConfig, 'strict'> & { args: string[] };

function parseCommandArgs<const T extends StrictArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (err) {
    throw new ValidationError(err instanceof Error ? err.message : String(err));
  }
}

export type ParsedCommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

interface CommandDefinition<O extends ParseArgsOptionsConfig, S extends string> {
  name: string;
  summary: string;
  usage: string;
  /** A word the command needs before its flags (`scale plan`), and what to say when it is missing or unknown. */
  subcommand?: { names: readonly S[]; problem: (given: string | undefined) => string };
  /** Operands besides the flags (`alert FILE`); none by default. */
  allowPositionals?: boolean;
  options: O;
  run(parsed: ParsedCommandArgs<O> & { subcommand: S }, io: CliIo): Promise<number>;
}

export function defineCommand<const O extends ParseArgsOptionsConfig, const S extends string = never>(
  definition: CommandDefinition<O, S>,
): CliCommand {
  const { name, summary, usage, subcommand, options, allowPositionals = false } = definition;
  return {
    name,
    summary,
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      let rest = args;
      let chosen: S | undefined;
      if (subcommand) {
        const given = args[0];
        chosen = subcommand.names.find((n) => n === given);
        if (chosen === undefined) throw new ValidationError(subcommand.problem(given));
        rest = args.slice(1);
      }
      const parsed = parseCommandArgs({ args: rest, options, allowPositionals });
      return definition.run({ ...parsed, subcommand: chosen as S }, io);
    },
  };
}
