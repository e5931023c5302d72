// The registry of ARM analyzers: every check the sweep runs on a managed cluster's ARM facts. One file per check;
// list it here (its catalogue entry lives in shared/sweep/catalogue.ts, like the Kubernetes analyzers').
import type { ArmFacts } from '../../azure/armFacts.js';
import type { FindingDraft } from '../analyzer.js';
import type { ArmAnalyzer } from './armAnalyzer.js';
import { clusterProvisioningFailed } from './clusterProvisioningFailed.js';
import { clusterStopped } from './clusterStopped.js';
import { kubernetesVersionUnsupported } from './kubernetesVersionUnsupported.js';
import { kubernetesVersionOldestSupported } from './kubernetesVersionOldestSupported.js';
import { kubernetesUpgradeAvailable } from './kubernetesUpgradeAvailable.js';
import { nodepoolProvisioningFailed } from './nodepoolProvisioningFailed.js';
import { nodepoolStopped } from './nodepoolStopped.js';
import { nodepoolAtMax } from './nodepoolAtMax.js';
import { nodeImageUpgradeAvailable } from './nodeImageUpgradeAvailable.js';
import { skuFreeTier } from './skuFreeTier.js';
import { autoUpgradeDisabled } from './autoUpgradeDisabled.js';
import { entraIntegrationMissing } from './entraIntegrationMissing.js';
import { localAccountsEnabled } from './localAccountsEnabled.js';
import { azureRbacDisabled } from './azureRbacDisabled.js';
import { kubernetesRbacDisabled } from './kubernetesRbacDisabled.js';
import { privateApiServer } from './privateApiServer.js';
import { apiServerUnrestricted } from './apiServerUnrestricted.js';

export const ARM_ANALYZERS: readonly ArmAnalyzer[] = [
  clusterProvisioningFailed,
  clusterStopped,
  kubernetesVersionUnsupported,
  kubernetesVersionOldestSupported,
  kubernetesUpgradeAvailable,
  nodepoolProvisioningFailed,
  nodepoolStopped,
  nodepoolAtMax,
  nodeImageUpgradeAvailable,
  skuFreeTier,
  autoUpgradeDisabled,
  entraIntegrationMissing,
  localAccountsEnabled,
  azureRbacDisabled,
  kubernetesRbacDisabled,
  privateApiServer,
  apiServerUnrestricted,
];

/** Every ARM analyzer over one cluster's facts. */
export function analyzeArmFacts(facts: ArmFacts): FindingDraft[] {
  return ARM_ANALYZERS.flatMap((a) => a.analyze(facts));
}
