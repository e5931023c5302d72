// POST /api/diagnose: the same engine as alerts, synchronously, for a named service, pod or node (the original
// platform's `/ask`). A service is resolved to its pods through its selector and the worst one is diagnosed.
import { CoreV1Api } from '@kubernetes/client-node';
import { kubeRequestOptions } from '../kube/requestOptions.js';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../outbound/timeouts.js';
import { z } from 'zod';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { toWire } from '../kube/objects.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { diagnoseLive, type LiveDiagnosisDeps } from './diagnoseLive.js';
import { podSeverityScore } from './engine.js';
import type { Diagnosis, DiagnosisTarget } from './types.js';

const name = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name (lower-case DNS name)');

export const onDemandRequestSchema = z
  .object({
    namespace: name.max(63).optional(),
    service_name: name.optional(),
    pod_name: name.optional(),
    node_name: name.optional(),
    include_logs: z.boolean().optional(),
    cluster: z
      .string()
      .trim()
      .regex(
        /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+$/i,
        'must be an AKS resource id',
      )
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const named = [v.service_name, v.pod_name, v.node_name].filter((x) => x !== undefined).length;
    if (named !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of service_name, pod_name, node_name' });
    if ((v.service_name || v.pod_name) && !v.namespace)
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'is required with service_name or pod_name' });
  });

export type OnDemandRequest = z.infer<typeof onDemandRequestSchema>;

export function parseOnDemandRequest(body: unknown): OnDemandRequest {
  const parsed = onDemandRequestSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
    throw new ValidationError(`Invalid diagnose request: ${problems.join('; ')}`, { problems });
  }
  return parsed.data;
}

/** Runs a diagnosis for the request. Throws NotFoundError (404) when the service, pod or node does not exist. */
export async function diagnoseOnDemand(
  request: OnDemandRequest,
  deps: LiveDiagnosisDeps & { defaultClusterId?: string },
  options: { abortSignal?: AbortSignal } = {},
): Promise<Diagnosis> {
  // A live target is read from one cluster, and no cluster is assumed: the request names it, or the operator chose
  // one explicitly (DIAGNOSE_DEFAULT_CLUSTER_ID). A paste needs none (diagnosePaste).
  const clusterId = request.cluster ?? deps.defaultClusterId;
  if (!clusterId) {
    const problem =
      'cluster: required for a live target (pod_name, service_name or node_name): the AKS cluster resource id (clusterId) to read it from, unless DIAGNOSE_DEFAULT_CLUSTER_ID is set';
    throw new ValidationError(`Invalid diagnose request: ${problem}`, { problems: [problem] });
  }
  const target: DiagnosisTarget = { clusterId, namespace: request.namespace };
  if (request.pod_name) target.pod = request.pod_name;
  if (request.node_name) target.node = request.node_name;
  if (request.service_name) {
    const signal = options.abortSignal;
    const kc = await deps.kubeConfigProvider(clusterId, options);
    const core = kc.makeApiClient(CoreV1Api);
    const ns = request.namespace ?? 'default';
    let selector: Record<string, string> | undefined;
    try {
      const service = await withTimeout('Kubernetes API (read service)', OUTBOUND_TIMEOUT_MS.kubernetes, signal, (s) =>
        core.readNamespacedService({ name: request.service_name!, namespace: ns }, kubeRequestOptions(s)),
      );
      selector = service.spec?.selector;
    } catch (err) {
      if ((err as { code?: number }).code === 404)
        throw new NotFoundError(`Service ${ns}/${request.service_name} not found`);
      throw err;
    }
    if (!selector || Object.keys(selector).length === 0)
      throw new NotFoundError(`Service ${ns}/${request.service_name} has no pod selector`);
    const labelSelector = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = (
      await withTimeout('Kubernetes API (list pods)', OUTBOUND_TIMEOUT_MS.kubernetes, signal, (s) =>
        core.listNamespacedPod({ namespace: ns, labelSelector }, kubeRequestOptions(s)),
      )
    ).items.map((p) => toWire<Pod>(p));
    const worst = [...pods].sort((a, b) => podSeverityScore(b) - podSeverityScore(a))[0];
    if (!worst?.metadata?.name)
      throw new NotFoundError(`Service ${ns}/${request.service_name} selects no pods (${labelSelector})`);
    target.pod = worst.metadata.name;
    target.workload = request.service_name;
    target.workloadKind = 'Service';
  }
  return diagnoseLive(target, deps, { includeLogs: request.include_logs ?? true, abortSignal: options.abortSignal });
}
