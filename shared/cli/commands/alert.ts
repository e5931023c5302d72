import type { CliCommand } from './types.js';

export const alertCommand: CliCommand = {
  name: 'alert',
  summary: '(not yet available)',
  usage: 'aks-aiops alert',
  async run(_args, io) {
    io.stderr.write('aks-aiops alert: not available in this build\n');
    return 2;
  },
};
