// Issue 15 item 5 under `npm start`: the alerts of the metric incidents (CPU, latency, errors) are diagnosed with
// what the incident does, from the workload's series in the local Azure Monitor workspace (Prometheus query
// stand-in) — never `healthy` or `unknown` while the incident runs. The simulator posts each alert when the incident
// starts, a minute before its fire time: the worker defers it until the series can show the firing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalApp, type LocalApp } from '../../support/localApp.js';
import { waitFor } from '../../support/funcHostProcess.js';
import { buildIncidentAlert } from '../../../shared/simulator/alerts/incidentAlert.js';
import { diagnosisIdForAlert } from '../../../shared/diagnostics/normalizeAlert.js';
import type { Incident } from '../../../shared/simulator/incidents/incident.js';

let app: LocalApp;
const clusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

beforeAll(async () => {
  app = await startLocalApp({ env: { SWEEP_SCHEDULE: '0 0 0 1 1 *' } });
}, 120000);
afterAll(async () => {
  await app?.stop();
});

const call = async (method: string, route: string, body?: unknown) => {
  const res = await fetch(`${app.appUrl}/api/${route}${route.includes('?') ? '&' : '?'}code=${app.functionKey}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};

describe('metric alerts under npm start', () => {
  it('cpu_spike, latency_spike and error_spike are diagnosed with their metric root causes', async () => {
    const cases = [
      ['cpu_spike', 'api-gateway', 'cpu_saturation'],
      ['latency_spike', 'payment-service', 'latency_degradation'],
      ['error_spike', 'user-service', 'error_rate_surge'],
    ] as const;
    const ids = await Promise.all(
      cases.map(async ([type, service]) => {
        const created = await call('POST', 'incidents/simulate', {
          type,
          service,
          severity: 'high',
          duration_minutes: 30,
        });
        expect(created.status).toBe(201);
        const alert = buildIncidentAlert(created.body as unknown as Incident, {
          seed: 42,
          clusterName: 'aks-sim',
          clusterId,
        });
        return diagnosisIdForAlert(String(alert.data.essentials.alertId));
      }),
    );
    const diagnoses = await Promise.all(
      ids.map((id) =>
        waitFor(async () => {
          const r = await call('GET', `diagnoses/${id}`);
          return r.status === 200 ? r.body : undefined;
        }, 240000),
      ),
    );
    expect(diagnoses.map((d) => [d?.rootCause, d?.state])).toEqual(
      cases.map(([, , cause]) => [cause, 'still_failing']),
    );
    for (const d of diagnoses) {
      const evidence = d?.evidence as Array<{ source: string; reproduce: string }>;
      expect(evidence.some((e) => e.source === 'prometheus' && e.reproduce.includes('cluster="aks-sim"'))).toBe(true);
    }
  }, 300000);
});
