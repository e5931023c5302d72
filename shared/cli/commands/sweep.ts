import type { CliCommand } from './types.js';

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: '(not yet available)',
  usage: 'aks-aiops sweep',
  async run(_args, io) {
    io.stderr.write('aks-aiops sweep: not available in this build\n');
    return 2;
  },
};
