// Helpers for analyzer tests: realistic objects as the API server returns them, and a run through the real engine.
import { expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { analyzeObjects } from '../../../shared/sweep/analyzeObjects.js';
import { DEFAULT_SWEEP_SETTINGS, type Analyzer, type SweepSettings } from '../../../shared/sweep/analyzer.js';
import { createDumpObjectSource } from '../../../shared/sweep/dumpObjectSource.js';
import type { Finding } from '../../../shared/sweep/types.js';
import type { SweepPolicy } from '../../../shared/sweep/policy.js';
import type { Container, ContainerStatus, KubeObject } from '../../../shared/kube/objects.js';
import type { ResourceKey } from '../../../shared/kube/resources.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-test';

export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export function settings(overrides: Partial<SweepSettings> = {}): SweepSettings {
  return { ...DEFAULT_SWEEP_SETTINGS, now: NOW, ...overrides };
}

export type Objects = Partial<Record<ResourceKey, KubeObject[]>>;

export async function analyze(
  analyzers: Analyzer | Analyzer[],
  objects: Objects,
  overrides: Partial<SweepSettings> = {},
  policy?: SweepPolicy,
): Promise<Finding[]> {
  const result = await analyzeObjects(
    createDumpObjectSource(new Map(Object.entries(objects) as [ResourceKey, KubeObject[]][])),
    {
      clusterId: CLUSTER,
      analyzers: Array.isArray(analyzers) ? analyzers : [analyzers],
      settings: settings(overrides),
      policy,
    },
  );
  if (result.errors.length > 0) throw new Error(`unexpected sweep errors: ${result.errors.join('; ')}`);
  return result.findings;
}

/** Objects of a labelled case file, with the authors' `@now-5m` style timestamps resolved against NOW. */
export function loadCase(file: string): KubeObject[] {
  const text = readFileSync(new URL(`../../fixtures/sweep/cases/${file}`, import.meta.url), 'utf8');
  const resolve = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = /^@now-(\d+)([smhd])$/.exec(v);
      return m ? ago(Number(m[1]) * { s: 1000, m: MIN, h: HOUR, d: 24 * HOUR }[m[2] as 's' | 'm' | 'h' | 'd']) : v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  return resolve((parse(text) as { objects: KubeObject[] }).objects) as KubeObject[];
}

export const appContainer = (over: Partial<Container> = {}): Container => ({
  name: 'app',
  image: 'myregistry.azurecr.io/shop/web:1.4.2',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  securityContext: { runAsNonRoot: true, runAsUser: 10001 },
  ...over,
});

export const runningStatus = (over: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: 'app',
  ready: true,
  started: true,
  restartCount: 0,
  image: 'myregistry.azurecr.io/shop/web:1.4.2',
  state: { running: { startedAt: ago(2 * HOUR) } },
  ...over,
});

export function pod(opts: {
  name?: string;
  namespace?: string;
  phase?: string;
  reason?: string;
  message?: string;
  containers?: Container[];
  statuses?: ContainerStatus[];
  initStatuses?: ContainerStatus[];
  conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  owner?: { kind: string; name: string } | null;
  nodeName?: string;
  restartPolicy?: string;
}): KubeObject {
  const name = opts.name ?? 'web-7d9c6b8f5-x2x4k';
  return {
    metadata: {
      name,
      namespace: opts.namespace ?? 'shop',
      uid: `uid-${name}`,
      labels: { app: 'web', 'pod-template-hash': '7d9c6b8f5' },
      creationTimestamp: ago(3 * HOUR),
      ownerReferences:
        opts.owner === null
          ? undefined
          : [
              {
                apiVersion: 'apps/v1',
                kind: opts.owner?.kind ?? 'ReplicaSet',
                name: opts.owner?.name ?? 'web-7d9c6b8f5',
                controller: true,
              },
            ],
    },
    spec: {
      containers: opts.containers ?? [appContainer()],
      nodeName: opts.nodeName ?? 'aks-nodepool1-12345678-vmss000000',
      restartPolicy: opts.restartPolicy ?? 'Always',
    },
    status: {
      phase: opts.phase ?? 'Running',
      reason: opts.reason,
      message: opts.message,
      startTime: ago(3 * HOUR),
      conditions: opts.conditions ?? [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: opts.statuses ?? [runningStatus()],
      initContainerStatuses: opts.initStatuses,
    },
  };
}

export function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob',
  opts: {
    name?: string;
    namespace?: string;
    replicas?: number;
    status?: Record<string, unknown>;
    containers?: Container[];
    spec?: Record<string, unknown>;
    podSpec?: Record<string, unknown>;
    owner?: { kind: string; name: string };
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  const template = {
    metadata: { labels: opts.labels ?? { app: opts.name ?? 'web' } },
    spec: { containers: opts.containers ?? [appContainer()], ...opts.podSpec },
  };
  const spec: Record<string, unknown> =
    kind === 'CronJob'
      ? { schedule: '*/5 * * * *', jobTemplate: { spec: { template } }, ...opts.spec }
      : kind === 'Job'
        ? { backoffLimit: 6, template, ...opts.spec }
        : {
            replicas: opts.replicas ?? 3,
            selector: { matchLabels: opts.labels ?? { app: opts.name ?? 'web' } },
            template,
            ...opts.spec,
          };
  if (kind === 'DaemonSet') delete spec.replicas;
  return {
    metadata: {
      name: opts.name ?? 'web',
      namespace: opts.namespace ?? 'shop',
      creationTimestamp: ago(24 * HOUR),
      ownerReferences: opts.owner ? [{ kind: opts.owner.kind, name: opts.owner.name, controller: true }] : undefined,
    },
    spec,
    status: opts.status ?? {},
  };
}

export function event(opts: {
  kind: string;
  name: string;
  namespace?: string;
  reason: string;
  message: string;
  count?: number;
  last?: string;
}): KubeObject {
  return {
    metadata: { name: `${opts.name}.${opts.reason}`, namespace: opts.namespace ?? 'shop' },
    involvedObject: { kind: opts.kind, name: opts.name, namespace: opts.namespace ?? 'shop' },
    reason: opts.reason,
    message: opts.message,
    type: 'Warning',
    count: opts.count ?? 1,
    lastTimestamp: opts.last ?? ago(2 * MIN),
  };
}

export function checks(findings: Finding[]): string[] {
  return findings.map((f) => f.check);
}

/** One table-driven analyzer case: the objects, why a finding should (not) appear, and the checks expected. */
export interface AnalyzerCase {
  name: string;
  why: string;
  objects: Objects;
  expect: string[];
  severity?: string;
  mentions?: string[];
  /** Checks off or on (opt-in checks are off by default), severities, exemptions. */
  policy?: SweepPolicy;
  settings?: Partial<SweepSettings>;
}
export function analyzerTable(analyzer: Analyzer, cases: AnalyzerCase[]): void {
  it.each(cases)('$name', async (c) => {
    const findings = await analyze(analyzer, c.objects, c.settings, c.policy);
    expect(checks(findings)).toEqual(c.expect);
    if (c.severity) expect(findings[0]?.severity).toBe(c.severity);
    for (const m of c.mentions ?? []) expect(`${findings[0]?.message} ${findings[0]?.evidence.join(' ')}`).toContain(m);
  });
}
