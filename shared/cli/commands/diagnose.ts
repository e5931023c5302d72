import type { CliCommand } from './types.js';

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: '(not yet available)',
  usage: 'aks-aiops diagnose',
  async run(_args, io) {
    io.stderr.write('aks-aiops diagnose: not available in this build\n');
    return 2;
  },
};
