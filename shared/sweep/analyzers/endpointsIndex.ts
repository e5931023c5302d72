// Ready and not-ready address counts per Service, from Endpoints objects; shared by the Service and webhook checks.
import type { KubeObject } from '../../kube/objects.js';

interface Endpoints extends KubeObject {
  subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[];
}

export interface EndpointCounts {
  ready: number;
  notReady: number;
}

export function endpointCounts(obj: KubeObject): EndpointCounts {
  let ready = 0;
  let notReady = 0;
  for (const s of (obj as Endpoints).subsets ?? []) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}
