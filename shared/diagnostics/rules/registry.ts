// Every root-cause rule, in one list. Order breaks confidence ties: specific causes before generic ones.
import type { DiagnosisRule } from './ruleTypes.js';
import { oomKilledRule } from './oomKilled.js';
import { imagePullErrorRule } from './imagePullError.js';
import { configErrorRule } from './configError.js';
import { evictedRule } from './evicted.js';
import { volumeMountErrorRule } from './volumeMountError.js';
import { failedSchedulingRule } from './failedScheduling.js';
import { nodeNotReadyRule } from './nodeNotReady.js';
import { probeFailureRule } from './probeFailure.js';
import { jobFailedRule } from './jobFailed.js';
import { crashLoopRule } from './crashLoop.js';
import { cpuThrottlingRule } from './cpuThrottling.js';
import { azurePlatformEventRule } from './azurePlatformEvent.js';
import { cpuSaturationRule } from './cpuSaturation.js';
import { latencyDegradationRule } from './latencyDegradation.js';
import { errorRateSurgeRule } from './errorRateSurge.js';
import { healthyRule } from './healthy.js';
import { unknownRule } from './unknownCause.js';

export const DIAGNOSIS_RULES: readonly DiagnosisRule[] = [
  oomKilledRule,
  imagePullErrorRule,
  configErrorRule,
  evictedRule,
  volumeMountErrorRule,
  failedSchedulingRule,
  nodeNotReadyRule,
  probeFailureRule,
  jobFailedRule,
  crashLoopRule,
  cpuThrottlingRule,
  cpuSaturationRule,
  latencyDegradationRule,
  errorRateSurgeRule,
  azurePlatformEventRule,
  healthyRule,
  unknownRule,
];
