// Live evidence through the Kubernetes API with @kubernetes/client-node: the pods concerned and their owner,
// container states, events of the object, the previous container's log tail (bounded, secrets redacted), the node,
// PVCs and StorageClasses, and metrics.k8s.io usage. Two phases: list candidates and pick the subject (the named pod,
// or the worst pod of the workload / namespace), then read the details of that subject only.
// A missing optional piece (no metrics-server, logs rotated away, RBAC on storage classes) becomes a gap; failing to
// reach the API at all throws, so the queue message is retried.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Event as CoreV1Event, Node as V1Node, Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass as V1StorageClass } from 'kubernetes-types/storage/v1.js';
import { toWire } from '../../kube/objects.js';
import { NotFoundError, RemoteServiceError, ensureErrorType } from '../../errors.js';
import { redactSecrets } from '../../observability/logger.js';
import { selectSubject } from '../engine.js';
import type { EvidenceNeed } from '../playbooks.js';
import { eventRecordFromObject } from '../parse/parseDump.js';
import { claimsOf, containersOf, podName, podNamespace } from '../rules/podFacts.js';
import type { DiagnosisTarget } from '../types.js';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../../outbound/timeouts.js';
import { kubeRequestOptions, type KubeRequestOptions } from '../../kube/requestOptions.js';
import { emptySnapshot, parseQuantity, type ClusterSnapshot, type ContainerUsage } from './snapshot.js';
import { evidenceGap } from './gaps.js';

export interface KubeEvidenceOptions {
  logTailLines: number;
  includeLogs?: boolean;
  needs?: EvidenceNeed[];
  abortSignal?: AbortSignal;
  /** Pods listed per namespace when looking for the worst pod of a workload. */
  listLimit?: number;
  /** Fill this snapshot (so what was gathered survives when the gathering is cut short). */
  into?: ClusterSnapshot;
}

const SECRET_IN_LOG = [
  /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|authorization)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
  /(AccountKey=|SharedAccessSignature=|sig=)[^;&\s"]+/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g,
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)?/g,
];

/** Removes credentials a process may print (passwords, keys, bearer tokens, SAS signatures, JWTs, private keys). */
export function redactLogLine(line: string): string {
  let out = redactSecrets(line);
  out = out.replace(SECRET_IN_LOG[0]!, '$1[redacted]');
  out = out.replace(SECRET_IN_LOG[1]!, '$1[redacted]');
  out = out.replace(SECRET_IN_LOG[2]!, '[redacted-jwt]');
  out = out.replace(SECRET_IN_LOG[3]!, '$1[redacted]');
  return out;
}

/** The last `maxLines` lines of a log, each redacted and cut to 2 KB. */
export function boundLogTail(text: string, maxLines: number): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-maxLines).map((l) => redactLogLine(l).slice(0, 2048));
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * One API call with two retries on 429/5xx/connection errors; 404 → undefined. Each attempt runs under the shared
 * timeout policy and the request itself receives the signal (kubeRequestOptions), so an abort ends the socket too.
 */
