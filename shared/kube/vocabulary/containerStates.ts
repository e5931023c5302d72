// Container waiting and termination reasons, exit codes and eviction messages, as the kubelet writes them
// (kubernetes/kubernetes pkg/kubelet/container/sync_result.go, kuberuntime/kuberuntime_container.go,
// pkg/kubelet/eviction/helpers.go), shared by the sweep analyzers and the diagnostics rules.
export interface TerminatedLike {
  reason?: string;
  exitCode?: number;
  message?: string;
}

/** Waiting reasons that mean the container cannot run (not a normal start-up state like ContainerCreating). */
export const FAILING_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
  'RegistryUnavailable',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PreStartHookError',
  'PostStartHookError',
  'ContainerCannotRun',
]);

/** Waiting reasons a healthy pod passes through while it starts. */
export const STARTING_WAITING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * A restart the application did not cause: the runtime lost the container (node reboot, containerd restart, pod
 * sandbox recreated), which leaves lastState terminated with reason `Unknown` (exit code 255 from containerd) -
 * the kubelet reports a container it can no longer inspect as Unknown.
 */
export function isRuntimeRestart(t: TerminatedLike | undefined): boolean {
  return t?.reason === 'Unknown';
}

/** The process could not be started at all (StartError / ContainerCannotRun, exec not found, bad entrypoint). */
export function startFailure(t: TerminatedLike | undefined): boolean {
  if (!t) return false;
  return (
    t.reason === 'StartError' ||
    t.reason === 'ContainerCannotRun' ||
    /executable file not found|no such file or directory|permission denied/.test(t.message ?? '')
  );
}

/** What an exit code usually means (128+n: killed by signal n). */
export function exitCodeMeaning(code: number | undefined): string {
  switch (code) {
    case undefined:
      return 'unknown exit code';
    case 0:
      return 'exit code 0: the process ended normally, but a long-running container is expected to keep running';
    case 1:
      return 'exit code 1: the application failed (see its logs)';
    case 2:
      return 'exit code 2: misuse of a shell command or bad arguments';
    case 126:
      return 'exit code 126: the command is not executable';
    case 127:
      return 'exit code 127: the command was not found in the image';
    case 128:
      return 'exit code 128: the runtime could not start the process';
    case 134:
      return 'exit code 134: the process aborted (SIGABRT)';
    case 137:
      return 'exit code 137: the process was killed (SIGKILL), usually by the OOM killer or a failed liveness probe';
    case 139:
      return 'exit code 139: segmentation fault (SIGSEGV)';
    case 143:
      return 'exit code 143: the process was terminated (SIGTERM)';
    case 255:
      return 'exit code 255: the runtime lost the container (node or sandbox restart) or the process exited with -1';
    default:
      return code > 128
        ? `exit code ${code}: killed by signal ${code - 128}`
        : `exit code ${code}: the application failed`;
  }
}

export interface EvictionMessage {
  /** The starved resource: memory, ephemeral-storage, nodefs, imagefs, pids. */
  resource: string;
  threshold?: string;
  available?: string;
  /** Containers named with their usage and request ("Container x was using 1Gi, request is 0"). */
  containers: Array<{ name: string; usage: string; request: string }>;
}

/**
 * Reads a kubelet eviction message (pkg/kubelet/eviction/helpers.go evictionMessage): "The node was low on
 * resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 1Gi, request is 0, has
 * larger consumption of memory." ("The node had condition: [DiskPressure]." for admission failures.)
 */
export function parseEvictionMessage(message: string): EvictionMessage | undefined {
  const low = /The node was low on resource: \[?([\w-]+)\]?\.?/.exec(message);
  const cond = /The node had condition: \[(\w+)\]/.exec(message);
  if (!low && !cond) return undefined;
  const threshold = /Threshold quantity: ([^,]+), available: ([^.\s]+(?:\.\d+)?\w*)/.exec(message);
  // Older kubelets: "Container %s was using %s, request is %s, has larger consumption of %v."; newer ones:
  // "Container %s was using %s, which exceeds its request of %s."
  const containers = [
    ...message.matchAll(
      /Container (\S+) was using (\S+?), (?:request is (\S+?),|which exceeds its request of (\S+?)\.)/g,
    ),
  ].map((m) => ({ name: m[1] ?? '', usage: m[2] ?? '', request: m[3] ?? m[4] ?? '' }));
  return {
    resource: low?.[1] ?? (cond?.[1] === 'DiskPressure' ? 'ephemeral-storage' : (cond?.[1] ?? '')),
    threshold: threshold?.[1],
    available: threshold?.[2],
    containers,
  };
}
