// Peer tools' checks (Popeye, Polaris, kube-score) that no catalogue entry covers, each with the reason; the catalogue
// test proves every peer id is either covered by an entry or listed here.
export interface UncoveredPeerCheck {
  tool: 'popeye' | 'polaris' | 'kubeScore';
  id: string;
  reason: string;
}

const METRICS = 'needs live usage metrics: the anomaly detector and Container Insights cover utilisation';
const STYLE = 'a naming or style preference, not a failure or risk';

/** Peer ids of one tool that no catalogue entry covers, with the reason they share. */
type Uncovered = readonly [ids: readonly string[], reason: string];

/** Popeye codes (internal/issues/assets/codes.yaml in Popeye's repository). */
const POPEYE: readonly Uncovered[] = [
  [['105', '108', '1101', '1102', '1403'], STYLE],
  [['109', '110', '111', '112', '503', '504', '505', '506', '602', '603', '604', '605', '709', '710'], METRICS],
  [['113'], 'registry allow-lists are policy: Azure Policy for AKS enforces them at admission'],
  [['200', '201'], 'a terminating pod is transient; stuck deletions surface as replicas-not-ready'],
  [['208'], 'bare pods are judged by every spec check as the object to fix; not flagged by themselves'],
  [['209'], 'not checked yet: overlapping PDBs are rejected by the eviction API at drain time'],
  [['400'], 'finding unused Secrets needs reading Secrets, which the sweep never does'],
  [['401'], 'finding unused keys needs reading Secrets, which the sweep never does'],
  [['402', '708'], 'AKS always runs metrics-server'],
  [['404'], 'an internal error of Popeye, not a finding'],
  [['406'], 'a success message, not a finding'],
  [['500'], 'scaling to zero is intentional (deployment.replicas-not-ready ignores it)'],
  [['700'], 'not checked yet: needs every pod toleration against node taints'],
  [['712'], 'the AKS control plane is managed: no master nodes'],
  [['800'], 'not checked yet: namespaces are not listed'],
  [['1000', '1001', '1002'], 'PersistentVolumes are not listed (claims are)'],
  [['1106'], 'not checked yet: Service targetPort against container ports'],
  [['1107', '1108'], 'externalTrafficPolicy is a trade-off (source IP vs spreading), not a fault'],
  [['1109'], 'covered per workload by bestpractice.single-replica-no-pdb, not per Service'],
  [['1201', '1202', '1206', '1207', '1208'], 'not checked yet: NetworkPolicy peer selectors are not resolved'],
  [['1400'], 'the load balancer status is ARM state: arm.* findings and Azure Monitor cover it'],
  [['1402'], 'not checked yet: Ingress backend port against Service ports'],
  [['1404'], 'the API server rejects such an Ingress'],
  [['1501'], 'a CronJob between runs has no active job: not a fault'],
  [['1502'], 'job.failed reports the failing runs'],
  [
    ['1600', '1601', '1602', '1603', '1604', '1700', '1701', '1702', '1703', '1704'],
    'Cilium custom resources are not read (Azure CNI powered by Cilium manages them)',
  ],
];

const POLARIS: readonly Uncovered[] = [
  [['metadataAndInstanceMismatched', 'metadataAndNameMismatched'], STYLE],
  [['cpuLimitsRange'], 'value ranges are organisation policy (Azure Policy / LimitRange)'],
];

const KUBE_SCORE: readonly Uncovered[] = [
  [
    ['cronjob-has-deadline'],
    'not checked yet: a missing startingDeadlineSeconds is a tuning choice; negative values are cronjob.negative-deadline',
  ],
  [['label-values'], 'the API server rejects invalid label values at apply time'],
  [
    ['environment-variable-key-duplication', 'deployment-targeted-by-hpa-does-not-have-replicas-configured'],
    'not checked yet',
  ],
  [['deployment-strategy'], 'the default RollingUpdate is right for most workloads'],
  [
    ['container-ephemeral-storage-request-equals-limit'],
    'equality is not checked; presence is resources.ephemeral-storage-missing',
  ],
];

function listed(tool: UncoveredPeerCheck['tool'], groups: readonly Uncovered[]): UncoveredPeerCheck[] {
  return groups.flatMap(([ids, reason]) => ids.map((id) => ({ tool, id, reason })));
}

/** Peer checks with no counterpart here, and why. Every peer id is either in a catalogue entry or in this list. */
export const UNCOVERED_PEER_CHECKS: readonly UncoveredPeerCheck[] = [
  ...listed('popeye', POPEYE),
  ...listed('polaris', POLARIS),
  ...listed('kubeScore', KUBE_SCORE),
];
