// node_not_ready: the node is NotReady/Unknown (kubelet stopped posting status, network or runtime down) or reports
// pressure (memory, disk, PIDs) or a node-problem-detector problem. Hard case: a Ready node with a stale Unknown
// condition left over from an outage - its heartbeat is older than Ready's, so it is history, not a fault.
import type { Node as V1Node, NodeCondition as V1NodeCondition } from 'kubernetes-types/core/v1.js';
import type { EvidenceItem } from '../types.js';
import { toDate } from '../evidence/snapshot.js';
import type { DiagnosisRule, RuleContext, RuleMatch } from './ruleTypes.js';
import {
  containersOf,
  eventEvidence,
  eventsFor,
  fields,
  findEvents,
  isReadyNow,
  kubectl,
  nodeCondition,
  nodeOfPod,
  podEventEvidence,
  podEvents,
  podLabel,
  podReady,
} from './podFacts.js';

/** Conditions that are healthy when True; every other condition type is a problem when True. */
const GOOD_WHEN_TRUE = new Set(['Ready']);
const STALE_MS = 5 * 60 * 1000;

export interface NodeProblem {
  condition: V1NodeCondition;
  severity: 'not_ready' | 'pressure' | 'problem';
}

/** Is this Unknown condition left over from before the last Ready heartbeat? */
export function isStaleCondition(node: V1Node, c: V1NodeCondition): boolean {
  const ready = nodeCondition(node, 'Ready');
  if (ready?.status !== 'True' || c.type === 'Ready') return false;
  const mine = toDate(c.lastHeartbeatTime) ?? toDate(c.lastTransitionTime);
  const readyBeat = toDate(ready.lastHeartbeatTime) ?? toDate(ready.lastTransitionTime);
  return (
    c.status === 'Unknown' &&
    mine !== undefined &&
    readyBeat !== undefined &&
    readyBeat.getTime() - mine.getTime() > STALE_MS
  );
}

export function nodeProblems(node: V1Node): NodeProblem[] {
  const out: NodeProblem[] = [];
  for (const c of node.status?.conditions ?? []) {
    if (c.type === 'Ready') {
      if (c.status !== 'True') out.push({ condition: c, severity: 'not_ready' });
    } else if (c.status === 'True' && !GOOD_WHEN_TRUE.has(c.type)) {
      out.push({ condition: c, severity: /Pressure$|NetworkUnavailable/.test(c.type) ? 'pressure' : 'problem' });
    } else if (
      c.status === 'Unknown' &&
      !isStaleCondition(node, c) &&
      nodeCondition(node, 'Ready')?.status !== 'True'
    ) {
      out.push({ condition: c, severity: 'not_ready' });
    }
  }
  return out;
}

function conditionEvidence(node: V1Node, c: V1NodeCondition): EvidenceItem {
  return {
    source: 'node.status',
    detail: fields(`node ${node.metadata?.name ?? ''} condition ${c.type}`, [
      ['status', c.status],
      ['reason', c.reason],
      ['message', c.message],
    ]),
    reproduce: kubectl.nodeConditions(node.metadata?.name ?? ''),
  };
}

