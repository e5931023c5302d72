// The check catalogue: every check id the sweep can report, with its default severity, what state it needs, why it
// matters and how to fix it (./catalogue/peers.ts says which Popeye codes, Polaris checks and kube-score tests each
// one covers). Check ids are a stable contract (results tables, dashboards, aks-aiops.yaml, SARIF rule ids): a renamed
// check keeps its old id in `aliases`. docs/sweeps.md's check and mapping tables are generated from this file
// (`npm run docs`) and tested.
// Each family's entries live in their own file under ./catalogue/; a new family adds its name to CheckFamily and
// one spread line to CATALOGUE.
import type { CheckEntryOf } from './catalogue/entry.js';
import { ACCESS_CHECKS } from './catalogue/access.js';
import { AVAILABILITY_CHECKS } from './catalogue/availability.js';
import { AZURE_CHECKS } from './catalogue/azure.js';
import { DEPRECATED_API_CHECKS } from './catalogue/deprecatedApi.js';
import { EXPOSURE_CHECKS } from './catalogue/exposure.js';
import { FAILURE_CHECKS } from './catalogue/failures.js';
import { NETWORK_POLICY_CHECKS } from './catalogue/networkPolicy.js';
import { NODE_CHECKS } from './catalogue/nodes.js';
import { POD_HARDENING_CHECKS } from './catalogue/podHardening.js';
import { PROBE_AND_IMAGE_CHECKS } from './catalogue/probesAndImages.js';
import { RBAC_CHECKS } from './catalogue/rbac.js';
import { RESOURCE_CHECKS } from './catalogue/resources.js';
import { SENSITIVE_DATA_CHECKS } from './catalogue/sensitiveData.js';
import { WIRING_CHECKS } from './catalogue/wiring.js';
import { COST_CHECKS } from './catalogue/cost.js';
import { ANOMALY_CHECKS } from './catalogue/anomaly.js';

export type CheckFamily =
  | 'failures'
  | 'wiring'
  | 'nodes'
  | 'azure'
  | 'access'
  | 'pod-hardening'
  | 'rbac'
  | 'network-policy'
  | 'availability'
  | 'resources'
  | 'exposure'
  | 'sensitive-data'
  | 'deprecated-api'
  | 'probes-and-images'
  | 'cost'
  | 'anomaly';

export type { CheckState, PeerIds } from './catalogue/entry.js';
export { UNCOVERED_PEER_CHECKS, type UncoveredPeerCheck } from './catalogue/uncoveredPeerChecks.js';
export { PEER_IDS } from './catalogue/peers.js';

export type CheckEntry = CheckEntryOf<CheckFamily>;

export const CATALOGUE: readonly CheckEntry[] = [
  ...FAILURE_CHECKS,
  ...WIRING_CHECKS,
  ...NODE_CHECKS,
  ...AZURE_CHECKS,
  ...ACCESS_CHECKS,
  ...POD_HARDENING_CHECKS,
  ...RBAC_CHECKS,
  ...NETWORK_POLICY_CHECKS,
  ...AVAILABILITY_CHECKS,
  ...RESOURCE_CHECKS,
  ...EXPOSURE_CHECKS,
  ...SENSITIVE_DATA_CHECKS,
  ...DEPRECATED_API_CHECKS,
  ...PROBE_AND_IMAGE_CHECKS,
  ...COST_CHECKS,
  ...ANOMALY_CHECKS,
];

const byId = new Map<string, CheckEntry>();
for (const e of CATALOGUE) {
  byId.set(e.id, e);
  for (const a of e.aliases ?? []) byId.set(a, e);
}

/** The catalogue entry of a check id or one of its former ids. */
export function checkEntry(id: string): CheckEntry | undefined {
  return byId.get(id);
}

/** The current id of a check named by a current or former id (unknown ids are returned unchanged). */
export function canonicalCheckId(id: string): string {
  return byId.get(id)?.id ?? id;
}
