// Containers stuck waiting: k8sgpt's waiting reasons plus lifecycle-hook failures. A CrashLoopBackOff whose last
// run was OOM-killed is reported as `pod.oom-killed`, because the memory limit (not the code) is what to fix.
import type { FindingDraft } from '../analyzer.js';
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import type { Pod } from '../../kube/objects.js';
import {
  containerEntries,
  containerLabel,
  exitCodeMeaning,
  jsonpath,
  ownerNote,
  truncate,
  ageMs,
} from './podHelpers.js';
import type { Severity } from '../types.js';
import { classifyImagePullError } from '../../kube/vocabulary/imagePull.js';
import { classifyVolumeFailure } from '../../kube/vocabulary/volumes.js';

interface WaitingRule {
  check: string;
  severity: Severity;
  what: string;
  remediation: string;
  docsUrl: string;
}

const IMAGE_DOCS = 'https://kubernetes.io/docs/concepts/containers/images/';
const START_DOCS = 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/';

const imagePull: WaitingRule = {
  check: 'pod.image-pull-failed',
  severity: 'critical',
  what: 'cannot pull its image',
  remediation:
    'Check the image name and tag exist in the registry and that the cluster can pull from it: for Azure Container Registry run `az aks check-acr --name <cluster> --resource-group <rg> --acr <registry>` or attach it with `az aks update --attach-acr`; otherwise add an imagePullSecret.',
  docsUrl: IMAGE_DOCS,
};

const startFailure: WaitingRule = {
  check: 'pod.container-start-failed',
  severity: 'critical',
  what: 'cannot be created or started',
  remediation:
    'Read the message and the events: usually a wrong command or entrypoint, a missing volume or device, or a failing lifecycle hook. Fix the pod template and roll it out again.',
  docsUrl: START_DOCS,
};

/** Waiting reasons (k8sgpt's eleven, plus runtime and hook errors) and what each means. */
export const WAITING_RULES: Record<string, WaitingRule> = {
  CrashLoopBackOff: {
    check: 'pod.crash-loop',
    severity: 'critical',
    what: 'keeps crashing and is in CrashLoopBackOff',
    remediation:
      'Read the previous container log (`kubectl logs --previous`) for the reason the process exits; fix the configuration or code, or the liveness probe if it kills a healthy process.',
    docsUrl: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts',
  },
  ImagePullBackOff: imagePull,
  ErrImagePull: imagePull,
  InvalidImageName: {
    ...imagePull,
    what: 'has an invalid image name',
    remediation: 'Correct the image reference (registry/repository:tag or @sha256 digest) in the pod template.',
  },
  ErrImageNeverPull: {
    ...imagePull,
    what: 'uses imagePullPolicy Never but the image is not on the node',
    remediation: 'Set imagePullPolicy to IfNotPresent or Always, or pre-load the image on the nodes.',
  },
  ImageInspectError: { ...imagePull, what: 'has an image the runtime cannot inspect' },
  CreateContainerConfigError: {
    check: 'pod.container-config-error',
    severity: 'critical',
    what: 'cannot be configured (a referenced ConfigMap, Secret or key is missing, or the security context is invalid)',
    remediation:
      'Create the missing ConfigMap or Secret (or key) the container references, or mark the reference optional; the message names it.',
    docsUrl: 'https://kubernetes.io/docs/concepts/configuration/configmap/',
  },
  CreateContainerError: startFailure,
  PreCreateHookError: startFailure,
  PreStartHookError: startFailure,
  RunContainerError: startFailure,
  ContainerCannotRun: startFailure,
  PostStartHookError: {
    ...startFailure,
    check: 'pod.lifecycle-hook-failed',
    what: 'has a failing postStart hook',
    remediation:
      'Fix the postStart hook command or HTTP handler; until it succeeds the container is killed and restarted.',
    docsUrl: 'https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/',
  },
  PreStopHookError: {
    check: 'pod.lifecycle-hook-failed',
    severity: 'warning',
    what: 'has a failing preStop hook',
    remediation: 'Fix the preStop hook; a failing hook delays termination until the grace period ends.',
    docsUrl: 'https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/',
  },
};

/** ContainerCreating is normal for a while; past this it usually means a volume cannot be mounted. */
const STUCK_CREATING_MS = 5 * 60 * 1000;

