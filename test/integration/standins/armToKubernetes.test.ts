// The chain a sweep runs, end to end over the wire: discover the cluster in the local ARM, read server + CA from
// listClusterUserCredential, get an AKS Entra token from the local managed identity and list namespaces from the
// simulated Kubernetes API, whose authenticate hook is LocalAzure.verifyToken.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { AKS_SERVER_APP_ID } from '../../../dev/standins/localAzure.js';
import { createStaticKubeSource } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { startKubeBehindArm, type KubeBehindArm } from '../../support/kubeBehindArm.js';

const SUB = '44444444-4444-4444-4444-444444444444';
const CLUSTER_ID = `/subscriptions/${SUB}/resourceGroups/rg-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim`;

let aks: KubeBehindArm;
let credential: ManagedIdentityCredential;

beforeAll(async () => {
  aks = await startKubeBehindArm({
    kube: {
      source: createStaticKubeSource([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      ]),
    },
    dataDir: '.data/test-standins-chain',
    clusters: [{ id: CLUSTER_ID, location: 'westeurope', kubernetesVersion: '1.30.10' }],
  });
  useLocalIdentity(aks.local);
  credential = new ManagedIdentityCredential();
});

afterAll(async () => {
  clearLocalIdentity();
  await aks.close();
});

async function coreApiFor(scope: string): Promise<CoreV1Api> {
  const arm = new ContainerServiceClient(credential, SUB, { endpoint: aks.local.armEndpoint });
  const [cluster] = await (async () => {
    const out = [];
    for await (const c of arm.managedClusters.list()) out.push(c);
    return out;
  })();
  const creds = await arm.managedClusters.listClusterUserCredentials('rg-sim', cluster?.name ?? '');
  const fromArm = new KubeConfig();
  fromArm.loadFromString(Buffer.from(creds.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8'));
  const server = fromArm.getCurrentCluster();
  if (!server) throw new Error('no cluster in the kubeconfig');
  // Keep only server + CA from ARM; the user is the managed identity's bearer token (no kubelogin).
  const token = (await credential.getToken(scope)).token;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [server],
    users: [{ name: 'managed-identity', token }],
    contexts: [{ name: 'aks', cluster: server.name, user: 'managed-identity' }],
    currentContext: 'aks',
  });
  return kc.makeApiClient(CoreV1Api);
}

describe('ARM -> kubeconfig -> managed identity token -> Kubernetes API', () => {
  it('lists namespaces with the AKS server app token', async () => {
    const core = await coreApiFor(`${AKS_SERVER_APP_ID}/.default`);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(['default', 'shop']);
  });

  it('rejects an ARM token with 401 and answers 403 when the identity lacks the Kubernetes role', async () => {
    const withArmToken = await coreApiFor('https://management.azure.com/.default');
    await expect(withArmToken.listNamespace()).rejects.toMatchObject({ code: 401 });

    const core = await coreApiFor(`${AKS_SERVER_APP_ID}/.default`);
    aks.local.faults.forbiddenAudiences = [AKS_SERVER_APP_ID];
    try {
      const error = await core.listNamespace().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiException);
      expect((error as ApiException<unknown>).code).toBe(403);
    } finally {
      delete aks.local.faults.forbiddenAudiences;
    }
  });
});
