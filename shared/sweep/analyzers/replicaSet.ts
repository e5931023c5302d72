// ReplicaSets that cannot create pods (ReplicaFailure condition: quota exceeded, admission webhook denial, missing
// service account). The Deployment only shows the symptom; the reason lives here.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import { findCondition } from '../../kube/objects.js';
import { jsonpath, truncate } from './podHelpers.js';
import type { Workload } from './workloadHelpers.js';

export const replicaSetAnalyzer = objectAnalyzer<Workload>('replicaSet', 'replicasets', (rs, ns, name, ctx) => {
  const cond = findCondition(rs.status?.conditions, 'ReplicaFailure');
  if (cond?.status !== 'True') return;
  const events = ctx.events.about('ReplicaSet', ns, name, ['FailedCreate']);
  ctx.report({
    check: 'replicaset.create-failed',
    severity: 'critical',
    kind: 'ReplicaSet',
    namespace: ns,
    name,
    message: `ReplicaSet ${ns}/${name} cannot create pods (status.conditions ReplicaFailure=True, ${cond.reason ?? 'FailedCreate'}): ${truncate(cond.message ?? events[0]?.message ?? '', 300)}`,
    evidence: [
      `${jsonpath('replicaset', ns, name, 'status.conditions[?(@.type=="ReplicaFailure")].message')} → ${truncate(cond.message ?? '', 200)}`,
      ...events.map((e) => eventEvidence(ns, name, e)),
      kubectlDescribe('replicaset', ns, name),
    ],
    remediation:
      'Fix what the message names: raise the namespace ResourceQuota or lower requests, create the ServiceAccount, or satisfy the admission policy that denies the pods.',
    docsUrl: 'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
  });
});
