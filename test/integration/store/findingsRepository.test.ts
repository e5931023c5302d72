// One contract, two implementations: the Table storage FindingsRepository (Azurite) and its in-memory twin answer
// the same calls the same way, so a unit test over the twin says something about the deployed store.
import { describe, expect, it } from '@jest/globals';
import { useAzurite } from '../../support/azurite.js';
import { FindingsStore } from '../../../shared/sweep/findingsStore.js';
import { createInMemoryFindingsRepository, type FindingsRepository } from '../../../shared/sweep/findingsRepository.js';
import { fingerprintOf } from '../../../shared/sweep/fingerprint.js';
import type { StoredFinding } from '../../../shared/sweep/lifecycle.js';
import type { SweepSummary } from '../../../shared/sweep/types.js';
import { sweepSummary } from '../../support/sweepSummary.js';

const azurite = useAzurite();

let clusters = 0;
/** A fresh cluster id per case, so the cases share one account without seeing each other. */
const newCluster = () =>
  `/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-${String(++clusters).padStart(2, '0')}`;

function finding(clusterId: string, name: string, over: Partial<StoredFinding> = {}): StoredFinding {
  const base = { clusterId, check: 'pod.crash-loop', kind: 'Pod', namespace: 'shop', name };
  return {
    ...base,
    severity: 'critical',
    message: `${name} is crash-looping`,
    evidence: ['kubectl -n shop get pod ' + name],
    remediation: 'Read the previous container log.',
    fingerprint: fingerprintOf(base),
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-11-01T00:00:00.000Z',
    count: 1,
    state: 'new',
    lastSweepId: 's1',
    ...over,
  };
}

const summary = (clusterId: string, sweepId: string, startedAt: string, score = 90): SweepSummary =>
  sweepSummary({ clusterId, sweepId, startedAt, score, namespaceScores: { shop: score } });

const implementations: Array<[string, () => Promise<FindingsRepository>]> = [
  [
    'Table storage',
    () => FindingsStore.open({ storage: { kind: 'connectionString', connectionString: azurite().connectionString } }),
  ],
  ['in memory', async () => createInMemoryFindingsRepository()],
];

describe.each(implementations)('FindingsRepository: %s', (_name, open) => {
  it('upserts findings by fingerprint and filters the open ones', async () => {
    const repo = await open();
    const id = newCluster();
    await repo.saveFindings(id, [finding(id, 'a'), finding(id, 'b')]);
    await repo.saveFindings(id, [finding(id, 'a', { state: 'resolved', resolvedAt: '2026-11-02T00:00:00.000Z' })]);
    const all = await repo.loadFindings(id);
    expect(all.map((f) => [f.name, f.state]).sort()).toEqual([
      ['a', 'resolved'],
      ['b', 'new'],
    ]);
    expect(all.find((f) => f.name === 'b')).toEqual(finding(id, 'b'));
    expect((await repo.loadFindings(id, { openOnly: true })).map((f) => f.name)).toEqual(['b']);
    expect(await repo.loadFindings(newCluster())).toEqual([]);
  });

  it('keeps sweep history newest first and the latest per cluster', async () => {
    const repo = await open();
    const id = newCluster();
    expect(await repo.latestSweep(id)).toBeUndefined();
    await repo.saveSweep(summary(id, 's1', '2026-11-01T00:00:00.000Z', 70));
    await repo.saveSweep(summary(id, 's2', '2026-11-02T00:00:00.000Z', 80));
    await repo.saveSweep(summary(id, 's2', '2026-11-02T00:00:00.000Z', 80));
    expect((await repo.listSweeps(id)).map((s) => s.sweepId)).toEqual(['s2', 's1']);
    expect((await repo.listSweeps(id, { top: 1 })).map((s) => s.sweepId)).toEqual(['s2']);
    expect(await repo.latestSweep(id)).toEqual(summary(id, 's2', '2026-11-02T00:00:00.000Z', 80));
    expect((await repo.listClusters()).find((c) => c.clusterId === id)).toEqual({
      clusterId: id,
      clusterName: id.split('/').pop(),
      lastSweepId: 's2',
      lastSweepAt: '2026-11-02T00:00:00.000Z',
      score: 80,
      partial: false,
    });
  });

  it('prunes findings resolved before the cutoff and older history, keeping open findings and the latest', async () => {
    const repo = await open();
    const id = newCluster();
    await repo.saveFindings(id, [
      finding(id, 'old', { state: 'resolved', resolvedAt: '2026-10-01T00:00:00.000Z' }),
      finding(id, 'recent', { state: 'resolved', resolvedAt: '2026-11-20T00:00:00.000Z' }),
      finding(id, 'open', { state: 'open' }),
    ]);
    await repo.saveSweep(summary(id, 'old', '2026-10-01T00:00:00.000Z'));
    await repo.saveSweep(summary(id, 'new', '2026-11-20T00:00:00.000Z'));
    expect(await repo.prune(id, new Date('2026-11-01T00:00:00.000Z'))).toBe(2);
    expect((await repo.loadFindings(id)).map((f) => f.name).sort()).toEqual(['open', 'recent']);
    expect((await repo.listSweeps(id)).map((s) => s.sweepId)).toEqual(['new']);
    expect((await repo.latestSweep(id))?.sweepId).toBe('new');
  });
});
