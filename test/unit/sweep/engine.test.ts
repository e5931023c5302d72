import { describe, expect, it } from '@jest/globals';
import { analyzeObjects, finalizeFindings } from '../../../shared/sweep/analyzeObjects.js';
import { ANALYZERS } from '../../../shared/sweep/analyzers/index.js';
import { createDumpObjectSource, parseDumpText, flattenObjects } from '../../../shared/sweep/dumpObjectSource.js';
import type { Analyzer } from '../../../shared/sweep/analyzer.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import type { ResourceKey } from '../../../shared/kube/resources.js';
import { appContainer, CLUSTER, checks, pod, runningStatus, settings, workload } from './sweepTestKit.js';

const source = (objects: Partial<Record<ResourceKey, KubeObject[]>>) =>
  createDumpObjectSource(new Map(Object.entries(objects) as [ResourceKey, KubeObject[]][]));

describe('analyzeObjects', () => {
  it('exempts AKS-managed namespaces from best-practice checks but not from failure checks', async () => {
    const crashing = pod({
      namespace: 'kube-system',
      name: 'coredns-abc',
      statuses: [runningStatus({ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } })],
    });
    const r = await analyzeObjects(
      source({
        pods: [crashing],
        deployments: [
          workload('Deployment', {
            namespace: 'kube-system',
            name: 'coredns',
            status: { readyReplicas: 3, availableReplicas: 3 },
            containers: [appContainer({ image: 'coredns:latest', resources: {} })],
          }),
        ],
      }),
      {
        clusterId: CLUSTER,
        analyzers: ANALYZERS,
        settings: settings(),
      },
    );
    expect(checks(r.findings)).toEqual(['pod.crash-loop']);
  });

  it('exempts AKS-managed objects (managedby=aks, addon-manager) from best-practice checks in any namespace', async () => {
    const managed = workload('Deployment', {
      namespace: 'monitoring',
      name: 'ama-metrics',
      status: { readyReplicas: 3, availableReplicas: 3 },
      containers: [appContainer({ resources: {} })],
    });
    managed.metadata = { ...managed.metadata, labels: { 'kubernetes.azure.com/managedby': 'aks' } };
    const users = workload('Deployment', {
      namespace: 'monitoring',
      name: 'grafana',
      status: { readyReplicas: 3, availableReplicas: 3 },
      containers: [appContainer({ resources: {} })],
    });
    const r = await analyzeObjects(source({ deployments: [managed, users] }), {
      clusterId: CLUSTER,
      analyzers: ANALYZERS,
      settings: settings(),
    });
    // The namespace-level network-policy finding is about monitoring itself (it runs grafana), not about ama-metrics.
    expect([...new Set(r.findings.filter((f) => f.kind !== 'Namespace').map((f) => f.name))]).toEqual(['grafana']);
  });

  it('collects an analyzer that throws in errors[] and keeps the others', async () => {
    const broken: Analyzer = {
      name: 'broken',
      resources: ['pods'],
      start: () => ({
        consume: () => {
          throw new Error('boom');
        },
      }),
    };
    const crashing = pod({
      statuses: [runningStatus({ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } })],
    });
    const r = await analyzeObjects(source({ pods: [crashing, pod({ name: 'other' })] }), {
      clusterId: CLUSTER,
      analyzers: [broken, ...ANALYZERS],
      settings: settings(),
    });
    expect(r.partial).toBe(true);
    expect(r.errors).toEqual(['analyzer broken failed on 2 object(s): boom']);
    expect(checks(r.findings)).toContain('pod.crash-loop');
  });

  it('restricted to a namespace, skips cluster-scoped resources and other namespaces', async () => {
    const listed: string[] = [];
    const base = source({
      pods: [pod({ namespace: 'shop' }), pod({ namespace: 'cart', name: 'cart-1' })],
      nodes: [{ metadata: { name: 'n1' } }],
    });
    const r = await analyzeObjects(
      {
        listPages: (res, o) => {
          listed.push(res.key);
          return base.listPages(res, o);
        },
      },
      { clusterId: CLUSTER, analyzers: ANALYZERS, settings: settings(), namespace: 'shop' },
    );
    expect(listed).not.toContain('nodes');
    expect(r.objectsByNamespace.get('shop')).toBe(1);
    expect(r.objectsByNamespace.has('cart')).toBe(false);
  });

  it('sorts findings by severity, namespace, kind, name and check, and stamps stable fingerprints', () => {
    const d = (severity: 'critical' | 'warning' | 'info', namespace: string, name: string, check = 'x.y') => ({
      check,
      severity,
      kind: 'Pod',
      namespace,
      name,
      message: 'm',
      evidence: ['e'],
      remediation: 'r',
    });
    const a = finalizeFindings(CLUSTER, [
      d('info', 'a', 'p'),
      d('critical', 'b', 'p'),
      d('warning', 'a', 'q'),
      d('critical', 'a', 'z'),
      d('critical', 'a', 'z'),
    ]);
    expect(a.map((f) => `${f.severity}:${f.namespace}/${f.name}`)).toEqual([
      'critical:a/z',
      'critical:b/p',
      'warning:a/q',
      'info:a/p',
    ]);
    const b = finalizeFindings(CLUSTER.toUpperCase(), [d('critical', 'a', 'z')]);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
    expect(new Set(a.map((f) => f.fingerprint)).size).toBe(4);
  });
});

describe('dump parsing', () => {
  it('reads kubectl List output, typed lists and multi-document YAML', () => {
    const yaml = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: n}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\n`;
    expect(parseDumpText(yaml, 'x.yaml').map((o) => o.kind)).toEqual(['Pod', 'Deployment']);
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p' } }] });
    expect(parseDumpText(json, 'x.json').map((o) => o.kind)).toEqual(['Pod']);
    expect(flattenObjects([{ kind: 'Node', metadata: { name: 'n' } }, 'junk', null])).toHaveLength(1);
  });
  it('names the file when it is not valid YAML or JSON', () => {
    expect(() => parseDumpText('{ "kind": ', 'broken.json')).toThrow(/broken\.json: not valid JSON/);
    expect(() => parseDumpText('a: [1,\n', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
  });
});
