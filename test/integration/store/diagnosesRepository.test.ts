// One contract, two implementations: the Table storage DiagnosesRepository (Azurite) and its in-memory twin keep the
// same ledger conditions (insert once, ETag-conditional replace) and the same diagnosis reads, paging included.
import { describe, expect, it } from '@jest/globals';
import { useAzurite } from '../../support/azurite.js';
import { DiagnosesStore } from '../../../shared/diagnostics/diagnosesStore.js';
import {
  createInMemoryDiagnosesRepository,
  type AlertKeyRecord,
  type DiagnosesRepository,
} from '../../../shared/diagnostics/diagnosesRepository.js';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import { ValidationError } from '../../../shared/errors.js';

const azurite = useAzurite();

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

function record(alertKey: string): AlertKeyRecord {
  return {
    alertKey,
    alertId: `/subscriptions/0/providers/Microsoft.AlertsManagement/alerts/${alertKey}`,
    diagnosisId: `d-${alertKey}`,
    status: 'diagnosing',
    firings: 1,
    deliveries: ['k1'],
    diagnosisWritten: false,
  };
}

function diagnosis(id: string, clusterId: string, startedAt: string): Diagnosis {
  return {
    id,
    target: { clusterId, namespace: 'shop', pod: 'web-0' },
    rootCause: 'oom_killed',
    confidence: 0.9,
    summary: 'web-0 was OOMKilled',
    evidence: [{ source: 'kubernetes', detail: 'lastState.terminated.reason=OOMKilled', reproduce: 'kubectl get pod' }],
    recommendations: ['Raise the memory limit.'],
    state: 'still_failing',
    firings: 1,
    startedAt,
    finishedAt: startedAt,
  };
}

const implementations: Array<[string, () => Promise<DiagnosesRepository>]> = [
  [
    'Table storage',
    async () => {
      const store = new DiagnosesStore({
        storage: { kind: 'connectionString', connectionString: azurite().connectionString },
      });
      await store.ensure();
      return store;
    },
  ],
  ['in memory', async () => createInMemoryDiagnosesRepository()],
];

describe.each(implementations)('DiagnosesRepository: %s', (_name, open) => {
  it('creates a ledger entry once and replaces it only with the current ETag', async () => {
    const repo = await open();
    const key = unique('ak');
    expect(await repo.getAlertKey(key)).toBeUndefined();
    expect(await repo.createAlertKey(record(key))).toBe(true);
    expect(await repo.createAlertKey(record(key))).toBe(false);
    const read = await repo.getAlertKey(key);
    expect(read).toMatchObject({ ...record(key), etag: expect.any(String) });
    expect(
      await repo.replaceAlertKey({ ...read!, firings: 2, leaseOwner: 'w1', leaseUntil: '2026-11-30T00:00:00Z' }),
    ).toBe(true);
    // The first read's ETag is stale now: a second worker holding it loses.
    expect(await repo.replaceAlertKey({ ...read!, firings: 3 })).toBe(false);
    const after = await repo.getAlertKey(key);
    expect(after).toMatchObject({ firings: 2, leaseOwner: 'w1' });
    expect(await repo.replaceAlertKey({ ...after!, leaseOwner: undefined, leaseUntil: undefined })).toBe(true);
    expect((await repo.getAlertKey(key))?.leaseOwner).toBeUndefined();
  });

  it('saves, merges and reads diagnoses; pages by id with a token, and refuses a forged token', async () => {
    const repo = await open();
    const cluster = `/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${unique('aks')}`;
    const base = unique('d');
    const ids = [1, 2, 3].map((i) => `${base}-${i}`);
    for (const [i, id] of ids.entries())
      await repo.saveDiagnosis(diagnosis(id, cluster, `2026-11-2${i}T00:00:00.000Z`));
    expect(await repo.getDiagnosis(ids[0]!)).toEqual(diagnosis(ids[0]!, cluster, '2026-11-20T00:00:00.000Z'));
    expect(
      await repo.updateDiagnosis(ids[0]!, { firings: 4, state: 'resolved', resolvedAt: '2026-11-25T00:00:00Z' }),
    ).toBe(true);
    expect(await repo.getDiagnosis(ids[0]!)).toMatchObject({
      firings: 4,
      state: 'resolved',
      resolvedAt: '2026-11-25T00:00:00Z',
    });
    expect(await repo.updateDiagnosis('no-such-diagnosis', { firings: 2 })).toBe(false);
    expect(await repo.getDiagnosis('not/an id')).toBeUndefined();

    const first = await repo.listDiagnoses({ clusterId: cluster.toUpperCase(), pageSize: 2 });
    expect(first.items.map((d) => d.id)).toEqual([ids[1], ids[0]]);
    expect(first.continuationToken).toEqual(expect.any(String));
    const second = await repo.listDiagnoses({
      clusterId: cluster,
      pageSize: 2,
      continuationToken: first.continuationToken,
    });
    expect(second.items.map((d) => d.id)).toEqual([ids[2]]);
    expect(second.continuationToken).toBeUndefined();
    const since = await repo.listDiagnoses({ clusterId: cluster, since: new Date('2026-11-21T00:00:00.000Z') });
    expect(since.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    await expect(repo.listDiagnoses({ continuationToken: 'eyJub3QiOiJvdXJzIn0=' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
