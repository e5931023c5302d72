// The shared Kubernetes vocabulary, on the texts its sources of truth write (each quoted with where it comes from),
// and the same scheduler and registry messages fed to both the sweep analyzers and the diagnosis rules: they must
// name the same class.
import { describe, expect, it } from '@jest/globals';
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import {
  classifyImagePullError,
  classifySchedulingFailure,
  clusterNameFromId,
  describeProbe,
  probeKilledContainer,
  probeKindOf,
  exitCodeMeaning,
  isRuntimeRestart,
  kubectlCommands,
  parseEvictionMessage,
  parseQuantity,
  startFailure,
  type ImagePullClass,
  type SchedulingClass,
} from '../../../shared/kube/vocabulary/index.js';
import { podUnschedulable } from '../../../shared/sweep/analyzers/podUnschedulable.js';
import { podContainerWaiting } from '../../../shared/sweep/analyzers/podContainerWaiting.js';
import { diagnoseSnapshot } from '../../../shared/diagnostics/engine.js';
import { emptySnapshot } from '../../../shared/diagnostics/evidence/snapshot.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { analyze, event, pod, runningStatus } from '../sweep/sweepTestKit.js';
import { classifyVolumeFailure, type VolumeFailureClass } from '../../../shared/kube/vocabulary/volumes.js';
import { eventRecordFromObject } from '../../../shared/diagnostics/parse/parseDump.js';

const K8S = 'kubernetes/kubernetes pkg/scheduler/framework/plugins';

/** [upstream source, message as a FailedScheduling event prints it, class] */
const SCHEDULER_MESSAGES: Array<[string, string, SchedulingClass]> = [
  [
    `${K8S}/noderesources/fit.go "Insufficient %v"`,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    'insufficient_cpu',
  ],
  [
    `${K8S}/noderesources/fit.go "Insufficient %v"`,
    '0/4 nodes are available: 4 Insufficient memory. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    'insufficient_memory',
  ],
  [
    `${K8S}/noderesources/fit.go (extended resource; HolmesGPT 14_pending_resources)`,
    '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    'insufficient_gpu',
  ],
  [`${K8S}/noderesources/fit.go "Too many pods"`, '0/2 nodes are available: 2 Too many pods.', 'too_many_pods'],
  [
    `${K8S}/nodeaffinity ErrReasonPod`,
    "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    'affinity_or_selector',
  ],
  [
    `${K8S}/nodeaffinity (< 1.20)`,
    "0/3 nodes are available: 3 node(s) didn't match node selector.",
    'affinity_or_selector',
  ],
  [
    `${K8S}/tainttoleration (1.25+) "node(s) had untolerated taint {%s: %s}"`,
    '0/2 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.',
    'untolerated_taint',
  ],
  [
    `${K8S}/tainttoleration (1.18-1.24) "node(s) had taint {%s: %s}, that the pod didn't tolerate"`,
    "0/1 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.",
    'untolerated_taint',
  ],
  [
    'kube-scheduler < 1.18 predicates ErrTaintsTolerationsNotMatch (spark-kubernetes#2)',
    "0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.",
    'untolerated_taint',
  ],
  [
    `${K8S}/nodeunschedulable ErrReasonUnschedulable`,
    '0/2 nodes are available: 2 node(s) were unschedulable.',
    'unschedulable_nodes',
  ],
  [
    `${K8S}/nodeports ErrReason`,
    "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.",
    'node_ports',
  ],
  [
    `${K8S}/interpodaffinity ErrReasonAntiAffinityRulesNotMatch`,
    "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    'affinity_or_selector',
  ],
  [
    `${K8S}/interpodaffinity ErrReasonExistingAntiAffinityRulesNotMatch`,
    "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules.",
    'affinity_or_selector',
  ],
  [
    `${K8S}/podtopologyspread ErrReasonConstraintsNotMatch`,
    "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.",
    'topology_spread',
  ],
  [
    `${K8S}/volumebinding (PreFilter) "pod has unbound immediate PersistentVolumeClaims"`,
    '0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    'unbound_pvc',
  ],
  [
    `${K8S}/volumebinding ErrReasonNodeConflict`,
    '0/3 nodes are available: 3 node(s) had volume node affinity conflict.',
    'volume_node_affinity',
  ],
  [
    `${K8S}/volumebinding ErrReasonBindConflict`,
    "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind.",
    'unbound_pvc',
  ],
  [
    `${K8S}/volumebinding (PreFilter, missing claim)`,
    '0/3 nodes are available: persistentvolumeclaim "data-web-0" not found.',
    'missing_pvc',
  ],
  [
    `${K8S}/volumezone ErrReasonConflict`,
    '0/3 nodes are available: 3 node(s) had no available volume zone.',
    'volume_node_affinity',
  ],
  [
    `${K8S}/nodevolumelimits ErrReasonMaxVolumeCountExceeded`,
    '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) exceed max volume count.',
    'volume_limits',
  ],
  [
    `${K8S}/volumerestrictions ErrReasonDiskConflict`,
    '0/1 nodes are available: 1 node(s) had no available disk.',
    'volume_limits',
  ],
  ['pkg/scheduler/schedule_one.go (no nodes)', 'no nodes available to schedule pods', 'no_nodes'],
];

