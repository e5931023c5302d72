// Shared reading of Pod status for the pod analyzers.
import type { ContainerStatus, Pod } from '../../kube/objects.js';
import { kubectlCommands } from '../../kube/vocabulary/kubectl.js';

export const HOUR_MS = 60 * 60 * 1000;

export interface ContainerEntry {
  status: ContainerStatus;
  init: boolean;
  /** Field path of this status in the Pod, for evidence: `status.containerStatuses[?(@.name=="app")]`. */
  path: string;
}

// Five pod analyzers walk the same pod's container statuses in turn: the entries are built once and kept (they only
// read them) until the engine moves on to the next object (forgetContainerEntries).
let lastPod: Pod | undefined;
let lastEntries: readonly ContainerEntry[] = [];

export function containerEntries(pod: Pod): readonly ContainerEntry[] {
  if (pod !== lastPod) {
    lastPod = pod;
    lastEntries = entriesOf(pod);
  }
  return lastEntries;
}

/** Called by the engine once every analyzer has seen an object: the object may change after that (tests). */
export function forgetContainerEntries(): void {
  lastPod = undefined;
  lastEntries = [];
}

function entriesOf(pod: Pod): ContainerEntry[] {
  const out: ContainerEntry[] = [];
  for (const s of pod.status?.initContainerStatuses ?? []) {
    out.push({ status: s, init: true, path: `status.initContainerStatuses[?(@.name=="${s.name}")]` });
  }
  for (const s of pod.status?.containerStatuses ?? []) {
    out.push({ status: s, init: false, path: `status.containerStatuses[?(@.name=="${s.name}")]` });
  }
  return out;
}

export function containerLabel(e: ContainerEntry): string {
  return `${e.init ? 'init container' : 'container'} ${e.status.name}`;
}

/** Whether an ISO timestamp lies within `windowMs` before `now`. Unparseable timestamps are not recent. */
export function isWithin(timestamp: string | undefined, now: Date, windowMs: number): boolean {
  if (!timestamp) return false;
  const t = Date.parse(timestamp);
  return Number.isFinite(t) && now.getTime() - t <= windowMs && t <= now.getTime() + 60_000;
}

export function ageMs(timestamp: string | undefined, now: Date): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isFinite(t) ? now.getTime() - t : undefined;
}

/** What an exit code usually means, so a person knows where to look. */
export { exitCodeMeaning } from '../../kube/vocabulary/containerStates.js';

/** "(owned by ReplicaSet web-7d9)" so the finding points at what to fix. */
export function ownerNote(pod: Pod): string {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  return owner?.kind && owner.name ? ` (owned by ${owner.kind} ${owner.name})` : '';
}

export function jsonpath(kind: string, namespace: string | undefined, name: string, path: string): string {
  return kubectlCommands.jsonpath(kind, name, namespace, `.${path}`);
}

export function truncate(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
