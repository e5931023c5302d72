// The generated OpenAPI document: valid 3.1 shape, schemas from the zod validators, and the response schemas accept
// real objects of the TypeScript contracts they describe.
import { describe, expect, it } from '@jest/globals';
import { buildApiDocument } from '../../../shared/api/openApiDocument.js';
import { openApiPath } from '../../../shared/api/routeCatalogue.js';
import { INCIDENT_TYPES } from '../../../shared/simulator/incidents/incident.js';
import { diagnosisSchema, latestSweepSchema } from '../../../shared/api/schemas.js';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import type { LatestSweep } from '../../../shared/sweep/sweepReadModel.js';
import { sweepSummary } from '../../support/sweepSummary.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('openApiPath', () => {
  it('turns Functions route templates into OpenAPI paths', () => {
    expect(openApiPath('{ignored:maxlength(0)?}')).toBe('/');
    expect(openApiPath('incidents/{id}/resolve')).toBe('/incidents/{id}/resolve');
    expect(openApiPath('items/{id:int}')).toBe('/items/{id}');
    expect(openApiPath('files/{*path}')).toBe('/files/{path}');
  });
});

describe('buildApiDocument', () => {
  const doc: Json = buildApiDocument({ simulatorEnabled: true });

  it('is OpenAPI 3.1 with a relative server, so examples use the host the page came from', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/api' })]);
  });

  it('takes its schemas from the validators', () => {
    expect(doc.components.schemas.SimulateIncident.properties.type.enum).toEqual([...INCIDENT_TYPES]);
    expect(doc.components.schemas.SimulateIncident.required).toEqual(['type', 'service']);
    const historyParams = (doc.paths['/metrics/history'].get.parameters as Json[]).map((p) => p.name);
    expect(historyParams).toEqual(['service', 'metric', 'minutes', 'from', 'to', 'step']);
    const sweepParams = doc.paths['/sweeps/latest'].get.parameters as Json[];
    expect(sweepParams.find((p) => p.name === 'cluster')?.required).toBe(true);
    expect(sweepParams.find((p) => p.name === 'severity')?.required).toBe(false);
    expect(doc.components.schemas.DiagnoseRequest.properties).toHaveProperty('pod_name');
  });

  it('every $ref resolves and every operation has an example where it takes a body', () => {
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g))
      expect(Object.keys(doc.components.schemas)).toContain(m[1]);
    for (const path of Object.values(doc.paths as Record<string, Record<string, Json>>))
      for (const op of Object.values(path))
        if (op.requestBody) expect(op.requestBody.content['application/json'].example).toBeDefined();
  });

  it('leaves the simulator out when it is disabled', () => {
    const off: Json = buildApiDocument({ simulatorEnabled: false });
    expect(off.paths['/metrics/current']).toBeUndefined();
    expect(off.paths['/clusters']).toBeDefined();
  });

  it('has no emoji (they render as boxes without emoji fonts)', () => {
    expect(JSON.stringify(doc)).not.toMatch(/\p{Extended_Pictographic}/u);
  });
});

describe('response schemas describe the TypeScript contracts', () => {
  it('accepts a LatestSweep and a Diagnosis', () => {
    const latest: LatestSweep = {
      summary: sweepSummary({
        sweepId: 's1',
        clusterId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:00:01Z',
      }),
      grade: 'B',
      totalFindings: 1,
      findings: [
        {
          clusterId: 'c',
          check: 'pod.crash-loop',
          severity: 'critical',
          kind: 'Pod',
          namespace: 'default',
          name: 'p',
          message: 'Pod default/p is crash-looping.',
          evidence: ['kubectl get pod p -n default'],
          remediation: 'Fix it.',
          fingerprint: 'f',
          firstSeen: '2026-01-01T00:00:00Z',
          lastSeen: '2026-01-01T00:00:00Z',
          count: 1,
          state: 'new',
        },
      ],
    };
    expect(latestSweepSchema.safeParse(latest).success).toBe(true);
    const diagnosis: Diagnosis = {
      id: 'd1',
      target: { clusterId: 'c', namespace: 'default', pod: 'p' },
      rootCause: 'oom_killed',
      confidence: 0.9,
      summary: 'OOM',
      evidence: [{ source: 'pod.status', detail: 'OOMKilled', reproduce: 'kubectl get pod p -o yaml' }],
      recommendations: ['Raise the limit'],
      state: 'still_failing',
      firings: 1,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
    };
    expect(diagnosisSchema.safeParse(diagnosis).success).toBe(true);
    expect(diagnosisSchema.safeParse({ ...diagnosis, state: 'bogus' }).success).toBe(false);
  });
});
