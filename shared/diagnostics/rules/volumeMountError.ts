// volume_mount_error: a volume cannot be provisioned, attached or mounted. Hard case: a pod Pending with only
// "pod has unbound immediate PersistentVolumeClaims" from the scheduler, while the real cause is on the PVC - its
// StorageClass does not exist (ProvisioningFailed `storageclass.storage.k8s.io "x" not found`).
import type { PersistentVolumeClaim as V1PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { EvidenceItem } from '../types.js';
import { classifyVolumeFailure, VOLUME_ADVICE, type VolumeFailureClass } from '../../kube/vocabulary/volumes.js';
import type { DiagnosisRule, RuleContext, RuleMatch } from './ruleTypes.js';
import {
  claimsOf,
  eventEvidence,
  eventsFor,
  fields,
  findEvents,
  kubectl,
  podEventEvidence,
  podEvents,
  pvcByName,
} from './podFacts.js';

interface ClaimFinding {
  confidence: number;
  evidence: EvidenceItem[];
  summary: string;
  recommendation: string;
}

function pvcNs(pvc: V1PersistentVolumeClaim): string {
  return pvc.metadata?.namespace ?? 'default';
}

function evaluateClaim(ctx: RuleContext, pvc: V1PersistentVolumeClaim): ClaimFinding | undefined {
  const name = pvc.metadata?.name ?? '';
  const ns = pvcNs(pvc);
  const phase = pvc.status?.phase;
  const className = pvc.spec?.storageClassName;
  const events = eventsFor(ctx.snapshot, 'PersistentVolumeClaim', name, ns);
  const provisioning = findEvents(events, /ProvisioningFailed|ClaimLost|FailedBinding/);
  const classMissing =
    className !== undefined &&
    className !== '' &&
    ctx.snapshot.storageClasses !== undefined &&
    !ctx.snapshot.storageClasses.some((s) => s.metadata?.name === className);
  const notFoundEvent = provisioning.find((e) => /storageclass\.storage\.k8s\.io "[^"]+" not found/.test(e.message));
  if (phase === 'Bound' && provisioning.length === 0) return undefined;
  const evidence: EvidenceItem[] = [
    {
      source: 'pvc.status',
      detail: fields(`pvc ${ns}/${name}`, [
        ['status.phase', phase],
        ['spec.storageClassName', className],
      ]),
      reproduce: kubectl.describePvc(name, ns),
    },
  ];
  for (const e of provisioning.slice(0, 2)) evidence.push(eventEvidence(e, `pvc ${ns}/${name}`));
  if (classMissing) {
    evidence.push({
      source: 'storageclasses',
      detail: `storageclass ${className}: not among the cluster's StorageClasses (${ctx.snapshot.storageClasses?.map((s) => s.metadata?.name).join(', ') || 'none'})`,
      reproduce: kubectl.getStorageClass(className),
    });
  }
  if (notFoundEvent || classMissing) {
    return {
      confidence: 0.94,
      evidence,
      summary: `PVC ${ns}/${name} stays ${phase ?? 'Pending'}: StorageClass "${className ?? ''}" does not exist`,
      recommendation: `Set storageClassName of PVC ${name} to an existing class (AKS ships managed-csi, managed-csi-premium, azurefile-csi, azurefile-csi-premium; \`kubectl get storageclass\`), or create "${className ?? ''}". A PVC's class cannot be edited: delete and recreate the claim.`,
    };
  }
  if (phase === 'Lost') {
    return {
      confidence: 0.9,
      evidence,
      summary: `PVC ${ns}/${name} is Lost: its PersistentVolume is gone`,
      recommendation: `Restore or recreate the PersistentVolume bound to ${name} (check the Azure disk still exists), then recreate the claim.`,
    };
  }
  if (provisioning.length > 0) {
    return {
      confidence: 0.88,
      evidence,
      summary: `PVC ${ns}/${name} cannot be provisioned`,
      recommendation: `Fix what the provisioner reports for ${name} (quota, SKU/zone availability, CSI driver health: \`kubectl get pods -n kube-system -l app=csi-azuredisk-controller\`).`,
    };
  }
  return {
    confidence: 0.7,
    evidence,
    summary: `PVC ${ns}/${name} is ${phase ?? 'not bound'}${className ? ` (StorageClass ${className})` : ''}`,
    recommendation: `Check why ${name} is not bound: \`${kubectl.describePvc(name, ns)}\` - a StorageClass with WaitForFirstConsumer binds only once a pod uses it; otherwise the class, its provisioner or a matching PV is missing.`,
  };
}

export const volumeMountErrorRule: DiagnosisRule = {
  rootCause: 'volume_mount_error',
  subjects: ['pod', 'pvc'],
  evaluate(ctx): RuleMatch | undefined {
    if (ctx.subject.kind === 'pvc') {
      const f = evaluateClaim(ctx, ctx.subject.pvc);
      return (
        f && {
          rootCause: 'volume_mount_error',
          confidence: f.confidence,
          summary: f.summary,
          evidence: f.evidence,
          recommendations: [f.recommendation],
          failingNow: true,
        }
      );
    }
    if (ctx.subject.kind !== 'pod') return undefined;
    const pod = ctx.subject.pod;
    const ns = pod.metadata?.namespace ?? 'default';
    const events = podEvents(ctx.snapshot, pod);
    // configmap/secret volumes are configuration, handled by config_error.
    const mountEvents = findEvents(events, /FailedMount|FailedAttachVolume|FailedMapVolume|VolumeResizeFailed/).filter(
      (e) => !/(configmap|secret) "[^"]+" not found/i.test(e.message),
    );
    const pvcEvents = findEvents(events, 'FailedScheduling', /PersistentVolumeClaim|volume/i);
    const claims = claimsOf(pod)
      .map((c) => pvcByName(ctx.snapshot, c, ns))
      .filter((p): p is V1PersistentVolumeClaim => p !== undefined)
      .map((p) => evaluateClaim(ctx, p))
      .filter((f): f is ClaimFinding => f !== undefined)
      .sort((a, b) => b.confidence - a.confidence);
    if (mountEvents.length === 0 && claims.length === 0) return undefined;
    const evidence: EvidenceItem[] = [];
    for (const e of [...pvcEvents.slice(0, 1), ...mountEvents.slice(0, 2)]) evidence.push(podEventEvidence(pod, e));
    const top = claims[0];
    if (top) evidence.push(...top.evidence);
    // The shared classifier (kube/vocabulary/volumes.ts), most specific message first.
    const classes = mountEvents.map((e) => classifyVolumeFailure(e.message).cls);
    const order: VolumeFailureClass[] = [
      'multi_attach',
      'csi_driver_missing',
      'attach_failed',
      'mount_timeout',
      'mount_failed',
    ];
    const cls = order.find((c) => classes.includes(c));
    const recs: string[] = [];
    if (top) recs.push(top.recommendation);
    if (cls && (cls !== 'mount_failed' || !top)) recs.push(VOLUME_ADVICE[cls]);
    return {
      rootCause: 'volume_mount_error',
      ...(cls && !top ? { detail: cls } : {}),
      confidence: top ? Math.max(top.confidence, mountEvents.length > 0 ? 0.85 : 0) : 0.85,
      summary: top
        ? `Pod ${ns}/${pod.metadata?.name ?? ''} is blocked by its volume: ${top.summary}`
        : `Pod ${ns}/${pod.metadata?.name ?? ''} cannot mount a volume`,
      evidence,
      recommendations: recs,
      failingNow: true,
    };
  },
};
