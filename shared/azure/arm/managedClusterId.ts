import { ValidationError } from '../../errors.js';

export interface ManagedClusterId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const CLUSTER_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.ContainerService\/managedClusters\/([a-zA-Z0-9][-_a-zA-Z0-9]{0,62})$/i;

/** Parses an AKS resource id; ValidationError (HTTP 400, CLI exit 2) names what is wrong. */
export function parseManagedClusterId(id: string): ManagedClusterId {
  const m = CLUSTER_ID.exec(id.trim());
  if (!m) {
    throw new ValidationError(
      `Not an AKS cluster resource id: '${id}'. Expected /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>`,
    );
  }
  return { subscriptionId: m[1] ?? '', resourceGroup: m[2] ?? '', name: m[3] ?? '' };
}

export function isManagedClusterId(id: string): boolean {
  return CLUSTER_ID.test(id.trim());
}
