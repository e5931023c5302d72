// Which clusters a sweep covers: every managed cluster in the configured subscriptions (or in every subscription
// the identity can list), plus those named in SWEEP_CLUSTER_IDS. One subscription failing (no role, throttled
// past retries, outage) is reported in `errors` and never stops the others.
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';
import { ensureErrorType } from '../errors.js';
import { createContainerServiceClient, createSubscriptionClient } from './arm/armClients.js';
import { isManagedClusterId, parseManagedClusterId } from './arm/managedClusterId.js';

export interface DiscoveredCluster {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location?: string;
  /** Found by listing, or named in SWEEP_CLUSTER_IDS. */
  source: 'discovered' | 'configured';
}

export interface DiscoveryResult {
  clusters: DiscoveredCluster[];
  subscriptions: string[];
  errors: string[];
}

type DiscoveryConfig = Pick<
  AppConfig,
  'ARM_ENDPOINT' | 'AZURE_CLIENT_ID' | 'SWEEP_SUBSCRIPTION_IDS' | 'SWEEP_CLUSTER_IDS'
>;

export async function discoverClusters(
  config: DiscoveryConfig,
  options: { credential?: TokenCredential; abortSignal?: AbortSignal; concurrency?: number } = {},
): Promise<DiscoveryResult> {
  const errors: string[] = [];
  let subscriptions = [...config.SWEEP_SUBSCRIPTION_IDS];
  if (subscriptions.length === 0) {
    try {
      for await (const s of createSubscriptionClient(config, options.credential).subscriptions.list({
        abortSignal: options.abortSignal,
      })) {
        if (s.subscriptionId && (s.state === undefined || s.state === 'Enabled')) subscriptions.push(s.subscriptionId);
      }
    } catch (err) {
      errors.push(`listing subscriptions: ${ensureErrorType(err).message}`);
    }
  }
  subscriptions = [...new Set(subscriptions.map((s) => s.toLowerCase()))];

  const found = new Map<string, DiscoveredCluster>();
  const queue = [...subscriptions];
  const worker = async () => {
    for (let sub = queue.shift(); sub !== undefined; sub = queue.shift()) {
      try {
        const client = createContainerServiceClient(config, sub, options.credential);
        for await (const c of client.managedClusters.list({ abortSignal: options.abortSignal })) {
          if (!c.id || !isManagedClusterId(c.id)) continue;
          const id = parseManagedClusterId(c.id);
          found.set(c.id.toLowerCase(), {
            id: c.id,
            name: id.name,
            subscriptionId: id.subscriptionId,
            resourceGroup: id.resourceGroup,
            location: c.location,
            source: 'discovered',
          });
        }
      } catch (err) {
        errors.push(`subscription ${sub}: ${ensureErrorType(err).message}`);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 4, Math.max(1, subscriptions.length)) }, worker),
  );

  for (const raw of config.SWEEP_CLUSTER_IDS) {
    if (!isManagedClusterId(raw)) {
      errors.push(`SWEEP_CLUSTER_IDS: '${raw}' is not an AKS cluster resource id`);
      continue;
    }
    if (found.has(raw.toLowerCase())) continue;
    const id = parseManagedClusterId(raw);
    found.set(raw.toLowerCase(), {
      id: raw,
      name: id.name,
      subscriptionId: id.subscriptionId,
      resourceGroup: id.resourceGroup,
      source: 'configured',
    });
  }
  const clusters = [...found.values()].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1));
  return { clusters, subscriptions, errors };
}
