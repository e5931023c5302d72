// Peer tools' checks (Popeye, Polaris, kube-score) that no catalogue entry covers, each with the reason; the catalogue
// test proves every peer id is either covered by an entry or listed here.
export interface UncoveredPeerCheck {
  tool: 'popeye' | 'polaris' | 'kubeScore';
  id: string;
  reason: string;
}

const METRICS = 'needs live usage metrics: the anomaly detector and Container Insights cover utilisation';
const STYLE = 'a naming or style preference, not a failure or risk';

/** Peer checks with no counterpart here, and why. Every peer id is either in a catalogue entry or in this list. */
export const UNCOVERED_PEER_CHECKS: readonly UncoveredPeerCheck[] = [
  ...['105', '108', '1102', '1403'].map((id) => ({ tool: 'popeye' as const, id, reason: STYLE })),
  ...['109', '110', '111', '112', '503', '504', '505', '506', '602', '603', '604', '605', '709', '710'].map((id) => ({
    tool: 'popeye' as const,
    id,
    reason: METRICS,
  })),
  {
    tool: 'popeye',
    id: '113',
    reason: 'registry allow-lists are policy: Azure Policy for AKS enforces them at admission',
  },
  {
    tool: 'popeye',
    id: '200',
    reason: 'a terminating pod is transient; stuck deletions surface as replicas-not-ready',
  },
  {
    tool: 'popeye',
    id: '201',
    reason: 'a terminating pod is transient; stuck deletions surface as replicas-not-ready',
  },
  {
    tool: 'popeye',
    id: '208',
    reason: 'bare pods are judged by every spec check as the object to fix; not flagged by themselves',
  },
  {
    tool: 'popeye',
    id: '209',
    reason: 'not checked yet: overlapping PDBs are rejected by the eviction API at drain time',
  },
  { tool: 'popeye', id: '400', reason: 'finding unused Secrets needs reading Secrets, which the sweep never does' },
  { tool: 'popeye', id: '401', reason: 'finding unused keys needs reading Secrets, which the sweep never does' },
  { tool: 'popeye', id: '402', reason: 'AKS always runs metrics-server' },
  { tool: 'popeye', id: '404', reason: 'an internal error of Popeye, not a finding' },
  { tool: 'popeye', id: '406', reason: 'a success message, not a finding' },
  { tool: 'popeye', id: '500', reason: 'scaling to zero is intentional (deployment.replicas-not-ready ignores it)' },
  { tool: 'popeye', id: '700', reason: 'not checked yet: needs every pod toleration against node taints' },
  { tool: 'popeye', id: '708', reason: 'AKS always runs metrics-server' },
  { tool: 'popeye', id: '712', reason: 'the AKS control plane is managed: no master nodes' },
  { tool: 'popeye', id: '800', reason: 'not checked yet: namespaces are not listed' },
  { tool: 'popeye', id: '1000', reason: 'PersistentVolumes are not listed (claims are)' },
  { tool: 'popeye', id: '1001', reason: 'PersistentVolumes are not listed (claims are)' },
  { tool: 'popeye', id: '1002', reason: 'PersistentVolumes are not listed (claims are)' },
  { tool: 'popeye', id: '1101', reason: STYLE },
  { tool: 'popeye', id: '1106', reason: 'not checked yet: Service targetPort against container ports' },
  { tool: 'popeye', id: '1107', reason: 'externalTrafficPolicy is a trade-off (source IP vs spreading), not a fault' },
  { tool: 'popeye', id: '1108', reason: 'externalTrafficPolicy is a trade-off (source IP vs spreading), not a fault' },
  { tool: 'popeye', id: '1109', reason: 'covered per workload by bestpractice.single-replica-no-pdb, not per Service' },
  ...['1201', '1202', '1206', '1207', '1208'].map((id) => ({
    tool: 'popeye' as const,
    id,
    reason: 'not checked yet: NetworkPolicy peer selectors are not resolved',
  })),
  {
    tool: 'popeye',
    id: '1400',
    reason: 'the load balancer status is ARM state: arm.* findings and Azure Monitor cover it',
  },
  { tool: 'popeye', id: '1402', reason: 'not checked yet: Ingress backend port against Service ports' },
  { tool: 'popeye', id: '1404', reason: 'the API server rejects such an Ingress' },
  { tool: 'popeye', id: '1501', reason: 'a CronJob between runs has no active job: not a fault' },
  { tool: 'popeye', id: '1502', reason: 'job.failed reports the failing runs' },
  ...['1600', '1601', '1602', '1603', '1604', '1700', '1701', '1702', '1703', '1704'].map((id) => ({
    tool: 'popeye' as const,
    id,
    reason: 'Cilium custom resources are not read (Azure CNI powered by Cilium manages them)',
  })),
  { tool: 'polaris', id: 'metadataAndInstanceMismatched', reason: STYLE },
  { tool: 'polaris', id: 'metadataAndNameMismatched', reason: STYLE },
  { tool: 'polaris', id: 'cpuLimitsRange', reason: 'value ranges are organisation policy (Azure Policy / LimitRange)' },
  {
    tool: 'kubeScore',
    id: 'cronjob-has-deadline',
    reason:
      'not checked yet: a missing startingDeadlineSeconds is a tuning choice; negative values are cronjob.negative-deadline',
  },
  { tool: 'kubeScore', id: 'label-values', reason: 'the API server rejects invalid label values at apply time' },
  { tool: 'kubeScore', id: 'environment-variable-key-duplication', reason: 'not checked yet' },
  { tool: 'kubeScore', id: 'deployment-strategy', reason: 'the default RollingUpdate is right for most workloads' },
  { tool: 'kubeScore', id: 'deployment-targeted-by-hpa-does-not-have-replicas-configured', reason: 'not checked yet' },
  {
    tool: 'kubeScore',
    id: 'container-ephemeral-storage-request-equals-limit',
    reason: 'equality is not checked; presence is resources.ephemeral-storage-missing',
  },
];
