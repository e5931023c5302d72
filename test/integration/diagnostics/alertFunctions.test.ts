// The diagnostics functions as the host calls them (real HttpRequest / InvocationContext), with the app's real
// dependencies: ARM listClusterUserCredential + managed identity tokens (local stand-ins) to reach the simulated
// Kubernetes API, Container insights history from the local Log Analytics endpoint, Azurite queue and tables.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStaticKubeSource } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { applyHostSettings } from '../../support/hostSettings.js';
import { startKubeBehindArm, type KubeBehindArm } from '../../support/kubeBehindArm.js';
import { getConfig, QUEUE_NAMES } from '../../../shared/config/config.js';
import { createQueueClient } from '../../../shared/storage/storageClients.js';
import { alertsWebhook, alertsWorker, diagnoseNow, getDiagnosis, listDiagnoses } from '../../../functions/alerts.js';
import { CLUSTER_ID, OOM_POD, PASSWORD, prometheusAlertBody, scenarioLogs, scenarioObjects } from './scenario.js';
import { HttpRequest, InvocationContext } from '../../support/functionsRuntime.js';

let azurite: AzuriteInstance;
let aks: KubeBehindArm;
let restoreSettings: () => void;
const logs: string[] = [];
const context = (dequeueCount = 1) =>
  new InvocationContext({
    invocationId: 'test',
    functionName: 'diagnostics',
    logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
    triggerMetadata: { dequeueCount },
  });
const request = (
  method: string,
  route: string,
  init: {
    body?: unknown;
    query?: Record<string, string>;
    params?: Record<string, string>;
    contentType?: string;
  } = {},
) =>
  new HttpRequest({
    method,
    url: `http://127.0.0.1:7071/api/${route}?${new URLSearchParams(init.query ?? {}).toString()}`,
    query: init.query,
    params: init.params,
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body:
      init.body === undefined
        ? undefined
        : { string: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) },
  });

beforeAll(async () => {
  aks = await startKubeBehindArm({
    dataDir: '.data/test-diagnostics-functions',
    clusters: [{ id: CLUSTER_ID, location: 'westeurope', kubernetesVersion: '1.30.6' }],
    kube: { source: createStaticKubeSource(scenarioObjects(), { logs: scenarioLogs() }) },
  });
  azurite = await startAzurite({ identity: aks.tls });
  const { local } = aks;
  const now = Date.now();
  local.setLogAnalyticsRows('KubePodInventory', [
    {
      // Container Insights rows carry the cluster as _ResourceId (resource-centric queries select on it).
      _ResourceId: CLUSTER_ID.toLowerCase(),
      TimeGenerated: new Date(now - 120_000).toISOString(),
      ClusterId: CLUSTER_ID,
      Namespace: 'shop',
      Name: OOM_POD,
      ContainerName: '7c1e4a52-93d2-4f7b-9a51-0d4b2f6c1e01/checkout',
      ContainerRestartCount: 5,
      ContainerLastStatus: 'OOMKilled',
      ContainerStatusReason: 'CrashLoopBackOff',
      PodStatus: 'Running',
    },
  ]);
  local.setLogAnalyticsRows('Perf', [
    {
      // Container Insights rows carry the cluster as _ResourceId (resource-centric queries select on it).
      _ResourceId: CLUSTER_ID.toLowerCase(),
      TimeGenerated: new Date(now - 180_000).toISOString(),
      ObjectName: 'K8SContainer',
      CounterName: 'memoryWorkingSetBytes',
      InstanceName: `${CLUSTER_ID}/7c1e4a52-93d2-4f7b-9a51-0d4b2f6c1e01/checkout`,
      CounterValue: 267386880,
    },
  ]);
  local.setLogAnalyticsRows('ContainerLogV2', [
    {
      // Container Insights rows carry the cluster as _ResourceId (resource-centric queries select on it).
      _ResourceId: CLUSTER_ID.toLowerCase(),
      TimeGenerated: new Date(now - 150_000).toISOString(),
      PodNamespace: 'shop',
      PodName: OOM_POD,
      ContainerName: 'checkout',
      LogMessage: 'ERROR java.lang.OutOfMemoryError: Java heap space',
    },
  ]);
  // Host storage as in Azure: identity-based settings, tokens from the local managed identity endpoint.
  restoreSettings = applyHostSettings(local, azurite, {
    SIMULATOR_CLUSTER_ID: CLUSTER_ID,
    DIAGNOSE_DEFAULT_CLUSTER_ID: CLUSTER_ID,
    SWEEP_SUBSCRIPTION_IDS: '00000000-0000-0000-0000-000000000000',
    RESULTS_SINK: 'file',
    RESULTS_DIR: '.data/test-diagnostics-functions/results',
  });
});

