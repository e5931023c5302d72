// Issue 3's "done when", over the wire as `npm start` runs it: every simulator endpoint through the dev host with
// function keys, each incident type moving /metrics/current and tripping the detector, and the simulated cluster
// seen through kubectl with the printed kubeconfig.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { useLocalApp } from '../../support/localApp.js';
import { INCIDENT_TYPES } from '../../../shared/simulator/incidents/incident.js';

const app = useLocalApp();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = async (method: 'GET' | 'POST', route: string, body?: unknown, key = true) => {
  const res = await fetch(
    `${app().appUrl}/api/${route}${key ? `${route.includes('?') ? '&' : '?'}code=${app().functionKey}` : ''}`,
    {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    },
  );
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, type: res.headers.get('content-type') ?? '' };
};

const kubectl = (process.env.PATH ?? '')
  .split(path.delimiter)
  .some((d) => d !== '' && existsSync(path.join(d, 'kubectl')));

describe('simulator under the dev host', () => {
  it('serves the docs page at /api/ and the OpenAPI document', async () => {
    const docs = await call('GET', '', undefined, false);
    expect(docs.status).toBe(200);
    expect(docs.type).toMatch(/text\/html/);
    expect(docs.text).toContain('swagger-ui-bundle.js');
    const openapi = await call('GET', 'openapi.json', undefined, false);
    expect(openapi.json?.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.json?.paths ?? {})).toContain('/incidents/simulate');
  });

  it('requires the function key to simulate, and answers 400 listing valid values', async () => {
    expect(
      (await call('POST', 'incidents/simulate', { type: 'cpu_spike', service: 'api-gateway' }, false)).status,
    ).toBe(401);
    const bad = await call('POST', 'incidents/simulate', { type: 'meteor', service: 'api-gateway' });
    expect(bad.status).toBe(400);
    expect(bad.json?.problems.join(' ')).toContain('type must be one of: cpu_spike');
  });

  it.each(INCIDENT_TYPES)('%s changes /metrics/current and trips the detector', async (type) => {
    const service = type === 'latency_spike' ? 'user-service' : 'payment-service';
    const created = await call('POST', 'incidents/simulate', { type, service, severity: 'high', duration_minutes: 10 });
    expect(created.status).toBe(201);
    const current = await call('GET', 'metrics/current', undefined, false);
    expect(current.status).toBe(200);
    expect(current.json?.anomaly_detection.has_anomaly).toBe(true);
    expect(current.json?.overall_status).not.toBe('healthy');
    expect(current.json?.active_incidents).toBe(1);
    const resolved = await call('POST', `incidents/${created.json?.id}/resolve`, {});
    expect(resolved.json?.status).toBe('resolved');
  });

  (kubectl ? it : it.skip)(
    'kubectl with the printed kubeconfig sees an incident in the simulated cluster',
    async () => {
      const created = await call('POST', 'incidents/simulate', {
        type: 'config_error',
        service: 'notification-service',
      });
      expect(created.status).toBe(201);
      const run = promisify(execFile);
      const out = await run('kubectl', ['--kubeconfig', app().kubeconfig, 'get', 'pods', '-n', 'production'], {
        env: { ...process.env, KUBECACHEDIR: path.join(path.dirname(app().kubeconfig), 'kubectl-cache') },
      });
      expect(out.stdout).toMatch(/notification-service-\S+\s+0\/1\s+CreateContainerConfigError/);
      await call('POST', `incidents/${created.json?.id}/resolve`, {});
    },
  );

  it('lists incidents newest first and reports system info', async () => {
    const list = await call('GET', 'incidents?limit=3', undefined, false);
    expect(list.status).toBe(200);
    expect(list.json?.items).toHaveLength(3);
    expect(list.json?.continuation).toEqual(expect.any(String));
    const info = await call('GET', 'system/info', undefined, false);
    expect(info.json?.service).toBe('aiops-simulator');
  });
});