async function call<T>(
  what: string,
  fn: (options: KubeRequestOptions) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTimeout(`Kubernetes API (${what})`, OUTBOUND_TIMEOUT_MS.kubernetes, signal, (s) =>
        fn(kubeRequestOptions(s)),
      );
    } catch (err) {
      if (signal?.aborted) throw err;
      const status = statusOf(err);
      if (status === 404) return undefined;
      const retryable = status === undefined || status === 429 || status >= 500;
      if (!retryable || attempt >= 2) {
        throw new RemoteServiceError(
          `${what}: ${status ?? 'no response'} ${redactSecrets(ensureErrorType(err).message).slice(0, 300)}`,
          { statusCode: status ?? 0, cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

/** Optional evidence: a failure is recorded as a gap instead of failing the diagnosis. */
async function optional<T>(
  snapshot: ClusterSnapshot,
  what: string,
  fn: () => Promise<T | undefined>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    snapshot.gaps.push(evidenceGap(what, err));
    return undefined;
  }
}

function usageFrom(item: {
  metadata?: { name?: string; namespace?: string };
  containers?: Array<{ name: string; usage?: Record<string, string> }>;
}): ContainerUsage[] {
  return (item.containers ?? []).map((c) => {
    const cpu = parseQuantity(c.usage?.cpu);
    const memory = parseQuantity(c.usage?.memory);
    return {
      namespace: item.metadata?.namespace ?? 'default',
      pod: item.metadata?.name ?? '',
      container: c.name,
      cpuMillicores: cpu === undefined ? undefined : cpu * 1000,
      memoryBytes: memory,
      cpuText: c.usage?.cpu,
      memoryText: c.usage?.memory,
    };
  });
}

/**
 * Gathers the snapshot for a target. Throws NotFoundError when the named object does not exist and
 * RemoteServiceError when the API server cannot be reached (after retries).
 */
export async function gatherKubeEvidence(
  kc: KubeConfig,
  target: DiagnosisTarget,
  options: KubeEvidenceOptions,
): Promise<ClusterSnapshot> {
  const signal = options.abortSignal;
  const core = kc.makeApiClient(CoreV1Api);
  const snapshot = options.into ?? emptySnapshot('live');
  const ns = target.namespace;

  // Phase 1: candidates.
  if (target.pod && ns) {
    const pod = await call(
      `read pod ${ns}/${target.pod}`,
      (o) => core.readNamespacedPod({ name: target.pod!, namespace: ns }, o),
      signal,
    );
    if (pod) snapshot.pods.push(toWire(pod));
  }
  if (snapshot.pods.length === 0 && ns && (target.workload || !target.node) && !target.pvc) {
    const list = await call(
      `list pods in ${ns}`,
      (o) => core.listNamespacedPod({ namespace: ns, limit: options.listLimit ?? 500 }, o),
      signal,
    );
    snapshot.pods.push(...(list?.items ?? []).map((p) => toWire<V1Pod>(p)));
  }
  if (target.node) {
    const node = await call(`read node ${target.node}`, (o) => core.readNode({ name: target.node! }, o), signal);
    if (node) snapshot.nodes.push(toWire(node));
    else if (!target.pod && !ns) throw new NotFoundError(`Node ${target.node} not found`);
  }
  if (target.pvc && ns) {
    const pvc = await call(
      `read pvc ${ns}/${target.pvc}`,
      (o) => core.readNamespacedPersistentVolumeClaim({ name: target.pvc!, namespace: ns }, o),
      signal,
    );
    if (pvc) snapshot.pvcs.push(toWire(pvc));
  }

  const subject = selectSubject(snapshot, target);
  snapshot.observedAt = new Date();

  // Phase 2: details of the subject.
  if (subject.kind === 'pod') {
    await gatherPodDetails(kc, core, subject.pod, snapshot, options);
  } else if (subject.kind === 'node') {
    await gatherNodeDetails(core, subject.node, snapshot, signal);
  } else if (subject.kind === 'pvc') {
    const name = subject.pvc.metadata?.name ?? '';
    const pvcNs = subject.pvc.metadata?.namespace ?? 'default';
    await optional(snapshot, 'PVC events', async () => {
      await addEventsOf(core, pvcNs, name, 'list events', snapshot, signal);
      return undefined;
    });
    await optional(snapshot, 'StorageClasses', async () => {
      await readStorageClasses(kc, snapshot, signal);
      return undefined;
    });
  }
  return snapshot;
}

/** The events of one object (by involvedObject.name) in a namespace, added to the snapshot. */
async function addEventsOf(
  core: CoreV1Api,
  namespace: string,
  name: string,
  what: string,
  snapshot: ClusterSnapshot,
  signal: AbortSignal | undefined,
): Promise<void> {
  const list = await call(
    what,
    (o) => core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` }, o),
    signal,
  );
  snapshot.events.push(
    ...(list?.items ?? []).map((e) => eventRecordFromObject(e as CoreV1Event & Record<string, unknown>)),
  );
}

async function readStorageClasses(
  kc: KubeConfig,
  snapshot: ClusterSnapshot,
  signal: AbortSignal | undefined,
): Promise<void> {
  const list = await call('list storageclasses', (o) => kc.makeApiClient(StorageV1Api).listStorageClass({}, o), signal);
  snapshot.storageClasses = (list?.items ?? []).map((c) => toWire<V1StorageClass>(c));
}

async function gatherNodeDetails(
  core: CoreV1Api,
  node: V1Node,
  snapshot: ClusterSnapshot,
  signal: AbortSignal | undefined,
): Promise<void> {
  const name = node.metadata?.name ?? '';
  await Promise.all([
    optional(snapshot, 'node events', async () => {
      const list = await call(
        'list node events',
        (o) =>
          core.listEventForAllNamespaces(
            {
              fieldSelector: `involvedObject.kind=Node,involvedObject.name=${name}`,
              limit: 200,
            },
            o,
          ),
        signal,
      );
      snapshot.events.push(
        ...(list?.items ?? []).map((e) => eventRecordFromObject(e as CoreV1Event & Record<string, unknown>)),
      );
      return undefined;
    }),
    optional(snapshot, 'pods on the node', async () => {
      const list = await call(
        'list pods on node',
        (o) => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}`, limit: 500 }, o),
        signal,
      );
      for (const p of (list?.items ?? []).map((x) => toWire<V1Pod>(x)))
        if (!snapshot.pods.some((q) => q.metadata?.uid === p.metadata?.uid && q.metadata?.name === p.metadata?.name))
          snapshot.pods.push(p);
      return undefined;
    }),
  ]);
}

