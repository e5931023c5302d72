// failed_scheduling: the scheduler finds no node for the pod. The FailedScheduling message lists, per node, why it
// was filtered out ("0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {...}.");
// classifySchedulingFailure maps it to Robusta's classes. An unbound PVC whose StorageClass is missing is left to
// volume_mount_error, which can see the PVC.
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { eventEvidence, fields, findEvents, kubectl, podEvents, podLabel } from './podFacts.js';

export type SchedulingClass =
  | 'insufficient_cpu'
  | 'insufficient_memory'
  | 'insufficient_gpu'
  | 'insufficient_resource'
  | 'untolerated_taint'
  | 'affinity_or_selector'
  | 'unschedulable_nodes'
  | 'missing_pvc'
  | 'unbound_pvc'
  | 'volume_node_affinity'
  | 'too_many_pods'
  | 'topology_spread'
  | 'no_nodes'
  | 'unknown';

export interface SchedulingFailure {
  classes: SchedulingClass[];
  /** The most telling class: the one most nodes were filtered for (ties: order below). */
  primary: SchedulingClass;
  /** Extended resource names, e.g. nvidia.com/gpu. */
  resources: string[];
}

const PATTERNS: Array<[SchedulingClass, RegExp]> = [
  ['missing_pvc', /persistentvolumeclaim "[^"]+" not found/i],
  ['unbound_pvc', /unbound (immediate )?PersistentVolumeClaims/i],
  ['volume_node_affinity', /volume node affinity conflict/i],
  ['insufficient_cpu', /Insufficient cpu/],
  ['insufficient_memory', /Insufficient memory/],
  ['insufficient_gpu', /Insufficient [\w./-]*gpu/i],
  ['too_many_pods', /Too many pods/i],
  [
    'untolerated_taint',
    /untolerated taint|had taints? \{[^}]*\}, that the pod didn't tolerate|had volume node affinity/i,
  ],
  [
    'affinity_or_selector',
    /didn't match (Pod's )?node (affinity|selector)|didn't match pod (anti-)?affinity|didn't satisfy existing pods anti-affinity|node\(s\) didn't match Pod's node affinity\/selector|MatchNodeSelector/i,
  ],
  ['unschedulable_nodes', /node\(s\) were unschedulable|unschedulable: true/i],
  ['topology_spread', /topology spread constraints/i],
  ['no_nodes', /no nodes available to schedule pods|0\/0 nodes are available/i],
];

/** Parses a FailedScheduling / PodScheduled=False message into its filter classes. */
export function classifySchedulingFailure(message: string): SchedulingFailure {
  const head = message.split(/preemption:/i)[0] ?? message;
  const classes: SchedulingClass[] = [];
  const counts = new Map<SchedulingClass, number>();
  // "0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {...}." - one clause per filter.
  const clauses = (head.split(/are available:/)[1] ?? head).split(/,\s+(?=\d+\s)/);
  for (const [cls, re] of PATTERNS) {
    if (!re.test(head)) continue;
    if (cls === 'untolerated_taint' && /had volume node affinity/.test(head) && !/taint/.test(head)) continue;
    classes.push(cls);
    const clause = clauses.find((c) => re.test(c));
    const n = clause ? /^\s*(\d+)\s/.exec(clause)?.[1] : undefined;
    counts.set(cls, n ? Number(n) : 1);
  }
  const resources = [...head.matchAll(/Insufficient ([\w./-]*\w)/g)]
    .map((m) => m[1] ?? '')
    .filter((r) => r !== 'cpu' && r !== 'memory' && !/gpu/i.test(r));
  if (resources.length > 0 && !classes.includes('insufficient_gpu')) classes.push('insufficient_resource');
  const primary = [...classes].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0] ?? 'unknown';
  return { classes: classes.length > 0 ? classes : ['unknown'], primary, resources };
}

