import type { CliCommand } from './types.js';

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: '(not yet available)',
  usage: 'aks-aiops simulate',
  async run(_args, io) {
    io.stderr.write('aks-aiops simulate: not available in this build\n');
    return 2;
  },
};