/** [where the text comes from, kubelet's Failed event message, class] */
const PULL_MESSAGES: Array<[string, string, ImagePullClass]> = [
  [
    'containerd + distribution MANIFEST_UNKNOWN / NotFound (HolmesGPT 14)',
    'Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
    'not_found',
  ],
  [
    'distribution errcode ErrorCodeManifestUnknown "manifest unknown"',
    'Failed to pull image "myacr.azurecr.io/shop/web:2.0": rpc error: code = NotFound desc = failed to pull and unpack image "myacr.azurecr.io/shop/web:2.0": failed to resolve reference "myacr.azurecr.io/shop/web:2.0": myacr.azurecr.io/shop/web:2.0: not found: manifest unknown: manifest tagged by "2.0" is not found',
    'not_found',
  ],
  [
    'containerd remotes/docker 401 (ACR without AcrPull)',
    'Failed to pull image "myacr.azurecr.io/shop/web:1.4.2": rpc error: code = Unknown desc = failed to pull and unpack image "myacr.azurecr.io/shop/web:1.4.2": failed to resolve reference "myacr.azurecr.io/shop/web:1.4.2": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Ashop%2Fweb%3Apull&service=myacr.azurecr.io: 401 Unauthorized',
    'unauthorized',
  ],
  [
    'containerd 403 (registry denies the pull)',
    'Failed to pull image "ghcr.io/acme/private:1": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/private:1": failed to resolve reference "ghcr.io/acme/private:1": unexpected status from HEAD request to https://ghcr.io/v2/acme/private/manifests/1: 403 Forbidden',
    'unauthorized',
  ],
  [
    'dockershim "pull access denied" (HolmesGPT 10_image_pull_backoff)',
    'Failed to pull image "yourcompany/nonexistent:latest": rpc error: code = Unknown desc = Error response from daemon: pull access denied for yourcompany/nonexistent, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
    'unauthorized',
  ],
  [
    'Go net resolver "no such host" (HolmesGPT 54)',
    'Failed to pull image "nonexistent-registry.example.com/app:v1": rpc error: code = Unknown desc = failed to pull and unpack image "nonexistent-registry.example.com/app:v1": failed to resolve reference "nonexistent-registry.example.com/app:v1": failed to do request: Head "https://nonexistent-registry.example.com/v2/app/manifests/v1": dial tcp: lookup nonexistent-registry.example.com on 10.96.0.10:53: no such host',
    'network',
  ],
  [
    'Go net "i/o timeout" (egress blocked)',
    'Failed to pull image "mcr.microsoft.com/oss/nginx/nginx:1.21.6": rpc error: code = Unknown desc = failed to pull and unpack image "mcr.microsoft.com/oss/nginx/nginx:1.21.6": failed to resolve reference "mcr.microsoft.com/oss/nginx/nginx:1.21.6": failed to do request: Head "https://mcr.microsoft.com/v2/oss/nginx/nginx/manifests/1.21.6": dial tcp 204.79.197.219:443: i/o timeout',
    'network',
  ],
  [
    'Go crypto/x509 (private registry with its own CA)',
    'Failed to pull image "registry.local:5000/app:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.local:5000/app:1": failed to resolve reference "registry.local:5000/app:1": failed to do request: Head "https://registry.local:5000/v2/app/manifests/1": x509: certificate signed by unknown authority',
    'network',
  ],
  [
    'Docker Hub TOOMANYREQUESTS (ocs-ci#4494)',
    'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    'rate_limited',
  ],
  [
    'containerd/platforms noMatchesErr "no matching manifest for %s in the manifest list entries"',
    'Failed to pull image "acme/arm-only:1": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/acme/arm-only:1": no match for platform in manifest: not found: no matching manifest for linux/amd64 in the manifest list entries',
    'platform_mismatch',
  ],
  [
    'kubelet InvalidImageName (pkg/kubelet/images: "couldn\'t parse image reference")',
    'Failed to apply default image tag "Nginx:latest": couldn\'t parse image reference "Nginx:latest": invalid reference format: repository name must be lowercase',
    'invalid_name',
  ],
];