const ADVICE: Record<SchedulingClass, string> = {
  insufficient_cpu:
    "No node has enough unrequested CPU: lower the pod's CPU request, scale the node pool (or enable the cluster autoscaler), or add a pool with larger VM sizes.",
  insufficient_memory:
    'No node has enough unrequested memory: lower the memory request, scale the node pool (or enable the cluster autoscaler), or add a pool with larger VM sizes.',
  insufficient_gpu:
    'No node offers the requested GPUs: add a GPU node pool (e.g. `az aks nodepool add --node-vm-size Standard_NC6s_v3`) with the NVIDIA device plugin, or lower the GPU request.',
  insufficient_resource:
    'No node offers the requested extended resource: add nodes that advertise it or remove the request.',
  untolerated_taint:
    'Every fitting node has a taint the pod does not tolerate: add a matching toleration, or schedule onto an untainted pool (AKS system pools carry CriticalAddonsOnly=true:NoSchedule).',
  affinity_or_selector:
    "No node matches the pod's nodeSelector / node affinity: fix the selector, or label a node pool to match (`az aks nodepool update --labels`).",
  unschedulable_nodes:
    'The fitting nodes are cordoned (unschedulable): uncordon them (`kubectl uncordon <node>`) once maintenance is over, or add capacity.',
  missing_pvc: 'The pod mounts a PersistentVolumeClaim that does not exist: create it or fix claimName.',
  unbound_pvc:
    "The pod's PersistentVolumeClaim is not bound: check the claim (`kubectl describe pvc`) and its StorageClass.",
  volume_node_affinity:
    "The pod's volume is pinned to another zone than the available nodes: schedule in the disk's zone or use ZRS disks / a zonal node pool per zone.",
  too_many_pods: 'The nodes reached their max pods: scale the node pool or raise --max-pods on a new node pool.',
  topology_spread:
    'Topology spread constraints cannot be met with the current nodes: relax maxSkew/whenUnsatisfiable or add nodes in the missing zones.',
  no_nodes: 'The cluster has no schedulable nodes: check the node pools (`az aks nodepool list`) and node readiness.',
  unknown: "Read the scheduler's message in the pod events to see which filter rejected each node.",
};

export const failedSchedulingRule: DiagnosisRule = {
  rootCause: 'failed_scheduling',
  subjects: ['pod'],
  evaluate(ctx): RuleMatch | undefined {
    if (ctx.subject.kind !== 'pod') return undefined;
    const pod = ctx.subject.pod;
    if (pod.spec?.nodeName && pod.status?.phase !== 'Pending') return undefined;
    const events = findEvents(podEvents(ctx.snapshot, pod), 'FailedScheduling');
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const message = events[events.length - 1]?.message ?? cond?.message ?? '';
    if (events.length === 0 && !(cond && (cond.reason === 'Unschedulable' || cond.message))) return undefined;
    const failure = classifySchedulingFailure(message);
    const evidence: EvidenceItem[] = [];
    if (cond) {
      evidence.push({
        source: 'pod.status',
        detail: fields(podLabel(pod), [
          ['conditions.PodScheduled.status', cond.status],
          ['reason', cond.reason],
          ['message', cond.message],
          ['phase', pod.status?.phase],
        ]),
        reproduce: kubectl.podField(pod, '.status.conditions[?(@.type=="PodScheduled")]'),
      });
    }
    for (const e of events.slice(-2)) evidence.push(eventEvidence(e, podLabel(pod)));
    const selector = pod.spec?.nodeSelector;
    if (failure.classes.includes('affinity_or_selector') && selector && Object.keys(selector).length > 0) {
      evidence.push({
        source: 'pod.spec',
        detail: fields(
          podLabel(pod),
          Object.entries(selector).map(([k, v]) => [`nodeSelector.${k}`, v]),
        ),
        reproduce: kubectl.podField(pod, '.spec.nodeSelector'),
      });
    }
    const pvcOnly = failure.classes.every((c) => c === 'unbound_pvc' || c === 'unknown');
    const confidence = failure.primary === 'unknown' ? 0.6 : pvcOnly ? 0.62 : 0.93;
    return {
      rootCause: 'failed_scheduling',
      confidence,
      detail: failure.primary,
      summary: `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} cannot be scheduled: ${failure.classes.map((c) => c.replace(/_/g, ' ')).join(', ')}${failure.resources.length ? ` (${failure.resources.join(', ')})` : ''}`,
      evidence,
      recommendations: failure.classes.map((c) => ADVICE[c]),
      failingNow: true,
    };
  },
};
