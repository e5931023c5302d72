// Output bindings (queue) and the queue clients of bindings, resolved as the Functions host resolves connections.
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { typedDataToValue } from './invoke.js';
import { resolveSettingReferences, type RegisteredFunction, type RpcBinding } from './registry.js';
import type { DevHostOptions } from './hostOptions.js';

export function createBindings(options: DevHostOptions): {
  handleOutputBindings: (fn: RegisteredFunction, outputs: Array<{ name: string; data: unknown }>) => Promise<void>;
  queueClientFor: (binding: RpcBinding, suffix?: string) => QueueClient;
} {
  async function handleOutputBindings(
    fn: RegisteredFunction,
    outputs: Array<{ name: string; data: unknown }>,
  ): Promise<void> {
    for (const out of outputs) {
      const binding = fn.metadata.bindings[out.name];
      if (!binding || binding.type.toLowerCase() !== 'queue') continue;
      const value = typedDataToValue(out.data as never);
      const messages = Array.isArray(value) ? value : [value];
      const queue = queueClientFor(binding);
      await queue.createIfNotExists();
      for (const m of messages) {
        const text = typeof m === 'string' ? m : Buffer.isBuffer(m) ? m.toString('utf8') : JSON.stringify(m);
        await queue.sendMessage(
          options.host.queues.messageEncoding === 'base64' ? Buffer.from(text).toString('base64') : text,
        );
      }
    }
  }

  // One credential per identity, so its token cache is shared by every queue client (as the host's is).
  const credentials = new Map<string, TokenCredential>();
  function queueClientFor(binding: RpcBinding, suffix = ''): QueueClient {
    const connectionName =
      typeof binding.connection === 'string' && binding.connection ? binding.connection : 'AzureWebJobsStorage';
    const queueName =
      resolveSettingReferences(typeof binding.queueName === 'string' ? binding.queueName : '', options.env) + suffix;
    const connectionString = options.env[connectionName];
    if (connectionString) return new QueueClient(connectionString, queueName);
    // Identity-based connection, as the Functions host resolves it: <connection>__queueServiceUri (or
    // __accountName) with __credential=managedidentity and an optional __clientId (Functions docs, "Connecting to
    // host storage with an identity"). The managed identity credential reads IDENTITY_ENDPOINT like the host's.
    const serviceUri =
      options.env[`${connectionName}__queueServiceUri`] ??
      (options.env[`${connectionName}__accountName`]
        ? `https://${options.env[`${connectionName}__accountName`]}.queue.core.windows.net`
        : undefined);
    if (!serviceUri) {
      throw new Error(`Connection setting '${connectionName}' (or '${connectionName}__queueServiceUri') is not set`);
    }
    const clientId = options.env[`${connectionName}__clientId`];
    const key = clientId ?? '(system-assigned)';
    let credential = credentials.get(key);
    if (!credential) {
      credential = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
      credentials.set(key, credential);
    }
    return new QueueServiceClient(serviceUri, credential).getQueueClient(queueName);
  }

  return { handleOutputBindings, queueClientFor };
}