function pendingPod(message: string): KubeObject {
  return pod({
    name: 'web-0',
    namespace: 'shop',
    phase: 'Pending',
    statuses: [],
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
  });
}

function pullingPod(message: string): KubeObject {
  return pod({
    name: 'web-0',
    namespace: 'shop',
    statuses: [runningStatus({ ready: false, state: { waiting: { reason: 'ErrImagePull', message } } })],
  });
}

function diagnosis(p: KubeObject) {
  const snapshot = emptySnapshot('file', new Date('2026-11-22T12:00:00Z'));
  snapshot.pods.push(p as unknown as V1Pod);
  return diagnoseSnapshot(snapshot, { target: {} });
}

describe('the scheduling classifier', () => {
  it.each(SCHEDULER_MESSAGES)('%s', (_source, message, cls) => {
    expect(classifySchedulingFailure(message).primary).toBe(cls);
  });

  it.each(SCHEDULER_MESSAGES)('sweep and diagnosis name the same class: %s', async (_source, message, cls) => {
    const p = pendingPod(message);
    const [finding] = await analyze(podUnschedulable, { pods: [p] });
    const d = diagnosis(p);
    expect(d.rootCause).toBe('failed_scheduling');
    expect([d.rootCauseDetail, finding?.message]).toEqual([cls, expect.stringContaining(`(${cls})`)]);
  });
});

describe('the image-pull classifier', () => {
  it.each(PULL_MESSAGES)('%s', (_source, message, cls) => {
    expect(classifyImagePullError(message)).toBe(cls);
  });

  it.each(PULL_MESSAGES.filter(([, , c]) => c !== 'invalid_name'))(
    'sweep and diagnosis name the same class: %s',
    async (_source, message, cls) => {
      const p = pullingPod(message);
      const [finding] = await analyze(podContainerWaiting, { pods: [p] });
      const d = diagnosis(p);
      expect(d.rootCause).toBe('image_pull_error');
      expect([d.rootCauseDetail, finding?.message]).toEqual([cls, expect.stringContaining(`: ${cls})`)]);
    },
  );
});

