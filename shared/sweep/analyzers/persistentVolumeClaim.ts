// PersistentVolumeClaims that are not bound: Pending (no volume provisioned, often a missing StorageClass or a
// quota) or Lost (the volume is gone). Pods mounting them cannot start.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import type { KubeObject } from '../../kube/objects.js';
import { ageMs, jsonpath, truncate } from './podHelpers.js';

interface Pvc extends KubeObject {
  spec?: { storageClassName?: string; volumeName?: string };
  status?: { phase?: string };
}

/** WaitForFirstConsumer claims are Pending until a pod uses them; give binding a moment before reporting. */
const PENDING_GRACE_MS = 5 * 60 * 1000;

export const persistentVolumeClaimAnalyzer = objectAnalyzer<Pvc>(
  'persistentVolumeClaim',
  'persistentvolumeclaims',
  (pvc, ns, name, ctx) => {
    const phase = pvc.status?.phase;
    if (phase !== 'Pending' && phase !== 'Lost') return;
    const events = ctx.events.about('PersistentVolumeClaim', ns, name, [
      'ProvisioningFailed',
      'FailedBinding',
      'ExternalProvisioning',
    ]);
    const failures = events.filter((e) => e.reason !== 'ExternalProvisioning');
    const age = ageMs(pvc.metadata?.creationTimestamp, ctx.settings.now);
    const waitingForConsumer = events.some((e) => /waiting for first consumer/i.test(e.message));
    if (
      phase === 'Pending' &&
      failures.length === 0 &&
      (waitingForConsumer || (age !== undefined && age < PENDING_GRACE_MS))
    )
      return;
    const sc = pvc.spec?.storageClassName;
    const why = failures[0]?.message ? `: ${truncate(failures[0].message, 240)}` : '';
    ctx.report({
      check: phase === 'Lost' ? 'pvc.lost' : 'pvc.pending',
      severity: phase === 'Lost' ? 'critical' : 'warning',
      kind: 'PersistentVolumeClaim',
      namespace: ns,
      name,
      message: `PersistentVolumeClaim ${ns}/${name} is ${phase} (status.phase) with storage class ${sc ?? '(default)'}${why || (phase === 'Pending' ? ': no volume has been provisioned or bound' : ': its PersistentVolume no longer exists')}.`,
      evidence: [
        `${jsonpath('pvc', ns, name, 'status.phase')} → ${phase}`,
        `${jsonpath('pvc', ns, name, 'spec.storageClassName')} → ${sc ?? ''}`,
        ...failures.map((e) => eventEvidence(ns, name, e)),
        kubectlDescribe('pvc', ns, name),
      ],
      remediation:
        phase === 'Lost'
          ? 'Restore the PersistentVolume (or its Azure disk) from backup, or delete and recreate the claim.'
          : 'Use a StorageClass that exists (`kubectl get storageclass`; on AKS managed-csi or azurefile-csi), check the disk quota of the subscription and zone, and that the requested access mode is supported.',
      docsUrl: 'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#lifecycle-of-a-volume-and-claim',
    });
  },
);
