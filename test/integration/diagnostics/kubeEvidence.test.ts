// Evidence gathering over the wire: the real @kubernetes/client-node against the simulated Kubernetes API server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gatherKubeEvidence } from '../../../shared/diagnostics/evidence/kubeEvidence.js';
import { diagnoseLive } from '../../../shared/diagnostics/diagnoseLive.js';
import { NotFoundError } from '../../../shared/errors.js';
import { CLUSTER_ID, OOM_POD, PASSWORD, startScenarioCluster, type ScenarioCluster } from './scenario.js';

let cluster: ScenarioCluster;
beforeAll(async () => {
  cluster = await startScenarioCluster();
});
afterAll(async () => {
  await cluster.close();
});

const deps = () => ({ kubeConfigProvider: async () => cluster.kubeConfig(), logTailLines: 3 });

describe('live evidence', () => {
  it('reads the pod, its events, node, owner, metrics and the bounded, redacted previous log', async () => {
    const snapshot = await gatherKubeEvidence(
      cluster.kubeConfig(),
      { namespace: 'shop', pod: OOM_POD },
      { logTailLines: 3 },
    );
    expect(snapshot.pods.map((p) => p.metadata?.name)).toEqual([OOM_POD]);
    expect(snapshot.events.map((e) => e.reason)).toContain('BackOff');
    expect(snapshot.nodes.map((n) => n.metadata?.name)).toEqual(['aks-nodepool1-0']);
    expect(snapshot.owners).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', name: 'checkout-7d4b9c6f5', readyReplicas: 1 }),
    ]);
    expect(snapshot.usage).toEqual([
      expect.objectContaining({ container: 'checkout', memoryText: '251Mi', memoryBytes: 251 * 2 ** 20 }),
    ]);
    const log = snapshot.logs[0]!;
    expect(log.previous).toBe(true);
    expect(log.lines).toHaveLength(3);
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
    expect(log.lines.join('\n')).toContain('password=[redacted]');
  });

  it('diagnoses the OOM from live evidence, citing the limit, the usage and the log', async () => {
    const d = await diagnoseLive({ clusterId: CLUSTER_ID, namespace: 'shop', pod: OOM_POD }, deps());
    expect(d.rootCause).toBe('oom_killed');
    expect(d.state).toBe('still_failing');
    expect(d.target).toMatchObject({
      clusterId: CLUSTER_ID,
      namespace: 'shop',
      pod: OOM_POD,
      workload: 'checkout',
      workloadKind: 'Deployment',
      node: 'aks-nodepool1-0',
    });
    const text = d.evidence.map((e) => e.detail).join('\n');
    expect(text).toContain('lastState.terminated.reason=OOMKilled');
    expect(text).toContain('resources.limits.memory=256Mi');
    expect(text).toContain('usage.memory=251Mi');
    expect(d.recommendations.join(' ')).toMatch(
      /memory limit 256Mi, working set reached 251Mi: raise the limit to at least 384Mi/,
    );
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('picks the worst pod of a workload and follows a Pending pod to its PVC and missing StorageClass', async () => {
    const worst = await diagnoseLive({ clusterId: CLUSTER_ID, namespace: 'shop', workload: 'checkout' }, deps());
    expect(worst.target.pod).toBe(OOM_POD);
    const pending = await diagnoseLive({ clusterId: CLUSTER_ID, namespace: 'shop', pod: 'redis-0' }, deps());
    expect(pending.rootCause).toBe('volume_mount_error');
    expect(pending.summary).toMatch(/StorageClass "fast-ssd" does not exist/);
    expect(pending.evidence.some((e) => e.reproduce === 'kubectl get storageclass fast-ssd')).toBe(true);
  });

  it('diagnoses a node that stopped posting status', async () => {
    const d = await diagnoseLive({ clusterId: CLUSTER_ID, node: 'aks-nodepool1-1' }, deps());
    expect(d.rootCause).toBe('node_not_ready');
    expect(d.evidence.map((e) => e.detail).join('\n')).toContain('reason=NodeStatusUnknown');
  });

  it('throws NotFoundError for a pod that does not exist', async () => {
    await expect(
      diagnoseLive({ clusterId: CLUSTER_ID, namespace: 'shop', pod: 'nope' }, deps()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