/** [where the text comes from, FailedMount / FailedAttachVolume message, class] */
const VOLUME_MESSAGES: Array<[string, string, string, VolumeFailureClass]> = [
  [
    'attachdetach reconciler "Multi-Attach error for volume %q ..."',
    'FailedAttachVolume',
    'Multi-Attach error for volume "pvc-5d1a7c2e-8f4b-4b6a-9c3d-2e1f0a9b8c7d" Volume is already exclusively attached to one node and can\'t be attached to another',
    'multi_attach',
  ],
  [
    'operation_generator "AttachVolume.Attach failed for volume %q : %v" (Azure disk)',
    'FailedAttachVolume',
    'AttachVolume.Attach failed for volume "pvc-0a1b" : rpc error: code = Internal desc = Attach volume /subscriptions/s/resourceGroups/mc_rg/providers/Microsoft.Compute/disks/pvc-0a1b to instance aks-nodepool1-12345678-vmss000001 failed with disk(/subscriptions/s/resourceGroups/mc_rg/providers/Microsoft.Compute/disks/pvc-0a1b) already attached to node',
    'attach_failed',
  ],
  [
    'kubelet volumemanager "Unable to attach or mount volumes: ... timed out waiting for the condition"',
    'FailedMount',
    'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-7x2lq]: timed out waiting for the condition',
    'mount_timeout',
  ],
  [
    'kubelet < 1.17 "timeout expired waiting for volumes to attach or mount"',
    'FailedMount',
    'Unable to mount volumes for pod "mysql-0_db(3f2a)": timeout expired waiting for volumes to attach or mount for pod "db"/"mysql-0". list of unmounted volumes=[data]. list of unattached volumes=[data default-token-x1]',
    'mount_timeout',
  ],
  [
    'configmap volume plugin (openemr-kube#8)',
    'FailedMount',
    'MountVolume.SetUp failed for volume "volume-02wck" : configmap "openemr-apache-config" not found',
    'missing_configmap',
  ],
  [
    'secret volume plugin (API NotFound, plural resource)',
    'FailedMount',
    'MountVolume.SetUp failed for volume "tls" : secrets "web-tls" not found',
    'missing_secret',
  ],
  [
    'pkg/volume/csi "driver name %s not found in the list of registered CSI drivers"',
    'FailedMount',
    'MountVolume.MountDevice failed for volume "pvc-1" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name disk.csi.azure.com not found in the list of registered CSI drivers',
    'csi_driver_missing',
  ],
  [
    'operation_generator "MountVolume.MountDevice failed" (cstor-operators#467)',
    'FailedMount',
    'MountVolume.MountDevice failed for volume "pvc-ef04e147-7df8-45b1-a339-6288d2e73f4d" : rpc error: code = Internal desc = Volume pvc-ef04e147-7df8-45b1-a339-6288d2e73f4d is not ready: Replicas yet to connect to controller',
    'mount_failed',
  ],
];

describe('the volume attach/mount classifier', () => {
  it.each(VOLUME_MESSAGES)('%s', (_source, _reason, message, cls) => {
    expect(classifyVolumeFailure(message).cls).toBe(cls);
  });

  it.each(VOLUME_MESSAGES.filter(([, , , c]) => !c.startsWith('missing_')))(
    'sweep and diagnosis name the same class: %s',
    async (_source, reason, message, cls) => {
      const p = pod({
        name: 'db-0',
        namespace: 'shop',
        phase: 'Pending',
        statuses: [runningStatus({ ready: false, state: { waiting: { reason: 'ContainerCreating' } } })],
      });
      const e = event({ kind: 'Pod', name: 'db-0', namespace: 'shop', reason, message });
      const [finding] = await analyze(podContainerWaiting, { pods: [p], events: [e] });
      const snapshot = emptySnapshot('file', new Date('2026-11-22T12:00:00Z'));
      snapshot.pods.push(p as unknown as V1Pod);
      snapshot.events.push(eventRecordFromObject(e as never));
      const d = diagnoseSnapshot(snapshot, { target: {} });
      expect(d.rootCause).toBe('volume_mount_error');
      expect([d.rootCauseDetail, finding?.message]).toEqual([cls, expect.stringContaining(`(${cls})`)]);
    },
  );
});

