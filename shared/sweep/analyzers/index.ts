// The registry: every analyzer the sweep runs. Add one file per check and list it here.
import type { Analyzer } from '../analyzer.js';
import { podContainerWaiting } from './podContainerWaiting.js';
import { podOomKilled } from './podOomKilled.js';
import { podTerminatedWithError } from './podTerminatedWithError.js';
import { podEvicted } from './podEvicted.js';
import { podUnschedulable } from './podUnschedulable.js';
import { podProbes } from './podProbes.js';
import { podRestarts } from './podRestarts.js';
import { deploymentAnalyzer } from './deployment.js';
import { replicaSetAnalyzer } from './replicaSet.js';
import { statefulSetAnalyzer } from './statefulSet.js';
import { daemonSetAnalyzer } from './daemonSet.js';
import { jobAnalyzer } from './job.js';
import { cronJobAnalyzer } from './cronJob.js';
import { serviceAnalyzer } from './service.js';
import { persistentVolumeClaimAnalyzer } from './persistentVolumeClaim.js';
import { ingressAnalyzer } from './ingress.js';
import { nodeAnalyzer } from './node.js';
import { webhookAnalyzer } from './webhook.js';
import { horizontalPodAutoscalerAnalyzer } from './horizontalPodAutoscaler.js';
import { podDisruptionBudgetAnalyzer } from './podDisruptionBudget.js';
import { containerResourcesAnalyzer } from './containerResources.js';
import { containerProbesAnalyzer } from './containerProbes.js';
import { containerSecurityAnalyzer } from './containerSecurity.js';
import { imageTagAnalyzer } from './imageTag.js';
import { singleReplicaWithoutPdbAnalyzer } from './singleReplicaWithoutPdb.js';
import { serviceSelectorAnalyzer } from './serviceSelector.js';
import { podDisruptionBudgetSpecAnalyzer } from './podDisruptionBudgetSpec.js';
import { podHardeningAnalyzer } from './podHardening.js';
import { rbacAnalyzer } from './rbac.js';
import { serviceAccountUsageAnalyzer } from './serviceAccountUsage.js';
import { networkPolicyAnalyzer } from './networkPolicy.js';
import { schedulingAnalyzer } from './scheduling.js';
import { horizontalPodAutoscalerSpecAnalyzer } from './horizontalPodAutoscalerSpec.js';
import { resourceHygieneAnalyzer } from './resourceHygiene.js';
import { exposureAnalyzer } from './exposure.js';
import { sensitiveDataAnalyzer } from './sensitiveData.js';
import { deprecatedApiAnalyzer } from './deprecatedApi.js';
import { probeHygieneAnalyzer } from './probeHygiene.js';

export const ANALYZERS: readonly Analyzer[] = [
  podContainerWaiting,
  podOomKilled,
  podTerminatedWithError,
  podEvicted,
  podUnschedulable,
  podProbes,
  podRestarts,
  deploymentAnalyzer,
  replicaSetAnalyzer,
  statefulSetAnalyzer,
  daemonSetAnalyzer,
  jobAnalyzer,
  cronJobAnalyzer,
  serviceAnalyzer,
  persistentVolumeClaimAnalyzer,
  ingressAnalyzer,
  nodeAnalyzer,
  webhookAnalyzer,
  horizontalPodAutoscalerAnalyzer,
  podDisruptionBudgetAnalyzer,
  containerResourcesAnalyzer,
  containerProbesAnalyzer,
  containerSecurityAnalyzer,
  imageTagAnalyzer,
  singleReplicaWithoutPdbAnalyzer,
  serviceSelectorAnalyzer,
  podDisruptionBudgetSpecAnalyzer,
  podHardeningAnalyzer,
  rbacAnalyzer,
  serviceAccountUsageAnalyzer,
  networkPolicyAnalyzer,
  schedulingAnalyzer,
  horizontalPodAutoscalerSpecAnalyzer,
  resourceHygieneAnalyzer,
  exposureAnalyzer,
  sensitiveDataAnalyzer,
  deprecatedApiAnalyzer,
  probeHygieneAnalyzer,
];