afterAll(async () => {
  restoreSettings();
  await Promise.all([aks.close(), azurite.stop()]);
});

describe('diagnostics functions', () => {
  it('webhook -> queue -> worker (ARM credentials, managed identity, Container insights) -> GET /api/diagnoses/{id}', async () => {
    const posted = await alertsWebhook(
      request('POST', 'alerts', {
        // Fired now: the Container insights rows above are minutes old, inside the evidence window of the alert.
        body: prometheusAlertBody({ firedAt: new Date().toISOString() }),
      }),
      context(),
    );
    expect(posted.status).toBe(202);
    const id = (posted.jsonBody as { id: string }).id;
    expect((await getDiagnosis(request('GET', `diagnoses/${id}`, { params: { id } }), context())).status).toBe(404);

    const queue = createQueueClient(getConfig(), QUEUE_NAMES.alerts);
    const received = await queue.receiveMessages();
    const body = JSON.parse(
      Buffer.from(received.receivedMessageItems[0]!.messageText, 'base64').toString('utf8'),
    ) as unknown;
    await alertsWorker(body, context());

    const got = await getDiagnosis(request('GET', `diagnoses/${id}`, { params: { id } }), context());
    expect(got.status).toBe(200);
    const d = got.jsonBody as {
      rootCause: string;
      evidence: Array<{ source: string; detail: string; reproduce: string }>;
      recommendations: string[];
    };
    expect(d.rootCause).toBe('oom_killed');
    const history = d.evidence.filter((e) => e.source === 'log-analytics');
    expect(history.map((e) => e.detail).join('\n')).toMatch(/ContainerRestartCount=5/);
    expect(history.map((e) => e.detail).join('\n')).toMatch(/max_CounterValue=267386880/);
    expect(history.every((e) => /^(KubePodInventory|Perf|ContainerLogV2)\n/.test(e.reproduce))).toBe(true);
    expect(d.recommendations.join(' ')).toMatch(/working set reached 255Mi/);
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('a malformed message goes to alerts-poison at once (not retried, not dropped) with the reason logged', async () => {
    logs.length = 0;
    const malformed = { id: `malformed-${Date.now()}`, alert: { schemaId: 'nope' } };
    await expect(alertsWorker(malformed, context(1))).resolves.toBeUndefined();
    expect(logs.join('\n')).toMatch(/malformed alerts message: moved to alerts-poison without retrying/);
    const poison = createQueueClient(getConfig(), `${QUEUE_NAMES.alerts}-poison`);
    const got = await poison.receiveMessages({ numberOfMessages: 32 });
    const bodies = got.receivedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString('utf8'));
    expect(bodies).toContain(JSON.stringify(malformed));
  });

  it('GET /api/diagnoses filters by cluster and since, and refuses a bad since', async () => {
    const ok = await listDiagnoses(
      request('GET', 'diagnoses', { query: { cluster: CLUSTER_ID, since: '1h' } }),
      context(),
    );
    expect(ok.status).toBe(200);
    expect((ok.jsonBody as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(1);
    const none = await listDiagnoses(
      request('GET', 'diagnoses', {
        query: { cluster: CLUSTER_ID, since: new Date(Date.now() + 60_000).toISOString() },
      }),
      context(),
    );
    expect((none.jsonBody as { items: unknown[] }).items).toEqual([]);
    const bad = await listDiagnoses(request('GET', 'diagnoses', { query: { since: 'yesterday' } }), context());
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.jsonBody)).toMatch(/since/);
    expect((await listDiagnoses(request('GET', 'diagnoses', { query: { pageSize: '0' } }), context())).status).toBe(
      400,
    );
    // A token of the right alphabet that no page ever issued is the caller's mistake, not an upstream failure.
    const forged = await listDiagnoses(request('GET', 'diagnoses', { query: { continuationToken: 'abc' } }), context());
    expect(forged.status).toBe(400);
    expect(JSON.stringify(forged.jsonBody)).toMatch(/continuation token is not valid/);
  });

  it('POST /api/diagnose runs the engine synchronously: pod, service-less node, 404 and 400', async () => {
    const pod = await diagnoseNow(
      request('POST', 'diagnose', { body: { namespace: 'shop', pod_name: OOM_POD, include_logs: true } }),
      context(),
    );
    expect(pod.status).toBe(200);
    expect(pod.jsonBody).toMatchObject({ rootCause: 'oom_killed', target: { clusterId: CLUSTER_ID, pod: OOM_POD } });
    const node = await diagnoseNow(request('POST', 'diagnose', { body: { node_name: 'aks-nodepool1-1' } }), context());
    expect(node.jsonBody).toMatchObject({ rootCause: 'node_not_ready' });
    const missing = [
      { namespace: 'shop', pod_name: 'missing-pod' },
      { namespace: 'shop', service_name: 'missing-svc' },
    ];
    const invalid = [
      {},
      { namespace: 'shop' },
      { namespace: 'shop', pod_name: 'a', node_name: 'b' },
      { pod_name: 'x' },
      { namespace: 'Shop!', pod_name: 'x' },
      { namespace: 'shop', pod_name: 'x', extra: 1 },
      'not json',
    ];
    for (const [body, status] of [...missing.map((b) => [b, 404] as const), ...invalid.map((b) => [b, 400] as const)]) {
      const res = await diagnoseNow(request('POST', 'diagnose', { body }), context());
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
    }
  });

  it('POST /api/diagnose diagnoses a paste (text/plain or {paste}) like the CLI, with 400/413 and the reason', async () => {
    // Real event lines as pasted into github.com/RedHatOfficial/openemr-kube/issues/8 (kubectl 1.10 `From` layout).
    const paste = [
      '  Warning  FailedMount             9s (x8 over 1m)  kubelet, ip-10-0-140-139.ec2.internal  MountVolume.SetUp failed for volume "volume-02wck" : configmap "openemr-apache-config" not found',
      '  Warning  FailedMount             9s (x8 over 1m)  kubelet, ip-10-0-140-139.ec2.internal  MountVolume.SetUp failed for volume "volume-apache-ssl-conf" : configmap "apache-ssl-conf" not found',
    ].join('\n');
    const plain = await diagnoseNow(request('POST', 'diagnose', { body: paste, contentType: 'text/plain' }), context());
    expect(plain.status).toBe(200);
    expect(plain.jsonBody).toMatchObject({
      rootCause: 'config_error',
      evidence: expect.arrayContaining([
        expect.objectContaining({ source: 'input', lines: [expect.objectContaining({ line: 2 })] }),
      ]),
    });
    const json = await diagnoseNow(request('POST', 'diagnose', { body: { paste } }), context());
    expect(json.status).toBe(200);
    expect((json.jsonBody as { rootCause: string }).rootCause).toBe('config_error');
    const bad: Array<[unknown, string | undefined, number, RegExp]> = [
      ['hello, my app is slow', 'text/plain', 400, /Found no Kubernetes objects/],
      ['   ', 'text/plain', 400, /empty/],
      [{ paste: 42 }, undefined, 400, /paste: must be a string/],
      [{ paste, namespace: 'x' }, undefined, 400, /Unexpected field/],
      ['<xml/>', 'application/xml', 400, /Unsupported Content-Type/],
      ['x'.repeat(300 * 1024), 'text/plain', 413, /limit is \d+ bytes/],
    ];
    for (const [body, contentType, status, message] of bad) {
      const res = await diagnoseNow(request('POST', 'diagnose', { body, contentType }), context());
      expect([res.status, (res.jsonBody as { message: string }).message]).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
  });
});
