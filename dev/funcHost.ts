// `node dist/dev/funcHost.js`: runs the function app under the local dev host (see dev/host/devHost.ts).
// Started by dev/start.ts (npm start) and by the e2e tests with the environment they prepared.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../shared/config/config.js';
import { startDevHost } from './host/devHost.js';
import { bindingOption } from './host/registry.js';
import { readHostOptions } from './host/hostJson.js';
import { localSettingsEnv, settingDefaults } from './host/settings.js';

function loadOrCreateKeys(dataDir: string): { functionKey: string; masterKey: string } {
  const file = path.join(dataDir, 'host-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { functionKey: string; masterKey: string };
  mkdirSync(dataDir, { recursive: true });
  const keys = { functionKey: randomBytes(24).toString('base64url'), masterKey: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** Per-route body limits the host enforces before reading: the webhook's is the app's own ALERT_MAX_BYTES. */
function routeBodyLimits(): Record<string, number> {
  try {
    return { alertsWebhook: loadConfig(process.env).ALERT_MAX_BYTES };
  } catch {
    // Not this app's settings (a fixture app): the host's default limit applies.
    return {};
  }
}

async function main(): Promise<void> {
  // Precedence like func: real environment over local.settings.json over documented defaults.
  const env = { ...settingDefaults(), ...localSettingsEnv(), ...process.env };
  for (const [k, v] of Object.entries(env)) if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
  const dataDir = process.env.AKS_AIOPS_DATA_DIR ?? '.data';
  const keys = {
    ...loadOrCreateKeys(dataDir),
    ...(process.env.AKS_AIOPS_FUNCTION_KEY ? { functionKey: process.env.AKS_AIOPS_FUNCTION_KEY } : {}),
    ...(process.env.AKS_AIOPS_MASTER_KEY ? { masterKey: process.env.AKS_AIOPS_MASTER_KEY } : {}),
  };
  const host = await startDevHost({
    appEntry: path.resolve(process.env.AKS_AIOPS_APP_ENTRY ?? 'dist/app.js'),
    host: readHostOptions(path.resolve(process.env.AKS_AIOPS_HOST_JSON ?? 'host.json')),
    port: Number(process.env.AKS_AIOPS_PORT ?? 7071),
    keys,
    env: process.env,
    queueLeaseMs: process.env.AKS_AIOPS_QUEUE_LEASE_MS ? Number(process.env.AKS_AIOPS_QUEUE_LEASE_MS) : undefined,
    bodyLimits: routeBodyLimits(),
  });
  const lines = host.functions.map((f) => {
    const t = f.trigger;
    const kind = t.type.replace(/Trigger$/i, '');
    if (kind.toLowerCase() === 'http') {
      return `  ${f.metadata.name}: [${((t.methods as string[] | undefined) ?? ['GET', 'POST']).join(',')}] ${host.url}/api/${bindingOption(t, 'route') ?? f.metadata.name} (${bindingOption(t, 'authLevel') ?? 'anonymous'})`;
    }
    return `  ${f.metadata.name}: ${kind} ${bindingOption(t, 'schedule') ?? bindingOption(t, 'queueName') ?? ''}`;
  });
  process.stdout.write(
    `\nFunctions:\n${lines.join('\n')}\n\nFunction key (query ?code= or header x-functions-key): ${keys.functionKey}\n`,
  );
  process.stdout.write(`FUNCHOST_READY ${JSON.stringify({ url: host.url })}\n`);
  const shutdown = () => {
    void host.stop().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `dev host failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
