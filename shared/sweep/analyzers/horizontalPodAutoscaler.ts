// HorizontalPodAutoscalers that cannot work (scale target missing, ScalingActive=False), are pinned at their
// maximum, or scale on CPU/memory utilisation of containers that declare no requests (utilisation is undefined).
import type { Analyzer } from '../analyzer.js';
import type { Condition, KubeObject } from '../../kube/objects.js';
import { jsonpath, truncate } from './podHelpers.js';
import type { Workload } from './workloadHelpers.js';

interface Hpa extends KubeObject {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string };
    maxReplicas?: number;
    metrics?: { type?: string; resource?: { name?: string; target?: { type?: string } } }[];
  };
  status?: { currentReplicas?: number; desiredReplicas?: number; conditions?: Condition[] };
}

/** Bit per resource name for which every container of a target declares a request. */
const REQUEST_BITS: Record<string, number> = { cpu: 1, memory: 2 };

const DOCS = 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/';
const TARGET_RESOURCES = new Set(['deployments', 'statefulsets', 'replicasets']);

export const horizontalPodAutoscalerAnalyzer: Analyzer = {
  name: 'horizontalPodAutoscaler',
  resources: ['horizontalpodautoscalers', 'deployments', 'statefulsets', 'replicasets'],
  start(ctx) {
    const targets = new Map<string, number>();
    const hpas: Hpa[] = [];
    return {
      consume(resource, obj) {
        if (TARGET_RESOURCES.has(resource)) {
          const w = obj as Workload;
          const containers = w.spec?.template?.spec?.containers ?? [];
          let requested = containers.length > 0 ? 3 : 0;
          for (const c of containers) {
            if (c.resources?.requests?.cpu === undefined) requested &= ~1;
            if (c.resources?.requests?.memory === undefined) requested &= ~2;
          }
          targets.set(`${kindOf(resource)}/${obj.metadata?.namespace}/${obj.metadata?.name}`, requested);
          return;
        }
        hpas.push(obj as Hpa);
      },
      finish() {
        for (const h of hpas) {
          const ns = h.metadata?.namespace;
          const name = h.metadata?.name ?? '(unnamed)';
          const ref = h.spec?.scaleTargetRef;
          const target = targets.get(`${ref?.kind}/${ns}/${ref?.name}`);
          const base = { kind: 'HorizontalPodAutoscaler', namespace: ns, name, docsUrl: DOCS };
          if (ref?.kind && TARGET_KINDS.has(ref.kind) && target === undefined) {
            ctx.report({
              ...base,
              check: 'hpa.target-missing',
              severity: 'warning',
              message: `HorizontalPodAutoscaler ${ns}/${name} targets ${ref.kind} ${ref.name} (spec.scaleTargetRef) which does not exist.`,
              evidence: [
                `${jsonpath('hpa', ns, name, 'spec.scaleTargetRef')} → ${ref.kind}/${ref.name}`,
                `kubectl -n ${ns} get ${ref.kind.toLowerCase()} ${ref.name} → NotFound`,
              ],
              remediation: 'Point scaleTargetRef at the existing workload or delete the autoscaler.',
            });
            continue;
          }
          const active = h.status?.conditions?.find((c) => c.type === 'ScalingActive');
          if (active?.status === 'False') {
            ctx.report({
              ...base,
              check: 'hpa.scaling-inactive',
              severity: 'warning',
              message: `HorizontalPodAutoscaler ${ns}/${name} cannot compute a scale (status.conditions ScalingActive=False, ${active.reason ?? ''}): ${truncate(active.message ?? '', 240)}`,
              evidence: [
                `${jsonpath('hpa', ns, name, 'status.conditions[?(@.type=="ScalingActive")]')} → ${active.reason ?? ''}`,
                `kubectl -n ${ns} describe hpa ${name}`,
              ],
              remediation:
                'Make the metrics available (metrics-server for CPU/memory, the adapter for custom metrics) and set requests on the target containers.',
            });
          }
          const missing = (h.spec?.metrics ?? [])
            .filter((m) => m.type === 'Resource' && m.resource?.target?.type === 'Utilization' && m.resource.name)
            .map((m) => m.resource?.name ?? '')
            .filter((r) => target !== undefined && (target & (REQUEST_BITS[r] ?? 0)) === 0);
          if (missing.length > 0 && ref) {
            ctx.report({
              ...base,
              check: 'hpa.target-requests-missing',
              severity: 'warning',
              message: `HorizontalPodAutoscaler ${ns}/${name} scales on ${missing.join(' and ')} utilisation, but ${ref.kind} ${ref.name} does not set resources.requests.${missing[0]} on every container, so utilisation cannot be computed.`,
              evidence: [
                `${jsonpath(ref.kind ?? 'deployment', ns, ref.name ?? '', 'spec.template.spec.containers[*].resources.requests')}`,
              ],
              remediation: `Set resources.requests.${missing[0]} on every container of ${ref.kind} ${ref.name}.`,
            });
          }
          const current = h.status?.currentReplicas ?? 0;
          const max = h.spec?.maxReplicas;
          if (max !== undefined && max > 1 && current >= max) {
            ctx.report({
              ...base,
              check: 'hpa.at-max-replicas',
              severity: 'warning',
              message: `HorizontalPodAutoscaler ${ns}/${name} runs at its maximum of ${max} replicas (status.currentReplicas ${current}, spec.maxReplicas ${max}) and cannot scale further.`,
              evidence: [
                `${jsonpath('hpa', ns, name, 'status.currentReplicas')} → ${current}`,
                `${jsonpath('hpa', ns, name, 'spec.maxReplicas')} → ${max}`,
              ],
              remediation:
                'Raise spec.maxReplicas if the cluster has room (and the node pool autoscaler maximum with it), or make the workload more efficient.',
            });
          }
        }
      },
    };
  },
};

const TARGET_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function kindOf(resource: string): string {
  return resource === 'deployments' ? 'Deployment' : resource === 'statefulsets' ? 'StatefulSet' : 'ReplicaSet';
}