async function gatherPodDetails(
  kc: KubeConfig,
  core: CoreV1Api,
  pod: V1Pod,
  snapshot: ClusterSnapshot,
  options: KubeEvidenceOptions,
): Promise<void> {
  const signal = options.abortSignal;
  const ns = podNamespace(pod);
  const name = podName(pod);
  const tasks: Array<Promise<unknown>> = [];

  tasks.push(
    optional(snapshot, 'pod events', async () => {
      await addEventsOf(core, ns, name, 'list pod events', snapshot, signal);
      return undefined;
    }),
  );
  const nodeName = pod.spec?.nodeName;
  if (nodeName && !snapshot.nodes.some((n) => n.metadata?.name === nodeName)) {
    tasks.push(
      optional(snapshot, `node ${nodeName}`, async () => {
        const node = await call(`read node ${nodeName}`, (o) => core.readNode({ name: nodeName }, o), signal);
        if (node) snapshot.nodes.push(toWire(node));
        return undefined;
      }),
    );
  }
  const claims = claimsOf(pod);
  if (claims.length > 0) {
    tasks.push(
      optional(snapshot, 'PersistentVolumeClaims', async () => {
        for (const claim of claims) {
          const pvc = await call(
            `read pvc ${ns}/${claim}`,
            (o) => core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: ns }, o),
            signal,
          );
          if (!pvc) continue;
          snapshot.pvcs.push(toWire(pvc));
          await addEventsOf(core, ns, claim, 'list pvc events', snapshot, signal);
        }
        await readStorageClasses(kc, snapshot, signal);
        return undefined;
      }),
    );
  }
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (owner && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet')) {
    tasks.push(
      optional(snapshot, `owner ${owner.kind}/${owner.name}`, async () => {
        const apps = kc.makeApiClient(AppsV1Api);
        const o =
          owner.kind === 'ReplicaSet'
            ? await call(
                'read replicaset',
                (o) => apps.readNamespacedReplicaSet({ name: owner.name, namespace: ns }, o),
                signal,
              )
            : owner.kind === 'StatefulSet'
              ? await call(
                  'read statefulset',
                  (o) => apps.readNamespacedStatefulSet({ name: owner.name, namespace: ns }, o),
                  signal,
                )
              : undefined;
        if (o)
          snapshot.owners.push({
            kind: owner.kind,
            name: owner.name,
            namespace: ns,
            replicas: o.spec?.replicas,
            readyReplicas: o.status?.readyReplicas,
          });
        return undefined;
      }),
    );
  }
  tasks.push(
    optional(snapshot, 'metrics.k8s.io', async () => {
      const m = (await call(
        'pod metrics',
        (o) =>
          kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject(
            {
              group: 'metrics.k8s.io',
              version: 'v1beta1',
              namespace: ns,
              plural: 'pods',
              name,
            },
            o,
          ),
        signal,
      )) as Parameters<typeof usageFrom>[0] | undefined;
      if (m) snapshot.usage.push(...usageFrom(m));
      return undefined;
    }),
  );
  if (options.includeLogs !== false) {
    for (const c of containersOf(pod)) {
      const crashed = (c.status?.restartCount ?? 0) > 0 && c.status?.lastState?.terminated !== undefined;
      const failedNow = c.status?.state?.terminated !== undefined && c.status.state.terminated.exitCode !== 0;
      const notReady = !c.init && c.status?.ready === false && c.status.state?.running !== undefined;
      // A 5xx surge leaves pods Running and Ready: only their current log shows the errors.
      const wantCurrent = !c.init && c.status?.state?.running !== undefined && options.needs?.includes('currentLogs');
      if (!crashed && !failedNow && !notReady && !wantCurrent) continue;
      tasks.push(
        optional(snapshot, `logs of ${c.name}`, async () => {
          const text = await call(
            `logs ${ns}/${name}/${c.name}`,
            (o) =>
              core.readNamespacedPodLog(
                {
                  name,
                  namespace: ns,
                  container: c.name,
                  previous: crashed,
                  tailLines: options.logTailLines,
                },
                o,
              ),
            signal,
          );
          if (typeof text === 'string' && text.length > 0) {
            snapshot.logs.push({
              namespace: ns,
              pod: name,
              container: c.name,
              previous: crashed,
              lines: boundLogTail(text, options.logTailLines),
            });
          }
          return undefined;
        }),
      );
    }
  }
  await Promise.all(tasks);
}
