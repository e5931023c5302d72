// The one Log Analytics query client setup (@azure/monitor-query-logs): the diagnostics' evidence and the sweep's
// metric reader both query Container Insights through it, with the managed identity and the configured endpoint.
import type { TokenCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { AppConfig } from '../config/config.js';
import { getManagedIdentityCredential } from './credential.js';

export function createLogsQueryClient(
  config: Pick<AppConfig, 'AZURE_CLIENT_ID' | 'LOG_ANALYTICS_ENDPOINT'>,
  credential: TokenCredential = getManagedIdentityCredential(config),
): LogsQueryClient {
  return new LogsQueryClient(credential, { endpoint: config.LOG_ANALYTICS_ENDPOINT });
}
