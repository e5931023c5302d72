// ARM clients built the same way everywhere: the managed identity, the configured ARM endpoint, and the ARM
// audience (the SDK would otherwise derive the token scope from a non-default endpoint, which a local stand-in or
// sovereign cloud would not accept).
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../../config/config.js';
import { getManagedIdentityCredential } from '../credential.js';
import { armPacingPolicy } from './armPacing.js';

type ArmConfig = Pick<AppConfig, 'ARM_ENDPOINT' | 'AZURE_CLIENT_ID'>;

export function armScopeFor(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  // Public cloud and local stand-ins use the public ARM audience; sovereign clouds their own endpoint.
  return host.endsWith('management.azure.com') || host === '127.0.0.1' || host === 'localhost'
    ? 'https://management.azure.com/.default'
    : `${endpoint.replace(/\/+$/, '')}/.default`;
}

export function createContainerServiceClient(
  config: ArmConfig,
  subscriptionId: string,
  credential?: TokenCredential,
): ContainerServiceClient {
  const client = new ContainerServiceClient(credential ?? getManagedIdentityCredential(config), subscriptionId, {
    endpoint: config.ARM_ENDPOINT,
    credentials: { scopes: [armScopeFor(config.ARM_ENDPOINT)] },
  });
  // Throttling slows reads down instead of failing them (armPacing.ts).
  client.pipeline.addPolicy(armPacingPolicy(), { afterPhase: 'Retry' });
  return client;
}

export function createSubscriptionClient(config: ArmConfig, credential?: TokenCredential): SubscriptionClient {
  const client = new SubscriptionClient(credential ?? getManagedIdentityCredential(config), {
    endpoint: config.ARM_ENDPOINT,
    credentialScopes: [armScopeFor(config.ARM_ENDPOINT)],
  });
  client.pipeline.addPolicy(armPacingPolicy(), { afterPhase: 'Retry' });
  return client;
}
