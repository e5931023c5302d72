// The volume attach/mount classifier, shared by the sweep (podContainerWaiting) and the diagnostics
// (volumeMountError, configError). Texts as Kubernetes writes them:
//   attach/detach controller (pkg/controller/volume/attachdetach/reconciler): "Multi-Attach error for volume %q
//     Volume is already exclusively attached to one node and can't be attached to another" / "Volume is already used
//     by pod(s) %s";
//   operation generator (pkg/volume/util/operationexecutor/operation_generator.go): "AttachVolume.Attach failed for
//     volume %q : %v", "MountVolume.WaitForAttach failed ...", "MountVolume.MountDevice failed for volume %q : %v",
//     "MountVolume.SetUp failed for volume %q : %v";
//   kubelet volume manager (pkg/kubelet/volumemanager): "Unable to attach or mount volumes: unmounted volumes=[...],
//     unattached volumes=[...]: timed out waiting for the condition" (older: "Unable to mount volumes for pod ...:
//     timeout expired waiting for volumes to attach or mount for pod ...");
//   configmap/secret volume plugins: `configmap "x" not found`, `secret "x" not found` (API NotFound errors:
//     `configmaps "x" not found`);
//   CSI (pkg/volume/csi): "driver name %s not found in the list of registered CSI drivers".

export type VolumeFailureClass =
  | 'multi_attach'
  | 'attach_failed'
  | 'mount_timeout'
  | 'missing_configmap'
  | 'missing_secret'
  | 'csi_driver_missing'
  | 'mount_failed'
  | 'unknown';

export interface VolumeFailure {
  cls: VolumeFailureClass;
  /** The ConfigMap, Secret or CSI driver the message names. */
  object?: string;
}

export function classifyVolumeFailure(message: string): VolumeFailure {
  const cm = /configmaps? "([^"]+)" not found/i.exec(message);
  if (cm) return { cls: 'missing_configmap', object: cm[1] };
  const secret = /secrets? "([^"]+)" not found/i.exec(message);
  if (secret) return { cls: 'missing_secret', object: secret[1] };
  if (/Multi-Attach error/i.test(message)) return { cls: 'multi_attach' };
  const driver = /driver name (\S+) not found in the list of registered CSI drivers/.exec(message);
  if (driver) return { cls: 'csi_driver_missing', object: driver[1] };
  if (/AttachVolume\.Attach failed|FailedAttachVolume/i.test(message)) return { cls: 'attach_failed' };
  if (
    /timed out waiting for the condition|timeout expired waiting for volumes to attach or mount|context deadline exceeded|DeadlineExceeded/i.test(
      message,
    )
  )
    return { cls: 'mount_timeout' };
  if (/MountVolume\.\w+ failed|MapVolume\.\w+ failed|mount failed/i.test(message)) return { cls: 'mount_failed' };
  return { cls: 'unknown' };
}

export const VOLUME_ADVICE: Record<VolumeFailureClass, string> = {
  multi_attach:
    'The disk is still attached to another node (ReadWriteOnce): wait for the old pod to terminate or delete it; use a StatefulSet / Recreate strategy for single-writer volumes.',
  attach_failed:
    'The disk cannot be attached to the node: check the disk exists in the node pool zone, the VM size attach limit, and the CSI controller logs (`kubectl logs -n kube-system -l app=csi-azuredisk-controller`).',
  mount_timeout:
    'The volume did not attach/mount in time: check the CSI node plugin on the node and the disk attach limit of the VM size.',
  missing_configmap: 'A configMap volume refers to a ConfigMap that does not exist: create it or fix the reference.',
  missing_secret: 'A secret volume refers to a Secret that does not exist: create it or fix the reference.',
  csi_driver_missing:
    'The CSI driver the volume needs is not registered on the node: enable the driver (AKS: `az aks update --enable-disk-driver/--enable-file-driver`) or check its node DaemonSet.',
  mount_failed:
    'Fix what the kubelet reports for the volume (driver, permissions, missing share or disk, volume not ready).',
  unknown: 'Fix what the kubelet reports for the volume (driver, permissions, missing share or disk).',
};
