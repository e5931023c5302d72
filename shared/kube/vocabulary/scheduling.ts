// The scheduling classifier, shared by the sweep (podUnschedulable) and the diagnostics (failedScheduling): one
// reading of a FailedScheduling / PodScheduled=False message. The message is built by the scheduler framework
// (pkg/scheduler/schedule_one.go FitError.Error: "0/N nodes are available: <count> <reason>, ...", then
// " preemption: ..." from the PostFilter) from the Filter plugins' reasons, quoted here with their plugin
// (kubernetes/kubernetes pkg/scheduler/framework/plugins/<plugin>):
//   noderesources/fit.go          "Insufficient <resource>", "Too many pods"
//   nodeaffinity                  "node(s) didn't match Pod's node affinity/selector",
//                                 "node(s) didn't match scheduler-enforced node affinity"; <1.20: "node(s) didn't match node selector"
//   tainttoleration               "node(s) had untolerated taint {<key>: <value>}" (1.25+),
//                                 "node(s) had taint {<key>: <value>}, that the pod didn't tolerate" (1.18-1.24),
//                                 "node(s) had taints that the pod didn't tolerate" (<1.18)
//   nodeunschedulable             "node(s) were unschedulable"
//   nodeports                     "node(s) didn't have free ports for the requested pod ports"
//   nodename                      "node(s) didn't match the requested node name"
//   interpodaffinity              "node(s) didn't match pod affinity rules", "node(s) didn't match pod anti-affinity rules",
//                                 "node(s) didn't satisfy existing pods anti-affinity rules"; older "didn't match pod affinity/anti-affinity"
//   podtopologyspread             "node(s) didn't match pod topology spread constraints[ (missing required label)]"
//   volumebinding                 "pod has unbound immediate PersistentVolumeClaims", "node(s) had volume node affinity conflict",
//                                 "node(s) didn't find available persistent volumes to bind",
//                                 "node(s) did not have enough free storage", "persistentvolumeclaim \"x\" not found"
//   volumezone                    "node(s) had no available volume zone"
//   volumerestrictions            "node(s) had no available disk", "... ReadWriteOncePod access mode already in-use by another pod"
//   nodevolumelimits              "node(s) exceed max volume count"
//   (no nodes)                    "no nodes available to schedule pods"

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
  | 'volume_limits'
  | 'too_many_pods'
  | 'topology_spread'
  | 'node_ports'
  | 'no_nodes'
  | 'unknown';

export interface SchedulingFailure {
  classes: SchedulingClass[];
  /** The most telling class: the one most nodes were filtered for (ties: order of PATTERNS). */
  primary: SchedulingClass;
  /** Extended resource names, e.g. nvidia.com/gpu. */
  resources: string[];
}

const PATTERNS: Array<[SchedulingClass, RegExp]> = [
  ['missing_pvc', /persistentvolumeclaim "[^"]+" not found/i],
  [
    'unbound_pvc',
    /unbound (immediate )?PersistentVolumeClaims|pvc\(s\) bound to non-existent pv|didn't find available persistent volumes to bind|did not have enough free storage/i,
  ],
  ['volume_node_affinity', /volume node affinity conflict|no available volume zone/i],
  ['volume_limits', /exceed max volume count|had no available disk|ReadWriteOncePod access mode already in-use/i],
  ['insufficient_cpu', /Insufficient cpu/],
  ['insufficient_memory', /Insufficient memory/],
  ['insufficient_gpu', /Insufficient [\w./-]*gpu/i],
  ['too_many_pods', /Too many pods|Insufficient pods/i],
  ['untolerated_taint', /untolerated taint|had taints? (\{[^}]*\}, )?that the pod didn't tolerate/i],
  [
    'affinity_or_selector',
    // Robusta's class groups node and pod (anti-)affinity: both are placement rules written in the pod spec.
    /didn't match (Pod's )?node (affinity|selector)|didn't match scheduler-enforced node affinity|didn't match the requested node name|MatchNodeSelector|didn't match pod (anti-)?affinity|didn't satisfy existing pods anti-affinity/i,
  ],
  ['unschedulable_nodes', /node\(s\) were unschedulable|unschedulable: true/i],
  ['topology_spread', /topology spread constraints/i],
  ['node_ports', /didn't have free ports/i],
  ['no_nodes', /no nodes available to schedule pods|^0\/0 nodes are available/i],
];