describe('probe facts', () => {
  it('reads the prober and kubelet messages (pkg/kubelet/prober/prober.go, kuberuntime Killing)', () => {
    // trivy-dojo-report-operator#24 (test/fixtures/cases/222).
    expect(
      probeKindOf(
        'Liveness probe failed: Get "http://10.244.0.36:8080/healthzzzzz": dial tcp 10.244.0.36:8080: connect: connection refused',
      ),
    ).toBe('liveness');
    expect(probeKindOf('Readiness probe failed: HTTP probe failed with statuscode: 503')).toBe('readiness');
    expect(probeKindOf('Startup probe errored: rpc error: code = Unknown desc = deadline exceeded')).toBe('startup');
    expect(probeKilledContainer('Container trivy-dojo-report-operator failed liveness probe, will be restarted')).toBe(
      'trivy-dojo-report-operator',
    );
    expect(probeKindOf('Back-off restarting failed container')).toBeUndefined();
    expect(describeProbe({ httpGet: { path: '/healthz', port: 8080 } })).toBe('HTTP GET /healthz on port 8080');
  });
});

describe('container states, exit codes, evictions', () => {
  it('reads the kubelet eviction message (pkg/kubelet/eviction/helpers.go nodeLowMessageFmt + thresholdMetMessageFmt)', () => {
    // kubernetes/kubernetes#122932 (test/fixtures/cases/206).
    expect(
      parseEvictionMessage(
        'The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 777784Ki.',
      ),
    ).toEqual({
      resource: 'ephemeral-storage',
      threshold: '1Gi',
      available: '777784Ki',
      containers: [],
    });
    // containerMessageFmt "Container %s was using %s, request is %s, has larger consumption of %v. "
    expect(
      parseEvictionMessage(
        'The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container app was using 1800Mi, request is 256Mi, has larger consumption of memory. ',
      )?.containers,
    ).toEqual([{ name: 'app', usage: '1800Mi', request: '256Mi' }]);
    expect(parseEvictionMessage('The node had condition: [DiskPressure]. ')?.resource).toBe('ephemeral-storage');
    expect(parseEvictionMessage('Back-off restarting failed container')).toBeUndefined();
  });

  it('tells a runtime restart (lastState Unknown, 255) and a start failure (StartError, exec not found) apart from a crash', () => {
    expect(isRuntimeRestart({ reason: 'Unknown', exitCode: 255 })).toBe(true);
    expect(isRuntimeRestart({ reason: 'Error', exitCode: 1 })).toBe(false);
    // HolmesGPT 11_init_containers: runc's message for a missing binary.
    expect(
      startFailure({
        reason: 'StartError',
        exitCode: 128,
        message:
          'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "wge": executable file not found in $PATH: unknown',
      }),
    ).toBe(true);
    expect(startFailure({ reason: 'Error', exitCode: 1 })).toBe(false);
    expect(exitCodeMeaning(137)).toMatch(/SIGKILL/);
    expect(exitCodeMeaning(255)).toMatch(/runtime lost the container/);
    expect(exitCodeMeaning(130)).toMatch(/signal 2/);
  });

  it('parses quantities (k8s.io/apimachinery resource.Quantity suffixes)', () => {
    expect(parseQuantity('777784Ki')).toBe(777784 * 1024);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('2e3')).toBe(2000);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('names the cluster of an ARM id, whatever the case of the fixed segments', () => {
    expect(
      clusterNameFromId(
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-prod/agentPools/np1',
      ),
    ).toBe('aks-prod');
    expect(
      clusterNameFromId(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-sim',
      ),
    ).toBe('aks-sim');
  });

  it('builds kubectl commands, quoting only what the shell needs', () => {
    expect(kubectlCommands.events('Pod', '<pod>', 'shop')).toBe(
      "kubectl get events -n shop --field-selector involvedObject.kind=Pod,involvedObject.name='<pod>'",
    );
    expect(kubectlCommands.logs('web-0', 'shop', 'app', 100, true)).toBe(
      'kubectl logs web-0 -n shop -c app --previous --tail=100',
    );
  });
});
