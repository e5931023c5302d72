// Which `kubectl get pods` row a nameless describe fragment belongs to. People paste the row that shows the
// symptom (`web-5f7  0/1  CrashLoopBackOff  7  14m`) and then the part of `kubectl describe pod` they think matters
// (`Last State: Terminated / Reason: OOMKilled / Exit Code: 137`), without its `Name:` line. Read apart, the row is a
// pod in CrashLoopBackOff with no known cause and the fragment an anonymous pod: the reader must make them one pod,
// as kubectl shows them (the back-off's cause is the last termination, kubelet kuberuntime_container.go), or the
// diagnosis answers from the symptom alone.
import type { ContainerStatus as V1ContainerStatus, Pod as V1Pod } from 'kubernetes-types/core/v1.js';

/** The one container status of a list, or undefined when there are none or several. */
function onlyStatus(list: V1ContainerStatus[] | undefined): V1ContainerStatus | undefined {
  return list?.length === 1 ? list[0] : undefined;
}

/** The fragment's and the row's status of the same container list (app or init), when each has exactly one. */
function statusPair(fragment: V1Pod, row: V1Pod): [V1ContainerStatus, V1ContainerStatus] | undefined {
  for (const key of ['containerStatuses', 'initContainerStatuses'] as const) {
    const f = onlyStatus(fragment.status?.[key]);
    const r = onlyStatus(row.status?.[key]);
    if (f && r) return [f, r];
  }
  return undefined;
}

/** Whether nothing the row says contradicts the fragment: same restart count and waiting reason when both say. */
function agrees(fragment: V1Pod, row: V1Pod): boolean {
  if (fragment.metadata?.namespace && row.metadata?.namespace && fragment.metadata.namespace !== row.metadata.namespace)
    return false;
  const pair = statusPair(fragment, row);
  if (!pair) return true;
  const [f, r] = pair;
  if (f.restartCount !== undefined && r.restartCount !== undefined && f.restartCount !== r.restartCount) return false;
  const fWaiting = f.state?.waiting?.reason;
  const rWaiting = r.state?.waiting?.reason;
  if (fWaiting && rWaiting && fWaiting !== rWaiting) return false;
  // A last termination means the container restarted at least once.
  return !(f.lastState?.terminated && r.restartCount === 0);
}

/**
 * The row a nameless fragment describes: the only row no described pod already names, or else the only one of
 * those that agrees with it. Undefined when that is ambiguous: then the fragment stays a pod of its own.
 */
export function rowOfFragment(fragment: V1Pod, rows: V1Pod[], describedNames: Set<string>): V1Pod | undefined {
  const free = rows.filter((r) => r.metadata?.name && !describedNames.has(r.metadata.name));
  const agreeing = free.filter((r) => agrees(fragment, r));
  return agreeing.length === 1 ? agreeing[0] : undefined;
}

/**
 * Makes the fragment the row's pod: it takes the row's name and namespace, and its container status takes what
 * only the row says (the current state, readiness, the restart count) when both speak of a single container.
 * The rest of the row is merged later by name, like any row of a described pod.
 */
export function adoptRow(fragment: V1Pod, row: V1Pod): void {
  fragment.metadata = {
    ...fragment.metadata,
    name: row.metadata?.name,
    namespace: fragment.metadata?.namespace ?? row.metadata?.namespace,
  };
  const pair = statusPair(fragment, row);
  if (!pair) return;
  const [f, r] = pair;
  f.state ??= r.state;
  f.ready ??= r.ready;
  f.restartCount ??= r.restartCount;
}
