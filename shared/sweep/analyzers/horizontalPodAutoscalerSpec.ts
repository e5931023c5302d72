// HorizontalPodAutoscalers judged from their spec: a target kind without a scale subresource (the HPA controller
// fails to get its scale and never acts), minReplicas equal to maxReplicas (it cannot scale), minReplicas 1 (one
// pod serves at the quiet hours), and a PodDisruptionBudget whose minAvailable is at least the HPA's minReplicas
// (at the minimum no eviction is allowed, so drains hang). Built-in kinds with /scale: Deployment, StatefulSet,
// ReplicaSet, ReplicationController (k8s.io/api autoscaling; custom resources may have one too and are not judged).
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { selectorMatches, type KubeObject, type LabelSelector } from '../../kube/objects.js';
import { KUBE_RESOURCES } from '../../kube/resources.js';
import { jsonpath } from './podHelpers.js';
import type { Workload } from './workloadHelpers.js';

interface Hpa extends KubeObject {
  spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
}

/** Built-in kinds without a scale subresource: an HPA pointing at one never works. */
const UNSCALABLE = new Set([
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
  'ConfigMap',
  'Secret',
  'Ingress',
  'PersistentVolumeClaim',
]);
const DOCS = 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/';

export const horizontalPodAutoscalerSpecAnalyzer: Analyzer = {
  name: 'horizontalPodAutoscalerSpec',
  resources: ['horizontalpodautoscalers', 'deployments', 'statefulsets', 'poddisruptionbudgets'],
  bestPractice: true,
  start(ctx) {
    const hpas: Hpa[] = [];
    const templateLabels = new Map<string, Record<string, string>>();
    const pdbs: { ns: string; name: string; selector?: LabelSelector; minAvailable?: number | string }[] = [];
    return {
      consume(resource, obj) {
        if (resource === 'horizontalpodautoscalers') hpas.push(obj as Hpa);
        else if (resource === 'poddisruptionbudgets') {
          const spec = obj.spec as { selector?: LabelSelector; minAvailable?: number | string } | undefined;
          pdbs.push({
            ns: obj.metadata?.namespace ?? '',
            name: obj.metadata?.name ?? '',
            selector: spec?.selector,
            minAvailable: spec?.minAvailable,
          });
        } else
          templateLabels.set(
            `${KUBE_RESOURCES[resource].kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`,
            (obj as Workload).spec?.template?.metadata?.labels ?? {},
          );
      },
      finish() {
        for (const h of hpas) {
          const ns = h.metadata?.namespace;
          const name = h.metadata?.name ?? '(unnamed)';
          const ref = `HorizontalPodAutoscaler ${displayName(ns, name)}`;
          const base = { kind: 'HorizontalPodAutoscaler', namespace: ns, name, docsUrl: DOCS };
          const target = h.spec?.scaleTargetRef;
          const min = h.spec?.minReplicas ?? 1;
          const max = h.spec?.maxReplicas;
          if (target?.kind && UNSCALABLE.has(target.kind)) {
            ctx.report({
              ...base,
              check: 'hpa.target-kind-unsupported',
              severity: 'warning',
              message: `${ref} targets ${target.kind} ${target.name ?? ''} (spec.scaleTargetRef), a kind without a scale subresource: the autoscaler can never scale it.`,
              evidence: [`${jsonpath('hpa', ns, name, 'spec.scaleTargetRef')} → ${target.kind}/${target.name ?? ''}`],
              remediation:
                'Target the Deployment or StatefulSet that runs the pods (DaemonSets run one pod per node and cannot be scaled).',
            });
            continue;
          }
          if (max !== undefined && min >= max)
            ctx.report({
              ...base,
              check: 'hpa.min-equals-max',
              severity: 'warning',
              message: `${ref} has spec.minReplicas ${min} and spec.maxReplicas ${max}, so it can never scale.`,
              evidence: [`${jsonpath('hpa', ns, name, 'spec')} → minReplicas ${min}, maxReplicas ${max}`],
              remediation: 'Raise maxReplicas above minReplicas, or drop the autoscaler and set spec.replicas.',
            });
          else if (min <= 1)
            ctx.report({
              ...base,
              check: 'hpa.min-replicas-one',
              severity: 'info',
              message: `${ref} may scale down to ${min} replica (spec.minReplicas ${h.spec?.minReplicas ?? '(unset: 1)'}), so at quiet hours a single pod serves and any node drain interrupts it.`,
              evidence: [`${jsonpath('hpa', ns, name, 'spec.minReplicas')} → ${h.spec?.minReplicas ?? '(unset)'}`],
              remediation: 'Set minReplicas to at least 2.',
            });
          const labels = target?.kind
            ? templateLabels.get(`${target.kind}/${ns ?? ''}/${target.name ?? ''}`)
            : undefined;
          if (!labels) continue;
          for (const p of pdbs) {
            if (p.ns !== (ns ?? '') || typeof p.minAvailable !== 'number' || !selectorMatches(p.selector, labels))
              continue;
            if (p.minAvailable < min) continue;
            ctx.report({
              ...base,
              check: 'availability.pdb-hpa-conflict',
              severity: 'warning',
              message: `${ref} may scale ${target?.kind} ${target?.name} down to ${min} replica(s), but PodDisruptionBudget ${p.name} requires minAvailable ${p.minAvailable}: at the minimum no pod may be evicted and node drains hang.`,
              evidence: [
                `${jsonpath('hpa', ns, name, 'spec.minReplicas')} → ${min}`,
                `${jsonpath('pdb', ns, p.name, 'spec.minAvailable')} → ${p.minAvailable}`,
              ],
              remediation: 'Keep PDB minAvailable below the HPA minReplicas (or use maxUnavailable: 1 in the PDB).',
              docsUrl: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
            });
          }
        }
      },
    };
  },
};