/** Parses a FailedScheduling / PodScheduled=False message into its filter classes. */
export function classifySchedulingFailure(message: string): SchedulingFailure {
  // The preemption suffix repeats the node count ("preemption: 0/3 nodes are available: 3 Preemption is not
  // helpful for scheduling.") and names no filter: only the part before it is classified.
  const head = message.split(/\bpreemption:/i)[0] ?? message;
  const classes: SchedulingClass[] = [];
  const counts = new Map<SchedulingClass, number>();
  // "0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {...}." - one clause per filter.
  const clauses = (head.split(/are available:/)[1] ?? head).split(/,\s+(?=\d+\s)/);
  for (const [cls, re] of PATTERNS) {
    if (!re.test(head)) continue;
    classes.push(cls);
    const clause = clauses.find((c) => re.test(c));
    const n = clause ? /^\s*(\d+)\s/.exec(clause)?.[1] : undefined;
    counts.set(cls, n ? Number(n) : 1);
  }
  const resources = [...head.matchAll(/Insufficient ([\w./-]*\w)/g)]
    .map((m) => m[1] ?? '')
    .filter((r) => r !== 'cpu' && r !== 'memory' && r !== 'pods' && !/gpu/i.test(r));
  if (resources.length > 0 && !classes.includes('insufficient_gpu')) {
    classes.push('insufficient_resource');
    counts.set('insufficient_resource', 1);
  }
  const primary = [...classes].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0] ?? 'unknown';
  return { classes: classes.length > 0 ? classes : ['unknown'], primary, resources };
}

/** What each class means, as a clause ("because <cause>"). */
export const SCHEDULING_CAUSE: Record<SchedulingClass, string> = {
  insufficient_cpu: 'no node has enough free CPU (not requested by other pods)',
  insufficient_memory: 'no node has enough free memory (not requested by other pods)',
  insufficient_gpu: 'no node offers the GPUs (an extended resource) it requests',
  insufficient_resource: 'no node offers the extended resource it requests',
  untolerated_taint: 'every candidate node has a taint the pod does not tolerate',
  affinity_or_selector: 'no node matches its nodeSelector, node affinity or pod (anti-)affinity rules',
  unschedulable_nodes: 'the candidate nodes are cordoned (unschedulable)',
  missing_pvc: 'a PersistentVolumeClaim it mounts does not exist',
  unbound_pvc: 'a PersistentVolumeClaim it mounts is not bound',
  volume_node_affinity: 'its volume is in a zone without a suitable node',
  volume_limits: 'the nodes reached their attachable volume limit',
  too_many_pods: 'the nodes reached their maximum pod count',
  topology_spread: 'its topology spread constraints cannot be met',
  node_ports: 'no node has the host ports it requests free',
  no_nodes: 'the cluster has no schedulable nodes',
  unknown: 'no node satisfies its scheduling constraints',
};

/** What to do on AKS for each class. */
export const SCHEDULING_ADVICE: Record<SchedulingClass, string> = {
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
    "No node matches the pod's nodeSelector / node affinity or its pod (anti-)affinity: fix the selector, or label a node pool to match (`az aks nodepool update --labels`); relax required pod anti-affinity or add nodes in the missing topology domains.",
  unschedulable_nodes:
    'The fitting nodes are cordoned (unschedulable): uncordon them (`kubectl uncordon <node>`) once maintenance is over, or add capacity.',
  missing_pvc: 'The pod mounts a PersistentVolumeClaim that does not exist: create it or fix claimName.',
  unbound_pvc:
    "The pod's PersistentVolumeClaim is not bound: check the claim (`kubectl describe pvc`) and its StorageClass.",
  volume_node_affinity:
    "The pod's volume is pinned to another zone than the available nodes: schedule in the disk's zone or use ZRS disks / a zonal node pool per zone.",
  volume_limits:
    'The nodes cannot attach more disks: use a VM size with more data disks, spread the pods, or use Azure Files for shared volumes.',
  too_many_pods: 'The nodes reached their max pods: scale the node pool or raise --max-pods on a new node pool.',
  topology_spread:
    'Topology spread constraints cannot be met with the current nodes: relax maxSkew/whenUnsatisfiable or add nodes in the missing zones.',
  node_ports: 'The requested hostPort is taken on every node: drop hostPort (use a Service) or add nodes.',
  no_nodes: 'The cluster has no schedulable nodes: check the node pools (`az aks nodepool list`) and node readiness.',
  unknown: "Read the scheduler's message in the pod events to see which filter rejected each node.",
};
