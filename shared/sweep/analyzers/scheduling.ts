// Availability and scheduling: replicas that may all land on one node (no pod anti-affinity on the hostname and no
// topology spread constraint), and workloads that declared they must stay up (a PodDisruptionBudget selects them,
// or they are DaemonSets: node agents) without a priority class, so the scheduler may preempt them for anything.
// https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
// https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
import type { Analyzer } from '../analyzer.js';
import { selectorMatches, type LabelSelector } from '../../kube/objects.js';
import { editableTemplate, TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';
import { templateField, templateId, templateRef, type TemplateId } from './podHardening.js';
import type { PodSpecFull } from './specTypes.js';
import type { Workload } from './workloadHelpers.js';

const SPREAD_KEYS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
]);

export const schedulingAnalyzer: Analyzer = {
  name: 'scheduling',
  resources: [...TEMPLATE_RESOURCES, 'poddisruptionbudgets'],
  bestPractice: true,
  start(ctx) {
    const pdbSelectors = new Map<string, LabelSelector[]>();
    const unprioritised: { t: TemplateId; labels: Record<string, string> }[] = [];
    return {
      consume(resource, obj) {
        if (resource === 'poddisruptionbudgets') {
          const ns = obj.metadata?.namespace ?? '';
          const selector = (obj.spec as { selector?: LabelSelector } | undefined)?.selector;
          if (selector) pdbSelectors.set(ns, [...(pdbSelectors.get(ns) ?? []), selector]);
          return;
        }
        const t = editableTemplate(resource, obj);
        if (!t) return;
        const spec = t.template.spec as PodSpecFull;
        if (!spec.priorityClassName && (t.kind === 'Deployment' || t.kind === 'StatefulSet' || t.kind === 'DaemonSet'))
          unprioritised.push({ t: templateId(t), labels: t.template.metadata?.labels ?? {} });
        if (t.kind !== 'Deployment' && t.kind !== 'StatefulSet') return;
        const replicas = (obj as Workload).spec?.replicas ?? 1;
        if (replicas <= 1) return;
        const anti = spec.affinity?.podAntiAffinity;
        const antiKeys = [
          ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((a) => a.topologyKey),
          ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((a) => a.podAffinityTerm?.topologyKey),
        ];
        const spreadKeys = (spec.topologySpreadConstraints ?? []).map((c) => c.topologyKey);
        if ([...antiKeys, ...spreadKeys].some((k) => k !== undefined && SPREAD_KEYS.has(k))) return;
        ctx.report({
          check: 'availability.replicas-not-spread',
          severity: 'warning',
          kind: t.kind,
          namespace: t.namespace,
          name: t.name,
          message: `${templateRef(t)} runs ${replicas} replicas with neither pod anti-affinity nor a topology spread constraint on the node or zone (spec.template.spec.affinity.podAntiAffinity, topologySpreadConstraints), so they may all run on one node and fail together.`,
          evidence: [
            `${templateField(t, 'topologySpreadConstraints')} → (unset)`,
            `${templateField(t, 'affinity.podAntiAffinity')} → (unset)`,
          ],
          remediation:
            'Add a topologySpreadConstraint with topologyKey kubernetes.io/hostname (and topology.kubernetes.io/zone on zonal node pools), whenUnsatisfiable: ScheduleAnyway.',
          docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/',
        });
      },
      finish() {
        for (const { t, labels } of unprioritised) {
          const protectedByPdb = (pdbSelectors.get(t.namespace ?? '') ?? []).some((s) => selectorMatches(s, labels));
          if (!protectedByPdb && t.kind !== 'DaemonSet') continue;
          ctx.report({
            check: 'availability.priority-class-missing',
            severity: 'info',
            kind: t.kind,
            namespace: t.namespace,
            name: t.name,
            message: `${templateRef(t)} is ${t.kind === 'DaemonSet' ? 'a node agent (DaemonSet)' : 'protected by a PodDisruptionBudget'} but sets no priorityClassName, so under pressure the scheduler may preempt it for any other pod.`,
            evidence: [`${templateField(t, 'priorityClassName')} → (unset)`],
            remediation: 'Create a PriorityClass for critical workloads and set spec.template.spec.priorityClassName.',
            docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/',
          });
        }
      },
    };
  },
};
