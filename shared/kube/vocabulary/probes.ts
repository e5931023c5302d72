// Probe facts, shared by the sweep (podProbes) and the diagnostics (probeFailure). The kubelet's prober writes
// Unhealthy events "<Liveness|Readiness|Startup> probe failed: <output>" and "... probe errored: <error>"
// (pkg/kubelet/prober/prober.go), and kills a container whose liveness or startup probe failed with a Killing event
// "Container <name> failed <liveness|startup> probe, will be restarted" (pkg/kubelet/kuberuntime).
import type { Probe } from '../objects.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** The probe an Unhealthy or Killing message is about. */
export function probeKindOf(message: string): ProbeKind | undefined {
  const m =
    /\b(Liveness|Readiness|Startup) probe (?:failed|errored)\b/i.exec(message) ??
    /failed (liveness|startup) probe/i.exec(message);
  return m?.[1] ? (m[1].toLowerCase() as ProbeKind) : undefined;
}

/** The container a Killing message names after a failed liveness/startup probe. */
export function probeKilledContainer(message: string): string | undefined {
  return /^Container (\S+) failed (?:liveness|startup) probe/.exec(message)?.[1];
}

/** A probe in words: "HTTP GET /healthz on port 8080". */
export function describeProbe(p: Probe): string {
  if (p.httpGet) return `HTTP GET ${p.httpGet.path ?? '/'} on port ${p.httpGet.port ?? '?'}`;
  if (p.tcpSocket) return `TCP port ${p.tcpSocket.port ?? '?'}`;
  if (p.grpc) return `gRPC port ${p.grpc.port ?? '?'}`;
  if (p.exec) return `exec ${(p.exec.command ?? []).join(' ')}`;
  return 'probe';
}
