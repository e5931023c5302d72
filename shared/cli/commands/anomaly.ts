import type { CliCommand } from './types.js';

export const anomalyCommand: CliCommand = {
  name: 'anomaly',
  summary: '(not yet available)',
  usage: 'aks-aiops anomaly',
  async run(_args, io) {
    io.stderr.write('aks-aiops anomaly: not available in this build\n');
    return 2;
  },
};
