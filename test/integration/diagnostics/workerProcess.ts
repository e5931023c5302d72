// A stand-alone alerts worker for the kill test: polls the Azurite `alerts` queue like the Functions host (short
// visibility timeout), runs the real worker, and pauses after the step named by PAUSE_AT so the test can SIGKILL it.
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { loadConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { parseAlertQueueMessage, processAlertMessage } from '../../../shared/diagnostics/alertWorker.js';

const config = loadConfig(JSON.parse(process.env.STORAGE_SETTINGS ?? '{}') as Record<string, string>);
const kc = new KubeConfig();
kc.loadFromString(readFileSync(process.env.KUBECONFIG_FILE ?? '', 'utf8'));
const runtime = createDiagnosticsRuntime(config, {
  kubeConfigProvider: async () => kc,
  sink: { upload: async (_t, rows) => ({ uploaded: rows.length, spooled: 0 }) },
  resolveCluster: async () => process.env.CLUSTER_ID,
});
const pauseAt = process.env.PAUSE_AT;

for (;;) {
  const got = await runtime.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 3 });
  const m = got.receivedMessageItems[0];
  if (!m) {
    await new Promise((r) => setTimeout(r, 100));
    continue;
  }
  const message = parseAlertQueueMessage(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
  await processAlertMessage(message, {
    ...runtime.workerDeps(),
    onStep: async (step) => {
      process.stdout.write(`step ${step}\n`);
      if (step === pauseAt) {
        process.stdout.write('paused\n');
        await new Promise((r) => setTimeout(r, 600_000));
      }
    },
  });
  await runtime.queue.deleteMessage(m.messageId, m.popReceipt);
}
