// Jobs that failed (Failed condition: backoff limit or deadline exceeded).
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { findCondition } from '../../kube/objects.js';
import { jsonpath, truncate } from './podHelpers.js';
import type { Workload } from './workloadHelpers.js';

export const jobAnalyzer = objectAnalyzer<Workload>('job', 'jobs', (j, ns, name, ctx) => {
  const failed = findCondition(j.status?.conditions, 'Failed');
  if (failed?.status !== 'True') return;
  const owner = j.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob');
  ctx.report({
    check: 'job.failed',
    severity: 'warning',
    kind: 'Job',
    namespace: ns,
    name,
    message: `Job ${ns}/${name}${owner ? ` (from CronJob ${owner.name})` : ''} failed (status.conditions Failed=True, ${failed.reason ?? 'unknown reason'}) after ${j.status?.failed ?? 0} failed pods: ${truncate(failed.message ?? '', 200)}`,
    evidence: [
      `${jsonpath('job', ns, name, 'status.conditions[?(@.type=="Failed")]')} → reason=${failed.reason ?? ''}`,
      `kubectl -n ${ns} logs job/${name}`,
      kubectlDescribe('job', ns, name),
    ],
    remediation:
      failed.reason === 'DeadlineExceeded'
        ? 'The Job ran longer than spec.activeDeadlineSeconds: make it faster or raise the deadline.'
        : "Read the failed pods' logs (`kubectl logs job/<name>`) for why the command exits non-zero; fix it and re-run the Job.",
    docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures',
  });
});
