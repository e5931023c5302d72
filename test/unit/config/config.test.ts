import { describe, expect, it } from '@jest/globals';
import { AZURITE_CONNECTION_STRING, loadConfig } from '../../../shared/config/config.js';
import { ConfigError } from '../../../shared/errors.js';

describe('loadConfig', () => {
  it('works with an empty environment: every setting has a local default', () => {
    const config = loadConfig({});
    expect(config.SWEEP_SCHEDULE).toBe('0 */15 * * * *');
    expect(config.RESULTS_SINK).toBe('file');
    expect(config.storage).toEqual({ kind: 'connectionString', connectionString: AZURITE_CONNECTION_STRING });
    expect(config.SWEEP_EXEMPT_NAMESPACES).toEqual(expect.arrayContaining(['kube-system', 'kube-public']));
    expect(config.SWEEP_SUBSCRIPTION_IDS).toEqual([]);
  });

  it('names the bad setting', () => {
    expect(() => loadConfig({ SWEEP_TIME_BUDGET_SECONDS: 'soon' })).toThrow(/SWEEP_TIME_BUDGET_SECONDS/);
    expect(() => loadConfig({ SWEEP_SCHEDULE: '*/5 * * * *' })).toThrow(/SWEEP_SCHEDULE: must be a six-field/);
    try {
      loadConfig({ ARM_ENDPOINT: 'not a url', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).settings.sort()).toEqual(['ARM_ENDPOINT', 'LOG_LEVEL']);
    }
  });

  it('uses identity-based storage when the service URIs are set', () => {
    const config = loadConfig({
      AzureWebJobsStorage__queueServiceUri: 'https://st.queue.core.windows.net',
      AzureWebJobsStorage__tableServiceUri: 'https://st.table.core.windows.net',
      AZURE_CLIENT_ID: 'abc',
    });
    expect(config.storage).toMatchObject({ kind: 'identity', clientId: 'abc' });
  });

  it('requires the ingestion endpoint and rule id for the Log Analytics sink', () => {
    expect(() => loadConfig({ RESULTS_SINK: 'loganalytics' })).toThrow(/LOGS_INGESTION_ENDPOINT/);
    expect(loadConfig({ SWEEP_CLUSTER_IDS: ' /a , /b ,' }).SWEEP_CLUSTER_IDS).toEqual(['/a', '/b']);
  });
});
