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

/**
 * The AKS cluster id at the start of a resource id (the cluster itself or one of its sub-resources, e.g. an alert
 * target `.../managedClusters/x/agentPools/y`), written as ARM writes it; undefined when the id does not start with a
 * cluster id `parseManagedClusterId` accepts. Intake and worker both use this one grammar, so an id the webhook
 * takes as a cluster can always be parsed later.
 */
export function findManagedClusterId(resourceId: string | null | undefined): string | undefined {
  if (!resourceId) return undefined;
  const parts = resourceId.trim().split('/');
  if (parts.length < 9 || parts[0] !== '') return undefined;
  if (
    parts[1]?.toLowerCase() !== 'subscriptions' ||
    parts[3]?.toLowerCase() !== 'resourcegroups' ||
    parts[5]?.toLowerCase() !== 'providers' ||
    parts[6]?.toLowerCase() !== 'microsoft.containerservice' ||
    parts[7]?.toLowerCase() !== 'managedclusters'
  )
    return undefined;
  // Alerts lower-case the fixed segments (`resourcegroups`, `microsoft.containerservice`); write them as ARM does.
  const id = `/subscriptions/${parts[2]}/resourceGroups/${parts[4]}/providers/Microsoft.ContainerService/managedClusters/${parts[8]}`;
  return isManagedClusterId(id) ? id : undefined;
}