function evaluateNode(ctx: RuleContext, node: V1Node, viaPod?: string): RuleMatch | undefined {
  const name = node.metadata?.name ?? '';
  const problems = nodeProblems(node);
  const stale = (node.status?.conditions ?? []).filter((c) => isStaleCondition(node, c));
  if (problems.length === 0) {
    if (stale.length === 0 || viaPod) return undefined;
    // Only stale leftovers: say so with low confidence, so `healthy` wins but the reader sees why it was considered.
    return {
      rootCause: 'node_not_ready',
      confidence: 0.2,
      summary: `Node ${name} is Ready; condition ${stale.map((c) => c.type).join(', ')} is Unknown but stale (older heartbeat than Ready)`,
      evidence: [
        conditionEvidence(node, nodeCondition(node, 'Ready')!),
        ...stale.map((c) => conditionEvidence(node, c)),
      ],
      recommendations: [
        'No action on the node: the Unknown condition predates the last Ready heartbeat (its reporter, e.g. node-problem-detector, stopped updating it).',
      ],
      failingNow: false,
    };
  }
  const worst =
    problems.find((p) => p.severity === 'not_ready') ?? problems.find((p) => p.severity === 'pressure') ?? problems[0]!;
  const evidence = problems.map((p) => conditionEvidence(node, p.condition));
  const taints = (node.spec?.taints ?? []).filter((t) => /not-ready|unreachable|pressure|unschedulable/.test(t.key));
  const alloc = node.status?.allocatable;
  if (alloc && worst.severity === 'pressure') {
    evidence.push({
      source: 'node.status',
      detail: fields(`node ${name}`, [
        ['allocatable.memory', alloc.memory],
        ['allocatable.cpu', alloc.cpu],
        ['allocatable.ephemeral-storage', alloc['ephemeral-storage']],
        ['allocatable.pods', alloc.pods],
      ]),
      reproduce: `kubectl get node ${name} -o jsonpath='{.status.allocatable}'`,
    });
  }
  for (const t of taints) {
    evidence.push({
      source: 'node.spec',
      detail: fields(`node ${name} taint`, [
        ['key', t.key],
        ['effect', t.effect],
      ]),
      reproduce: `kubectl get node ${name} -o jsonpath='{.spec.taints}'`,
    });
  }
  for (const e of findEvents(
    eventsFor(ctx.snapshot, 'Node', name),
    /NodeNotReady|NodeHasInsufficientMemory|NodeHasDiskPressure|NodeHasInsufficientPID|Rebooted|ContainerdStart|KubeletIsDown|SystemOOM/,
  ).slice(0, 3)) {
    evidence.push(eventEvidence(e, `node ${name}`));
  }
  const type = worst.condition.type;
  const recs: string[] = [];
  if (worst.severity === 'not_ready') {
    recs.push(
      `Node ${name} is not Ready (${worst.condition.reason ?? worst.condition.status}): check the node in the VMSS (\`az vmss list-instances\`, boot diagnostics), kubelet/containerd health, and network reachability to the API server; AKS auto-repair reimages nodes NotReady for 10 minutes - \`kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data\` and let it be replaced if it does not recover.`,
    );
  } else if (type === 'MemoryPressure') {
    recs.push(
      `Node ${name} is under memory pressure and will evict pods: find the heaviest pods (\`kubectl top pod -A --sort-by=memory\`), set memory requests to real usage so the scheduler spreads them, or scale the pool / use a larger VM size.`,
    );
  } else if (type === 'DiskPressure') {
    recs.push(
      `Node ${name} is low on disk: clean unused images and large container logs, size ephemeral-storage requests, or use larger OS disks (ephemeral OS disks in AKS).`,
    );
  } else if (type === 'PIDPressure') {
    recs.push(
      `Node ${name} is running out of process ids: find the pod forking processes (\`kubectl top pod --sum\` is not enough - check with node shell \`ps\`) and set a pod PID limit.`,
    );
  } else {
    recs.push(
      `Node ${name} reports ${type}=${worst.condition.status} (${worst.condition.reason ?? ''}): cordon it (\`kubectl cordon ${name}\`), drain it, and let AKS replace the instance.`,
    );
  }
  const confidence = worst.severity === 'not_ready' ? 0.95 : worst.severity === 'pressure' ? 0.86 : 0.75;
  return {
    rootCause: 'node_not_ready',
    confidence: viaPod ? confidence - 0.05 : confidence,
    detail: type,
    summary: `${viaPod ? `${viaPod} runs on node ${name}, which` : `Node ${name}`} ${worst.severity === 'not_ready' ? `is not Ready (${type}=${worst.condition.status}${worst.condition.reason ? `, ${worst.condition.reason}` : ''})` : `reports ${type}=True${worst.condition.reason ? ` (${worst.condition.reason})` : ''}`}`,
    evidence,
    recommendations: recs,
    failingNow: true,
  };
}

export const nodeNotReadyRule: DiagnosisRule = {
  rootCause: 'node_not_ready',
  subjects: ['node', 'pod'],
  evaluate(ctx): RuleMatch | undefined {
    if (ctx.subject.kind === 'node') return evaluateNode(ctx, ctx.subject.node);
    if (ctx.subject.kind !== 'pod') return undefined;
    const pod = ctx.subject.pod;
    const node = nodeOfPod(ctx.snapshot, pod);
    const nodeMatch = node
      ? evaluateNode(ctx, node, `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`)
      : undefined;
    if (nodeMatch && nodeMatch.detail === 'Ready') return nodeMatch;
    const lost = pod.status?.reason === 'NodeLost' || pod.status?.phase === 'Unknown';
    const events = findEvents(podEvents(ctx.snapshot, pod), /NodeNotReady|NodeLost/);
    // An old NodeNotReady event on a pod that is Running and Ready now is history, not the current state.
    const readyNow =
      pod.status?.phase === 'Running' &&
      podReady(pod) !== false &&
      containersOf(pod).some((c) => !c.init) &&
      containersOf(pod).every((c) => c.init || isReadyNow(c));
    if (!lost && readyNow) return undefined;
    if (!lost && events.length === 0)
      return nodeMatch && nodeMatch.confidence >= 0.8 ? { ...nodeMatch, confidence: 0.5 } : undefined;
    const evidence: EvidenceItem[] = [];
    if (lost)
      evidence.push({
        source: 'pod.status',
        detail: fields(podLabel(pod), [
          ['phase', pod.status?.phase],
          ['reason', pod.status?.reason],
          ['message', pod.status?.message],
        ]),
        reproduce: kubectl.podField(pod, '.status'),
      });
    for (const e of events.slice(0, 2)) evidence.push(podEventEvidence(pod, e));
    return {
      rootCause: 'node_not_ready',
      confidence: 0.85,
      summary: `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} lost its node ${pod.spec?.nodeName ?? ''}`,
      evidence: [...evidence, ...(nodeMatch?.evidence ?? [])],
      recommendations: nodeMatch?.recommendations ?? [
        `Check node ${pod.spec?.nodeName ?? ''}: \`${kubectl.describeNode(pod.spec?.nodeName ?? '<node>')}\`.`,
      ],
      failingNow: true,
    };
  },
};
