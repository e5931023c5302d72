// `aks-aiops diagnose` and `aks-aiops alert` through runCli: offline files in every format, live through a
// kubeconfig against the simulated Kubernetes API server, and clear errors (exit 2).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { runCli } from '../../../cli/main.js';
import { spawnSync } from 'node:child_process';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import { OOM_POD, startScenarioCluster, type ScenarioCluster } from './scenario.js';
import { captureCliIo } from '../../support/cliIo.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aks-aiops-cli-'));
let cluster: ScenarioCluster;
let kubeconfigPath: string;

beforeAll(async () => {
  cluster = await startScenarioCluster();
  kubeconfigPath = path.join(dir, 'kubeconfig');
  await cluster.server.writeKubeconfig(kubeconfigPath, { token: 'diagnostics-test-token' });
});
afterAll(async () => {
  await cluster.close();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureCliIo();
  const code = await runCli(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

function caseFile(
  name: string,
  field: 'raw_text' | 'raw_describe' = 'raw_text',
  folder = 'test/fixtures/diagnostics',
): string {
  const doc = parse(readFileSync(path.join(folder, name), 'utf8')) as Record<string, string>;
  const file = path.join(dir, `${name}.txt`);
  writeFileSync(file, doc[field] ?? '');
  return file;
}

describe('aks-aiops diagnose', () => {
  it('diagnoses a pasted `kubectl describe pod` and exits 1 for a failure', async () => {
    const r = await cli('diagnose', '--file', caseFile('104-oom-describe.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Root cause\s+oom_killed/);
    expect(r.out).toMatch(/\$ kubectl get pod report-builder-28849920-7xk2q -n batch/);
  });

  it('outputs the Diagnosis JSON, and names the pod to diagnose among several', async () => {
    const describe = readFileSync(caseFile('104-oom-describe.yaml'), 'utf8');
    const events = readFileSync(caseFile('114-crash-get-events.yaml'), 'utf8');
    const yamlPod = readFileSync('test/fixtures/diagnostics/191-healthy-transient.yaml', 'utf8');
    const pod = (parse(yamlPod) as { objects: unknown[] }).objects[0];
    const mixed = path.join(dir, 'mixed.txt');
    writeFileSync(mixed, `${describe}\n${events}\n---\n${JSON.stringify(pod)}\n`);
    const worst = JSON.parse((await cli('diagnose', '--file', mixed, '--output', 'json')).out) as {
      rootCause: string;
      target: { pod: string };
    };
    expect(worst).toMatchObject({ rootCause: 'oom_killed', target: { pod: 'report-builder-28849920-7xk2q' } });
    const named = await cli('diagnose', '--file', mixed, '--pod', 'shop/checkout-7d4b9c6f5-h4j5k', '-o', 'json');
    expect(named.code).toBe(0);
    expect(JSON.parse(named.out)).toMatchObject({
      rootCause: 'healthy',
      target: { namespace: 'shop', pod: 'checkout-7d4b9c6f5-h4j5k' },
    });
    const crash = await cli('diagnose', '--file', mixed, '--pod', 'web/frontend-7f8d9c6b5-2wq9x', '-o', 'json');
    expect(JSON.parse(crash.out)).toMatchObject({ rootCause: 'crash_loop' });
  });

  it('diagnoses a describe of pod and PVC together (missing StorageClass)', async () => {
    const r = await cli(
      'diagnose',
      '--file',
      caseFile('044-volume-holmes-pvc-storageclass.yaml', 'raw_describe', 'test/fixtures/cases'),
      '-o',
      'json',
    );
    expect(JSON.parse(r.out)).toMatchObject({ rootCause: 'volume_mount_error' });
  });

  it('diagnoses live through a kubeconfig', async () => {
    const r = await cli('diagnose', '--kubeconfig', kubeconfigPath, '--pod', `shop/${OOM_POD}`, '-o', 'json');
    expect(r.err).toBe('');
    const d = JSON.parse(r.out) as { rootCause: string; evidence: Array<{ source: string }> };
    expect(d.rootCause).toBe('oom_killed');
    expect(d.evidence.map((e) => e.source)).toContain('metrics.k8s.io');
    const ns = await cli('diagnose', '--kubeconfig', kubeconfigPath, '--namespace', 'shop', '--workload', 'checkout');
    expect(ns.out).toContain(OOM_POD);
  });

  it('reads a paste from stdin (`--file -`) with the built CLI, citing the input lines', () => {
    // A describe fragment as pasted into github.com/testdrivenio/spark-kubernetes/issues/2: prompt line, `...` cut,
    // old scheduler wording (< 1.18, no taint named), then a `kubectl get po` table.
    const paste = [
      '$ kubectl describe po spark-master-7fcc5d88cc-24t57',
      '...',
      'Tolerations:     node.kubernetes.io/not-ready:NoExecute for 300s',
      'Events:',
      '  Type     Reason            Age                 From               Message',
      '  ----     ------            ----                ----               -------',
      "  Warning  FailedScheduling  84s (x20 over 28m)  default-scheduler  0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.",
      '',
      '$ kubectl get po',
      'NAME                            READY   STATUS    RESTARTS   AGE',
      'spark-master-7fcc5d88cc-24t57   0/1     Pending   0          30m',
    ].join('\n');
    const r = spawnSync(process.execPath, ['dist/cli.js', 'diagnose', '--file', '-', '-o', 'json'], {
      input: paste,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(d).toMatchObject({ rootCause: 'failed_scheduling', rootCauseDetail: 'untolerated_taint' });
    expect(d.evidence.flatMap((e) => e.lines ?? []).map((l) => l.line)).toContain(7);
    expect(d.summary).toMatch(/Not in the paste: no namespace/);
    const refused = spawnSync(process.execPath, ['dist/cli.js', 'diagnose', '--file', '-'], {
      input: 'my pod is broken, please help\n',
      encoding: 'utf8',
    });
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringMatching(/Found no Kubernetes objects/)]);
  });

  it('exits 2 with a message on bad input', async () => {
    expect((await cli('diagnose')).code).toBe(2);
    const missing = await cli('diagnose', '--file', path.join(dir, 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    const garbage = path.join(dir, 'garbage.txt');
    writeFileSync(garbage, 'hello world\n');
    expect((await cli('diagnose', '--file', garbage)).err).toMatch(/Found no Kubernetes objects/);
    expect((await cli('diagnose', '--file', garbage, '--output', 'xml')).err).toMatch(
      /--output must be table, json or html/,
    );
    const notThere = await cli('diagnose', '--kubeconfig', kubeconfigPath, '--pod', 'shop/nope');
    expect(notThere.code).toBe(2);
    expect(notThere.err).toMatch(/Pod shop\/nope not found/);
  });
});

describe('aks-aiops alert', () => {
  const alertFile = path.join(dir, 'alert.json');
  beforeAll(() => {
    writeFileSync(
      alertFile,
      JSON.stringify({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
          essentials: {
            alertId: '/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/cli-1',
            alertRule: 'KubeContainerOOMKilledCount',
            severity: 'Sev2',
            signalType: 'Metric',
            monitorCondition: 'Fired',
            monitoringService: 'Prometheus',
            alertTargetIDs: ['/subscriptions/s/resourcegroups/rg/providers/microsoft.monitor/accounts/amw'],
            configurationItems: ['aks-sim'],
            firedDateTime: new Date().toISOString(),
          },
          alertContext: {
            expression:
              'sum by (cluster,container,controller,namespace)(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) > 0',
            expressionValue: '1',
            labels: { cluster: 'aks-sim', namespace: 'shop', pod: OOM_POD, container: 'checkout' },
          },
        },
      }),
    );
  });

  it('runs a saved payload through normalisation, live evidence and rules', async () => {
    const r = await cli('alert', alertFile, '--kubeconfig', kubeconfigPath);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Alert\s+KubeContainerOOMKilledCount \(prometheus, Sev2, Fired/);
    expect(r.out).toMatch(/playbook oom-killed/);
    expect(r.out).toMatch(/Root cause\s+oom_killed/);
  });

  it('without cluster access reports the alert and how to add evidence; refuses invalid payloads', async () => {
    const r = await cli('alert', alertFile, '-o', 'json');
    const d = JSON.parse(r.out) as { alert: { target: { namespace: string } }; recommendations: string[] };
    expect(d.alert.target.namespace).toBe('shop');
    expect(d.recommendations.join(' ')).toMatch(/--kubeconfig/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ status: 'Activated' }));
    const refused = await cli('alert', bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/common alert schema/);
  });
});
