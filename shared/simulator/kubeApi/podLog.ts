// GET /api/v1/namespaces/{ns}/pods/{name}/log as kube-apiserver answers it: the container to read (required when the
// pod has several), previous=true, tailLines and limitBytes, and the kubelet's error texts for a container that is
// waiting or has no previous instance (pkg/kubelet/kubelet_pods.go, validateContainerLogStatus).
import { badRequestStatus, kubeStatus, type KubeStatus } from './status.js';

type Obj = Record<string, unknown>;

const fail = (status: KubeStatus) => ({ status });

/** The log text to send, or the Status to answer with. `readLog` gives a container's log (undefined: none kept). */
export function podLogAnswer(
  pod: Obj,
  podName: string,
  query: URLSearchParams,
  readLog: (container: string, previous: boolean) => string | undefined,
): { text: string } | { status: KubeStatus } {
  const spec = (pod.spec ?? {}) as Obj;
  const containers = ((spec.containers ?? []) as Obj[]).map((c) => String(c.name));
  const initContainers = ((spec.initContainers ?? []) as Obj[]).map((c) => String(c.name));
  let container = query.get('container') ?? undefined;
  if (container === undefined || container === '') {
    if (containers.length !== 1) {
      return fail(
        badRequestStatus(
          `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`,
        ),
      );
    }
    container = containers[0];
  }
  if (container === undefined || (!containers.includes(container) && !initContainers.includes(container))) {
    return fail(badRequestStatus(`container ${container ?? ''} is not valid for pod ${podName}`));
  }
  const previous = ['true', '1'].includes(query.get('previous') ?? '');
  const text = readLog(container, previous);
  if (text === undefined) {
    const status = ((pod.status ?? {}) as Obj).containerStatuses as Obj[] | undefined;
    const cs = (status ?? []).find((c) => c.name === container);
    if (previous && !(cs?.lastState && (cs.lastState as Obj).terminated)) {
      return fail(badRequestStatus(`previous terminated container "${container}" in pod "${podName}" not found`));
    }
    const waiting = (cs?.state as Obj | undefined)?.waiting as Obj | undefined;
    if (!previous && waiting) {
      const reason = typeof waiting.reason === 'string' ? waiting.reason : 'ContainerCreating';
      const why =
        reason === 'ImagePullBackOff' || reason === 'ErrImagePull' ? 'trying and failing to pull image' : reason;
      return fail(badRequestStatus(`container "${container}" in pod "${podName}" is waiting to start: ${why}`));
    }
    return fail(
      kubeStatus(404, 'NotFound', `log of container "${container}" in pod "${podName}" not found`, {
        name: podName,
        kind: 'pods',
      }),
    );
  }
  let body = text;
  const tailText = query.get('tailLines');
  if (tailText !== null) {
    if (!/^\d+$/.test(tailText))
      return fail(badRequestStatus(`tailLines: Invalid value: "${tailText}": must be a non-negative integer`));
    const lines = body.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const n = Number(tailText);
    body = n === 0 ? '' : `${lines.slice(-n).join('\n')}\n`;
  }
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null && /^\d+$/.test(limitBytes))
    body = Buffer.from(body).subarray(0, Number(limitBytes)).toString('utf8');
  return { text: body };
}
