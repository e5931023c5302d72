// Probe and image-pull mistakes visible in the spec: a liveness probe identical to the readiness probe (a slow
// dependency makes the kubelet restart pods that only needed to be taken out of the Service), a probe on a named
// port the container does not declare (the kubelet cannot resolve it and the probe always fails) or on a number
// outside the declared ports, and an image that floats (:latest or no tag) with imagePullPolicy other than Always
// (nodes keep running whatever they pulled first). https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
import type { Analyzer } from '../analyzer.js';
import type { Probe } from '../../kube/objects.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';
import { imageTagOf } from './imageTag.js';
import type { PodSpecFull } from './specTypes.js';

function probePort(p: Probe | undefined): number | string | undefined {
  return p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port;
}

/** The probe without its timing fields: what it checks. */
function probeTarget(p: Probe & Record<string, unknown>): string {
  return JSON.stringify({ httpGet: p.httpGet, tcpSocket: p.tcpSocket, exec: p.exec, grpc: p.grpc });
}

export const probeHygieneAnalyzer: Analyzer = templateAnalyzer('probeHygiene', (t, report, ref) => {
  const containers = (t.template.spec as PodSpecFull).containers ?? [];
  const identical = containers.filter(
    (c) =>
      c.livenessProbe &&
      c.readinessProbe &&
      probeTarget(c.livenessProbe) === probeTarget(c.readinessProbe) &&
      (c.livenessProbe.failureThreshold ?? 3) <= (c.readinessProbe.failureThreshold ?? 3),
  );
  if (identical.length > 0)
    report({
      check: 'probes.liveness-equals-readiness',
      severity: 'warning',
      message: `${ref} uses the same check for liveness and readiness in ${identical.map((c) => c.name).join(', ')}: when it fails, the kubelet restarts the container instead of only taking it out of the Service, turning a slow dependency into a restart storm.`,
      evidence: identical.map(
        (c) => `${containerField(t, c.name, 'livenessProbe')} = ${containerField(t, c.name, 'readinessProbe')}`,
      ),
      remediation:
        'Make liveness check only that the process is alive (a cheap endpoint, larger failureThreshold) and readiness check that it can serve.',
      docsUrl: 'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
    });
  const badPorts: string[] = [];
  for (const c of containers) {
    const ports = c.ports ?? [];
    for (const [kind, p] of [
      ['livenessProbe', c.livenessProbe],
      ['readinessProbe', c.readinessProbe],
    ] as const) {
      const port = probePort(p);
      if (port === undefined) continue;
      const named = typeof port === 'string' && !/^\d+$/.test(port);
      const ok = named
        ? ports.some((x) => x.name === port)
        : ports.length === 0 || ports.some((x) => x.containerPort === Number(port));
      if (!ok)
        badPorts.push(
          `${c.name} ${kind} port ${port} (declared: ${ports.map((x) => x.name ?? x.containerPort).join(', ') || 'none'})`,
        );
    }
  }
  if (badPorts.length > 0)
    report({
      check: 'probes.port-not-exposed',
      severity: 'warning',
      message: `${ref} probes a port its container does not declare: ${badPorts.join('; ')}. A named port that is not declared cannot be resolved and the probe always fails.`,
      evidence: badPorts.map((b) => `${containerField(t, b.split(' ')[0]!, 'ports')} → ${b}`),
      remediation: "Probe a port listed in the container's ports (by name or number).",
      docsUrl: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
    });
  const stale = containers.filter((c) => {
    const tag = imageTagOf(c.image ?? '');
    return (tag === 'latest' || tag === '') && c.imagePullPolicy !== undefined && c.imagePullPolicy !== 'Always';
  });
  if (stale.length > 0)
    report({
      check: 'image.pull-policy-stale-latest',
      severity: 'warning',
      message: `${ref} runs a floating image with imagePullPolicy ${stale.map((c) => `${c.imagePullPolicy} (${c.name}: ${c.image})`).join(', ')}: each node keeps the version it pulled first, so replicas run different code.`,
      evidence: stale.map((c) => `${containerField(t, c.name, 'imagePullPolicy')} → ${c.imagePullPolicy}`),
      remediation: 'Pin a version tag or digest (then IfNotPresent is right), or use imagePullPolicy: Always.',
      docsUrl: 'https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy',
    });
});
