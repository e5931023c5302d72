// Wire fields the spec-level checks read beyond shared/kube/objects.ts (kept apart so that file's types can move to
// kubernetes-types without these checks being in the way). Every field optional: objects come from any version.
import type { Container, KubeObject, LabelSelector, PodSpec, Probe } from '../../kube/objects.js';

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface ProfileRef {
  type?: string;
  localhostProfile?: string;
}

export interface ContainerSecurityContextSpec {
  privileged?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: Capabilities;
  seccompProfile?: ProfileRef;
  appArmorProfile?: ProfileRef;
  procMount?: string;
  windowsOptions?: { hostProcess?: boolean };
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface ContainerSpec extends Omit<
  Container,
  'securityContext' | 'livenessProbe' | 'readinessProbe' | 'env' | 'ports'
> {
  securityContext?: ContainerSecurityContextSpec;
  ports?: ContainerPort[];
  env?: EnvVar[];
  imagePullPolicy?: string;
  livenessProbe?: Probe & Record<string, unknown>;
  readinessProbe?: Probe & Record<string, unknown>;
}

export interface PodSecurityContextSpec {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: ProfileRef;
  appArmorProfile?: ProfileRef;
  windowsOptions?: { hostProcess?: boolean };
}

export interface Affinity {
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string; labelSelector?: LabelSelector }[];
    preferredDuringSchedulingIgnoredDuringExecution?: {
      weight?: number;
      podAffinityTerm?: { topologyKey?: string; labelSelector?: LabelSelector };
    }[];
  };
}

export interface PodSpecFull extends Omit<
  PodSpec,
  'containers' | 'initContainers' | 'ephemeralContainers' | 'securityContext' | 'volumes'
> {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  securityContext?: PodSecurityContextSpec;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  priorityClassName?: string;
  affinity?: Affinity;
  topologySpreadConstraints?: { topologyKey?: string; labelSelector?: LabelSelector }[];
  volumes?: { name: string; hostPath?: { path?: string }; persistentVolumeClaim?: { claimName?: string } }[];
}

export interface NamedObject extends KubeObject {
  data?: Record<string, string>;
}
