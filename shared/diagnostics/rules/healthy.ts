// healthy: the object looks fine now and nothing recent went wrong - old restarts, an OOM days ago or a stale node
// condition are history. The alert may have been a blip (metric ingestion lags a few minutes).
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { containersOf, containerStatusEvidence, fields, kubectl, podLabel, podReady } from './podFacts.js';
import { nodeProblems } from './nodeNotReady.js';

export const healthyRule: DiagnosisRule = {
  rootCause: 'healthy',
  subjects: ['pod', 'node', 'pvc'],
  evaluate(ctx): RuleMatch | undefined {
    const s = ctx.subject;
    if (s.kind === 'node') {
      const node = s.node;
      if (nodeProblems(node).length > 0) return undefined;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') return undefined;
      const evidence: EvidenceItem[] = (node.status?.conditions ?? [])
        .filter((c) => ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type))
        .map((c) => ({
          source: 'node.status',
          detail: fields(`node ${node.metadata?.name ?? ''} condition ${c.type}`, [
            ['status', c.status],
            ['reason', c.reason],
          ]),
          reproduce: kubectl.nodeConditions(node.metadata?.name ?? ''),
        }));
      return {
        rootCause: 'healthy',
        confidence: 0.8,
        summary: `Node ${node.metadata?.name ?? ''} is Ready with no pressure condition`,
        evidence,
        recommendations: [
          'No action on the node; if the alert was about utilisation, compare requests and limits with usage (`kubectl describe node` Allocated resources, `kubectl top node`).',
        ],
        failingNow: false,
      };
    }
    if (s.kind === 'pvc') {
      if (s.pvc.status?.phase !== 'Bound') return undefined;
      return {
        rootCause: 'healthy',
        confidence: 0.7,
        summary: `PVC ${s.pvc.metadata?.namespace ?? 'default'}/${s.pvc.metadata?.name ?? ''} is Bound`,
        evidence: [
          {
            source: 'pvc.status',
            detail: fields(`pvc ${s.pvc.metadata?.namespace ?? 'default'}/${s.pvc.metadata?.name ?? ''}`, [
              ['status.phase', 'Bound'],
            ]),
            reproduce: kubectl.describePvc(s.pvc.metadata?.name ?? '', s.pvc.metadata?.namespace ?? 'default'),
          },
        ],
        recommendations: [
          'No action on the claim; for usage alerts check free space inside the pod (`kubectl exec ... -- df -h`).',
        ],
        failingNow: false,
      };
    }
    if (s.kind !== 'pod') return undefined;
    const pod = s.pod;
    const phase = pod.status?.phase;
    const containers = containersOf(pod).filter((c) => !c.init);
    const allReady =
      containers.length > 0 &&
      containers.every((c) => c.status?.ready === true && c.status.state?.running !== undefined);
    const succeeded = phase === 'Succeeded';
    if (!succeeded && !(phase === 'Running' && allReady && podReady(pod) !== false)) return undefined;
    const restarts = containers.reduce((n, c) => n + (c.status?.restartCount ?? 0), 0);
    const evidence: EvidenceItem[] = [
      {
        source: 'pod.status',
        detail: fields(podLabel(pod), [
          ['phase', phase],
          ['conditions.Ready', pod.status?.conditions?.find((c) => c.type === 'Ready')?.status],
        ]),
        reproduce: kubectl.podField(pod, '.status.conditions'),
      },
      ...containers.map((c) =>
        containerStatusEvidence(pod, c, [
          ['ready', c.status?.ready],
          ['restartCount', c.status?.restartCount],
        ]),
      ),
    ];
    return {
      rootCause: 'healthy',
      confidence: restarts > 0 ? 0.7 : 0.8,
      summary: succeeded
        ? `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} completed successfully`
        : `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} is Running and Ready${restarts > 0 ? ` (${restarts} restarts, none recent)` : ''}`,
      evidence,
      recommendations: [
        restarts > 0
          ? 'No action now; the restarts are old. If they recur, the previous container log and Container insights restart history show why.'
          : 'No action: nothing in the pod, its events or its node shows a fault.',
      ],
      failingNow: false,
    };
  },
};