export const podContainerWaiting = objectAnalyzer<Pod>('podContainerWaiting', 'pods', (pod, ns, name, ctx) => {
  const byCheck = new Map<string, FindingDraft>();
  for (const entry of containerEntries(pod)) {
    const terminatedNow = entry.status.state?.terminated;
    // Between two restarts a crash-looping container shows as terminated, not waiting: same problem.
    const waiting =
      entry.status.state?.waiting ??
      (terminatedNow &&
      terminatedNow.exitCode !== 0 &&
      (entry.status.restartCount ?? 0) > 0 &&
      pod.status?.phase !== 'Failed' &&
      pod.status?.phase !== 'Succeeded'
        ? { reason: 'CrashLoopBackOff', message: undefined }
        : undefined);
    if (!waiting?.reason) continue;
    let rule = WAITING_RULES[waiting.reason];
    const last = entry.status.state?.waiting
      ? entry.status.lastState?.terminated
      : (terminatedNow ?? entry.status.lastState?.terminated);
    const evidence = [
      entry.status.state?.waiting
        ? `${jsonpath('pod', ns, name, `${entry.path}.state.waiting`)} → reason=${waiting.reason}${waiting.message ? `, message="${truncate(waiting.message, 200)}"` : ''}`
        : `${jsonpath('pod', ns, name, `${entry.path}.restartCount`)} → ${entry.status.restartCount ?? 0} (terminated again with exit code ${terminatedNow?.exitCode ?? '?'})`,
    ];
    let what = rule?.what;
    if (waiting.reason === 'CrashLoopBackOff' && last) {
      if (last.reason === 'OOMKilled') {
        rule = {
          check: 'pod.oom-killed',
          severity: 'critical',
          what: 'is crash-looping because it is OOM-killed (last state OOMKilled)',
          remediation: oomRemediation,
          docsUrl: oomDocs,
        };
        what = rule.what;
      } else {
        what = `keeps crashing and is in CrashLoopBackOff (last run ended ${last.reason ?? 'with an error'}, ${exitCodeMeaning(last.exitCode)})`;
      }
      evidence.push(
        `${jsonpath('pod', ns, name, `${entry.path}.${entry.status.state?.waiting ? 'lastState' : 'state'}.terminated`)} → reason=${last.reason ?? ''}, exitCode=${last.exitCode ?? ''}`,
      );
      evidence.push(`kubectl${ns ? ` -n ${ns}` : ''} logs ${name} -c ${entry.status.name} --previous`);
    }
    if (!rule && waiting.reason === 'ContainerCreating') {
      const mountEvents = ctx.events.about('Pod', ns, name, ['FailedMount', 'FailedAttachVolume']);
      const age = ageMs(pod.status?.startTime ?? pod.metadata?.creationTimestamp, ctx.settings.now);
      if (mountEvents.length > 0 && (age === undefined || age > STUCK_CREATING_MS)) {
        rule = {
          check: 'pod.volume-mount-failed',
          severity: 'critical',
          what: 'is stuck in ContainerCreating because a volume cannot be attached or mounted',
          remediation:
            'Check the PersistentVolumeClaim is Bound, the disk is not attached to another node (zone and RWO access mode), and any referenced Secret or ConfigMap volume exists.',
          docsUrl:
            'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/storage/fail-to-mount-azure-disk-volume',
        };
        // The same classifier as the diagnosis names the class of the kubelet's message.
        const cls = mountEvents.map((e) => classifyVolumeFailure(e.message ?? '').cls).find((c) => c !== 'unknown');
        what = cls ? `${rule.what} (${cls})` : rule.what;
        for (const e of mountEvents) evidence.push(eventEvidence(ns, name, e));
      }
    }
    if (rule?.check === 'pod.image-pull-failed') {
      // The same classifier as the diagnosis: the registry's answer names the cause.
      const pullMessages = [
        waiting.message ?? '',
        ...ctx.events.about('Pod', ns, name, ['Failed']).map((e) => e.message ?? ''),
      ].join('\n');
      const cls = classifyImagePullError(pullMessages, waiting.reason);
      if (cls !== 'unknown') what = `${what} (${cls.replace(/_/g, ' ')}: ${cls})`;
    }
    if (!rule || !what) continue;
    const existing = byCheck.get(rule.check);
    if (existing) {
      existing.message += ` Also ${containerLabel(entry)}: ${waiting.reason}.`;
      existing.evidence.push(...evidence);
      continue;
    }
    if (
      rule.check === 'pod.image-pull-failed' ||
      rule.check === 'pod.container-config-error' ||
      rule.check === 'pod.container-start-failed'
    ) {
      for (const e of ctx.events.about('Pod', ns, name, [
        'Failed',
        'FailedCreatePodContainer',
        'FailedPostStartHook',
        'FailedPreStopHook',
      ])) {
        evidence.push(eventEvidence(ns, name, e));
      }
    }
    byCheck.set(rule.check, {
      check: rule.check,
      severity: rule.severity,
      kind: 'Pod',
      namespace: ns,
      name,
      message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)}: ${containerLabel(entry)} ${what}${waiting.message && rule.check !== 'pod.crash-loop' && rule.check !== 'pod.oom-killed' ? `: ${truncate(waiting.message, 240)}` : ''}.`,
      evidence,
      remediation: rule.remediation,
      docsUrl: rule.docsUrl,
    });
  }
  for (const f of byCheck.values()) {
    f.evidence.push(kubectlDescribe('pod', ns, name));
    ctx.report(f);
  }
});

export const oomRemediation =
  "Raise the container's memory limit (resources.limits.memory) to above its real peak, or reduce the application's memory use; check `kubectl top pod` and Container Insights' memory working set.";
export const oomDocs = 'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/';
