import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueClient } from '@azure/storage-queue';
import { startLocalApp, type LocalApp } from '../support/localApp.js';
import { waitFor } from '../support/funcHostProcess.js';

// The whole product as `npm start` runs it: Azurite, the simulated AKS cluster, the local Azure stand-ins and the
// function app under the dev host, all over the wire.
let app: LocalApp;
const clusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

beforeAll(async () => {
  app = await startLocalApp({ env: { SWEEP_SCHEDULE: '0 0 0 1 1 *' } });
}, 120000);

afterAll(async () => {
  await app?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${app.appUrl}/api/${path}${path.includes('?') ? '&' : '?'}code=${app.functionKey}`);
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};

describe('npm start, end to end', () => {
  it('serves GET /api/health with 200 and JSON naming its checks', async () => {
    const res = await fetch(`${app.appUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('healthy');
    expect(Object.values(body.checks).every((c) => c.status === 'pass')).toBe(true);
  });

  it('a fired timer discovers the simulated cluster through ARM, its queue message is consumed and the sweep is readable', async () => {
    const fired = await fetch(`${app.appUrl}/admin/functions/sweepTimer?code=${app.masterKey}`, {
      method: 'POST',
      body: '{}',
    });
    expect(fired.status).toBe(202);
    const latest = await waitFor(
      async () => {
        const r = await get(`sweeps/latest?cluster=${encodeURIComponent(clusterId)}`);
        return r.status === 200 ? r.body : undefined;
      },
      60000,
      'the first sweep',
    );
    expect(JSON.stringify(latest)).toContain('aks-sim');
    const queue = new QueueClient(app.azurite, 'sweeps');
    const props = await queue.getProperties();
    expect(props.approximateMessagesCount).toBe(0);
    const clusters = await get('clusters');
    expect(clusters.status).toBe(200);
    expect(JSON.stringify(clusters.body)).toContain(clusterId);
  }, 90000);

  it('rejects reads without the function key', async () => {
    const res = await fetch(`${app.appUrl}/api/clusters`);
    expect(res.status).toBe(401);
  });
});
