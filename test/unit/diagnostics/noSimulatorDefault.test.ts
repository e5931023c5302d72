// No production default from the simulator: a live POST /api/diagnose target is read from the cluster the request
// names or the one DIAGNOSE_DEFAULT_CLUSTER_ID names, never the simulated one; the simulated cluster's name resolves
// without ARM only where the simulator runs. ARM and the managed identity are the local stand-ins (the shop cluster).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  CLUSTER as SHOP_CLUSTER,
  startShopStandins,
  useLocalIdentity,
  type ShopStandins,
} from '../../support/shopCluster.js';
import { loadConfig } from '../../../shared/config/config.js';
import { createDiscoveryResolver } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { diagnoseOnDemand, parseOnDemandRequest } from '../../../shared/diagnostics/onDemand.js';
import type { KubeConfigProvider } from '../../../shared/diagnostics/diagnoseLive.js';
import { ValidationError } from '../../../shared/errors.js';

const CLUSTER =
  '/subscriptions/66666666-6666-6666-6666-666666666666/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod';

/** Records the cluster asked for and stops there (the live read itself is tested in alertFunctions.test.ts). */
function recordingProvider(asked: Array<string | undefined>): KubeConfigProvider {
  return async (clusterId) => {
    asked.push(clusterId);
    throw new Error('stop after the cluster was chosen');
  };
}

describe('POST /api/diagnose cluster choice', () => {
  it('a live target without a cluster and without DIAGNOSE_DEFAULT_CLUSTER_ID is a 400 naming cluster', async () => {
    const asked: Array<string | undefined> = [];
    for (const body of [{ namespace: 'shop', pod_name: 'web-0' }, { node_name: 'aks-nodepool1-0' }]) {
      const err = await diagnoseOnDemand(parseOnDemandRequest(body), {
        kubeConfigProvider: recordingProvider(asked),
        logTailLines: 10,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toMatch(
        /^Invalid diagnose request: cluster: required for a live target/,
      );
      expect((err as ValidationError).message).toContain('clusterId');
    }
    expect(asked).toEqual([]);
  });

  it('reads the named cluster, else the configured default', async () => {
    const asked: Array<string | undefined> = [];
    const deps = { kubeConfigProvider: recordingProvider(asked), logTailLines: 10 };
    const pod = { namespace: 'shop', pod_name: 'web-0' };
    await diagnoseOnDemand(parseOnDemandRequest({ ...pod, cluster: CLUSTER }), deps).catch(() => undefined);
    const other = CLUSTER.replace('aks-prod', 'aks-default');
    await diagnoseOnDemand(parseOnDemandRequest(pod), { ...deps, defaultClusterId: other }).catch(() => undefined);
    expect(asked).toEqual([CLUSTER, other]);
  });

  it('DIAGNOSE_DEFAULT_CLUSTER_ID is optional and must be an AKS resource id', () => {
    expect(loadConfig({}).DIAGNOSE_DEFAULT_CLUSTER_ID).toBeUndefined();
    expect(loadConfig({ DIAGNOSE_DEFAULT_CLUSTER_ID: CLUSTER }).DIAGNOSE_DEFAULT_CLUSTER_ID).toBe(CLUSTER);
    expect(() => loadConfig({ DIAGNOSE_DEFAULT_CLUSTER_ID: 'aks-prod' })).toThrow(/DIAGNOSE_DEFAULT_CLUSTER_ID/);
  });
});

describe('the simulated cluster name', () => {
  let shop: ShopStandins;
  let restoreIdentity: () => void;
  beforeAll(async () => {
    shop = await startShopStandins(await ensureLocalTls('.data'), '.data/test-no-simulator-default');
    restoreIdentity = useLocalIdentity(shop.local);
  });
  afterAll(async () => {
    restoreIdentity();
    await shop.close();
  });

  const settings = () => ({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: shop.local.armEndpoint });

  it('resolves to the simulated cluster only when the simulator is enabled; otherwise through ARM', async () => {
    const enabled = loadConfig({ ...settings(), SIMULATOR_ENABLED: 'true' });
    expect(await createDiscoveryResolver(enabled)('aks-sim')).toBe(enabled.SIMULATOR_CLUSTER_ID);
    const disabled = createDiscoveryResolver(loadConfig({ ...settings(), SIMULATOR_ENABLED: 'false' }));
    expect(await disabled('aks-sim')).toBeUndefined();
    expect(await disabled('aks-shop')).toBe(SHOP_CLUSTER);
  });
});
