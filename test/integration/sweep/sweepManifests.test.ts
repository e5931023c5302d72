// `aks-aiops sweep --file` on plain manifests (no status, no Endpoints), through runCli: the simulator's own
// workloads rendered without status sweep clean (exit 0); a manifest set with one seeded problem per check family
// finds each; SARIF and JUnit point at the manifest lines; aks-aiops.yaml and annotations configure the checks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../../cli/main.js';
import { buildClusterModel } from '../../../shared/simulator/cluster/buildClusterModel.js';
import { renderCluster } from '../../../shared/simulator/cluster/clusterObjects.js';
import { captureCliIo } from '../../support/cliIo.js';

const SEEDED = path.resolve('test/fixtures/sweep/manifests/one-problem-per-family.yaml');

interface JsonOut {
  findings: { check: string; severity: string; kind: string; namespace?: string; name: string; message: string }[];
}

/** Kinds a person writes in a manifest set; the rest (pods, ReplicaSets, Endpoints, events, nodes) are cluster state. */
const MANIFEST_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
  'Service',
  'ConfigMap',
  'Ingress',
  'IngressClass',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'PersistentVolumeClaim',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'NetworkPolicy',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aks-aiops-manifests-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sweep --file on manifests without live state', () => {
  it("sweeps the simulator's own workloads, rendered without status, clean: exit 0, no critical finding", async () => {
    const model = buildClusterModel(
      {
        seed: 7,
        clusterName: 'aks-sim',
        clusterId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-sim',
      },
      Date.parse('2026-11-22T12:00:00Z'),
      [],
    );
    const manifests = renderCluster(model, '1')
      .objects.filter((o) => MANIFEST_KINDS.has(String(o.kind)))
      .map((o): Record<string, unknown> => {
        const { status: _status, ...rest } = o as Record<string, unknown>;
        const meta = { ...(rest.metadata as Record<string, unknown>) };
        for (const f of [
          'uid',
          'resourceVersion',
          'creationTimestamp',
          'generation',
          'managedFields',
          'ownerReferences',
        ])
          delete meta[f];
        return { ...rest, metadata: meta };
      });
    expect(manifests.some((m) => m.kind === 'Deployment')).toBe(true);
    const file = path.join(dir, 'simulator.yaml');
    await writeFile(file, manifests.map((m) => stringify(m)).join('---\n'));
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', file, '--output', 'json'], c.io);
    const json = JSON.parse(c.out()) as JsonOut;
    expect(json.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    // No live-state check speaks without live state.
    expect(json.findings.filter((f) => /replicas-not-ready|no-endpoints|pods-unavailable/.test(f.check))).toEqual([]);
    expect(code).toBe(0);
  });

  it('finds the one problem seeded per family, with namespace-less objects in "default" (no "undefined/")', async () => {
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', SEEDED, '--output', 'json', '--fail-on', 'none'], c.io);
    expect(code).toBe(0);
    const json = JSON.parse(c.out()) as JsonOut;
    const found = (check: string, name: string) => json.findings.some((f) => f.check === check && f.name === name);
    const seeded: [string, string][] = [
      ['security.host-namespaces', 'node-agent'],
      ['rbac.cluster-admin-binding', 'ci-deployer-admin'],
      ['netpol.selects-nothing', 'allow-frontend'],
      ['availability.pdb-hpa-conflict', 'checkout'],
      ['resources.ephemeral-storage-missing', 'checkout'],
      ['exposure.load-balancer-unrestricted', 'checkout-public'],
      ['sensitive.configmap-credential', 'checkout-settings'],
      ['api.removed', 'nightly-report'],
      ['probes.liveness-equals-readiness', 'checkout'],
      ['service.selector-matches-nothing', 'inventory'],
      ['statefulset.service-not-headless', 'ledger'],
    ];
    for (const [check, name] of seeded)
      expect({ check, name, found: found(check, name) }).toEqual({ check, name, found: true });
    expect(json.findings.every((f) => !f.message.includes('undefined/'))).toBe(true);
    expect(json.findings.find((f) => f.name === 'inventory')?.namespace).toBe('default');
    // The credential's value never leaves the manifest.
    expect(c.out()).not.toContain('pk-test-not-a-real-key');
  });

  it('writes SARIF 2.1.0 whose results point at the manifest file and line of each object', async () => {
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', SEEDED, '--output', 'sarif'], c.io);
    expect(code).toBe(1); // api.removed is critical
    const sarif = JSON.parse(c.out()) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; helpUri?: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
            logicalLocations: { fullyQualifiedName: string }[];
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('aks-aiops');
    const text = await readFile(SEEDED, 'utf8');
    const lines = text.split('\n');
    const removed = run.results.find((r) => r.ruleId === 'api.removed')!;
    expect(removed.level).toBe('error');
    const loc = removed.locations[0]!.physicalLocation!;
    expect(loc.artifactLocation.uri).toBe(path.relative(process.cwd(), SEEDED).split(path.sep).join('/'));
    // The object starts at its apiVersion line.
    expect(lines[loc.region.startLine - 1]).toBe('apiVersion: batch/v1beta1');
    const lb = run.results.find((r) => r.ruleId === 'exposure.load-balancer-unrestricted')!;
    const lbLine = lb.locations[0]!.physicalLocation!.region.startLine;
    expect(lines.slice(lbLine - 1, lbLine + 3).join('\n')).toContain('name: checkout-public');
    expect(lb.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe('Service/default/checkout-public');
    // Every result's rule is described once, with its docs link.
    for (const r of run.results) expect(run.tool.driver.rules.some((d) => d.id === r.ruleId && d.helpUri)).toBe(true);
  });

  it('writes JUnit XML: findings at or above --fail-on are failures, the others pass with their message', async () => {
    const c = captureCliIo();
    await runCli(['sweep', '--file', SEEDED, '--output', 'junit', '--fail-on', 'warning'], c.io);
    const xml = c.out();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="aks-aiops sweep" tests="\d+" failures="\d+">/,
    );
    expect(xml).toMatch(
      /<testsuite name="CronJob default\/nightly-report" tests="\d+" failures="\d+" file="test\/fixtures\/sweep\/manifests\/one-problem-per-family.yaml">/,
    );
    expect(xml).toMatch(
      /<testcase classname="CronJob default\/nightly-report" name="api.removed" file="[^"]+" line="\d+">\n\s+<failure type="critical"/,
    );
    // info findings are not failures at --fail-on warning.
    expect(xml).toMatch(/name="resources.ephemeral-storage-missing"[^>]*>\n\s+<system-out>/);
    const total = Number(/tests="(\d+)"/.exec(xml)?.[1]);
    const failures = Number(/failures="(\d+)"/.exec(xml)?.[1]);
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(total);
  });

  it('applies aks-aiops.yaml: a check off, a severity changed, a namespace and a workload exempted; and an annotation', async () => {
    const policyFile = path.join(dir, 'aks-aiops.yaml');
    await writeFile(
      policyFile,
      [
        'checks:',
        '  api.removed: warning            # severity changed: the sweep no longer fails on it',
        '  sensitive.configmap-credential: off',
        'exemptions:',
        '  - workloads: [default/node-agent]',
        '    checks: [security.host-namespaces]',
        '  - namespaces: [build]',
      ].join('\n'),
    );
    const annotated = path.join(dir, 'annotated.yaml');
    await writeFile(
      annotated,
      (await readFile(SEEDED, 'utf8')).replace(
        '  name: checkout-public\n',
        '  name: checkout-public\n  annotations:\n    aks-aiops.io/exempt: exposure.load-balancer-unrestricted\n',
      ),
    );
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', annotated, '--config', policyFile, '--output', 'json'], c.io);
    const json = JSON.parse(c.out()) as JsonOut;
    const checks = json.findings.map((f) => `${f.check} ${f.name}`);
    expect(json.findings.find((f) => f.check === 'api.removed')?.severity).toBe('warning');
    expect(checks).not.toContain('sensitive.configmap-credential checkout-settings');
    expect(checks).not.toContain('security.host-namespaces node-agent');
    expect(checks).not.toContain('exposure.load-balancer-unrestricted checkout-public');
    // Still reported: what the policy does not name.
    expect(checks).toContain('rbac.cluster-admin-binding ci-deployer-admin');
    expect(checks).toContain('service.selector-matches-nothing inventory');
    // The cluster-admin binding is still critical (the policy did not touch it), so the sweep still fails.
    expect(json.findings.filter((f) => f.severity === 'critical').map((f) => f.check)).toEqual([
      'rbac.cluster-admin-binding',
    ]);
    expect(code).toBe(1);
  });

  it('rejects a policy naming an unknown check (exit 2, the id named)', async () => {
    const policyFile = path.join(dir, 'bad.yaml');
    await writeFile(policyFile, 'checks:\n  security.no-such-check: off\n');
    const c = captureCliIo();
    expect(await runCli(['sweep', '--file', SEEDED, '--config', policyFile], c.io)).toBe(2);
    expect(c.err()).toContain('security.no-such-check');
  });
});
