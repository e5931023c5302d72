// `aks-aiops <command>`: the same engine as the function app, outside Functions.
import { alertCommand } from './commands/alert.js';
import { anomalyCommand } from './commands/anomaly.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { scaleCommand } from './commands/scale.js';
import { simulateCommand } from './commands/simulate.js';
import { sweepCommand } from './commands/sweep.js';
import { wireAlertsCommand } from './commands/wireAlerts.js';
import type { CliCommand, CliIo } from './commands/types.js';
import { ensureErrorType, ValidationError } from '../shared/errors.js';

const commands: CliCommand[] = [
  sweepCommand,
  diagnoseCommand,
  alertCommand,
  anomalyCommand,
  simulateCommand,
  wireAlertsCommand,
  scaleCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: aks-aiops <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `aks-aiops <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`aks-aiops: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const e = ensureErrorType(err);
    io.stderr.write(`aks-aiops ${name}: ${e.message}\n`);
    if (e instanceof ValidationError) io.stderr.write(`${command.usage}\n`);
    return 2;
  }
}

// Run when executed as the bin (the bundle dist/cli.js), not when imported by tests.
const invokedAsBin =
  process.argv[1] !== undefined && /(?:^|[/\\])(cli|main)\.(?:js|ts)$|aks-aiops$/.test(process.argv[1]);
if (invokedAsBin) {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, interactive: process.stderr.isTTY === true };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`aks-aiops: ${ensureErrorType(err).message}\n`);
      process.exitCode = 2;
    },
  );
}
