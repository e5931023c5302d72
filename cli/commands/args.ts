// The one way every command reads its flags: node:util parseArgs in strict mode, where an unknown flag or a missing
// value is the user's mistake, so it becomes a ValidationError (main.ts prints its message and exits 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ValidationError } from '../../shared/errors.js';

type StrictArgsConfig = Omit<ParseArgsConfig, 'strict'> & { args: string[] };

export function parseCommandArgs<const T extends StrictArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (err) {
    throw new ValidationError(err instanceof Error ? err.message : String(err));
  }
}
