// Pod hardening: what the Pod Security Standards (baseline and restricted profiles) forbid or require, checked on
// the object a person edits (the workload's pod template, or a bare Pod). The levels follow
// https://kubernetes.io/docs/concepts/security/pod-security-standards/: what baseline forbids (host namespaces,
// host ports, hostPath, dangerous capabilities, Unmasked procMount, Unconfined seccomp/AppArmor, hostProcess) is
// critical or warning; what only restricted asks for (drop ALL, read-only root filesystem, a seccomp profile, a
// non-root group) is warning or info. Privileged containers and root users are bestpractice.privileged and
// bestpractice.run-as-root (containerSecurity).
import type { Analyzer } from '../analyzer.js';
import {
  containerField,
  templateAnalyzer,
  type EditableTemplate,
  type TemplateFinding,
} from './bestPracticeHelpers.js';
import type { ContainerSpec, PodSpecFull } from './specTypes.js';

const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
const SC_DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/';

/** Capabilities the baseline profile does not allow to be added (everything beyond its default set). */
const BASELINE_ALLOWED = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const cap = (c: string) => c.toUpperCase().replace(/^CAP_/, '');

/** What a finding needs of a template after the object itself is gone (analyzers keep only this, not the object). */
export type TemplateId = Pick<EditableTemplate, 'kind' | 'namespace' | 'name' | 'containersPath'>;

export function templateId(t: EditableTemplate): TemplateId {
  return { kind: t.kind, namespace: t.namespace, name: t.name, containersPath: t.containersPath };
}

/** How a message names a template's object (kept here too: the template-id analyzers import it from this file). */
export { templateRefOf as templateRef } from './bestPracticeHelpers.js';

export function podSpecPath(t: TemplateId): string {
  return t.containersPath.replace(/\.containers$/, '');
}

export function templateField(t: TemplateId, field: string): string {
  const ns = t.namespace ? ` -n ${t.namespace}` : '';
  return `kubectl${ns} get ${t.kind.toLowerCase()} ${t.name} -o jsonpath='{.${podSpecPath(t)}.${field}}'`;
}

/** One template as the hardening checks see it: its pod spec, every container (init containers included) and helpers. */
interface Hardening {
  t: EditableTemplate;
  report: (f: TemplateFinding) => void;
  ref: string;
  spec: PodSpecFull;
  podSc: PodSpecFull['securityContext'];
  containers: ContainerSpec[];
  per: (pred: (c: ContainerSpec) => boolean) => ContainerSpec[];
  names: (cs: ContainerSpec[]) => string;
}

/** What baseline forbids about sharing the node: host namespaces, host ports, hostPath volumes, HostProcess. */
function checkHostAccess({ t, report, ref, spec, podSc, per, names }: Hardening): void {
  const hostNs = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true);
  if (hostNs.length > 0)
    report({
      check: 'security.host-namespaces',
      severity: 'critical',
      message: `${ref} shares the node's ${hostNs.join(', ')} (${hostNs.map((k) => `spec.${k} true`).join(', ')}): its containers see the node's network, processes or IPC and escape pod isolation.`,
      evidence: hostNs.map((k) => `${templateField(t, k)} → true`),
      remediation: `Remove ${hostNs.join(', ')} unless this is a node agent that needs it; then run it in an exempted system namespace.`,
      docsUrl: PSS,
    });

  const hostPorts = per((c) => (c.ports ?? []).some((p) => (p.hostPort ?? 0) > 0));
  if (hostPorts.length > 0)
    report({
      check: 'security.host-port',
      severity: 'warning',
      message: `${ref} binds host ports (ports[].hostPort) in ${names(hostPorts)}: the pod can only run once per node and is reachable on the node's address, bypassing Services and network policies.`,
      evidence: hostPorts.map(
        (c) =>
          `${containerField(t, c.name, 'ports[*].hostPort')} → ${(c.ports ?? [])
            .map((p) => p.hostPort)
            .filter(Boolean)
            .join(',')}`,
      ),
      remediation: 'Remove hostPort and expose the port through a Service.',
      docsUrl: PSS,
    });

  const hostPaths = (spec.volumes ?? []).filter((v) => v.hostPath);
  if (hostPaths.length > 0)
    report({
      check: 'security.host-path',
      severity: 'warning',
      message: `${ref} mounts node directories (volumes[].hostPath: ${hostPaths.map((v) => `${v.name}=${v.hostPath?.path ?? '?'}`).join(', ')}): a container can read or change the node's files.`,
      evidence: [
        `${templateField(t, 'volumes[*].hostPath.path')} → ${hostPaths.map((v) => v.hostPath?.path).join(',')}`,
      ],
      remediation: 'Use an emptyDir, a ConfigMap/Secret volume or a PersistentVolumeClaim instead of hostPath.',
      docsUrl: PSS,
    });

  const hostProcess = per(
    (c) => (c.securityContext?.windowsOptions?.hostProcess ?? podSc?.windowsOptions?.hostProcess) === true,
  );
  if (hostProcess.length > 0)
    report({
      check: 'security.host-process',
      severity: 'critical',
      message: `${ref} runs Windows HostProcess containers (windowsOptions.hostProcess true) with full access to the node: ${names(hostProcess)}.`,
      evidence: hostProcess.map(
        (c) => `${containerField(t, c.name, 'securityContext.windowsOptions.hostProcess')} → true`,
      ),
      remediation: 'Remove hostProcess unless this is a Windows node agent.',
      docsUrl: PSS,
    });
}

/** Privilege escalation and capabilities beyond the baseline set. */
function checkPrivileges({ t, report, ref, containers, per, names }: Hardening): void {
  const escalation = per(
    (c) => c.securityContext?.allowPrivilegeEscalation !== false && c.securityContext?.privileged !== true,
  );
  if (escalation.length > 0)
    report({
      check: 'security.privilege-escalation-allowed',
      severity: 'warning',
      message: `${ref} lets processes gain more privileges than their parent (securityContext.allowPrivilegeEscalation not false, e.g. through setuid binaries) in ${names(escalation)}.`,
      evidence: escalation.map(
        (c) =>
          `${containerField(t, c.name, 'securityContext.allowPrivilegeEscalation')} → ${String(c.securityContext?.allowPrivilegeEscalation ?? '(unset: true)')}`,
      ),
      remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
      docsUrl: SC_DOCS,
    });

  const dangerous = containers
    .map((c) => ({
      c,
      caps: (c.securityContext?.capabilities?.add ?? []).map(cap).filter((x) => !BASELINE_ALLOWED.has(x)),
    }))
    .filter((x) => x.caps.length > 0);
  if (dangerous.length > 0)
    report({
      check: 'security.dangerous-capabilities',
      severity: 'critical',
      message: `${ref} adds Linux capabilities beyond the baseline set (${dangerous.map((x) => `${x.c.name}: ${x.caps.join(', ')}`).join('; ')}), which give node-level powers (SYS_ADMIN, NET_ADMIN, ALL …).`,
      evidence: dangerous.map(
        (x) => `${containerField(t, x.c.name, 'securityContext.capabilities.add')} → ${x.caps.join(',')}`,
      ),
      remediation:
        'Drop ALL capabilities and add back only what the process needs (NET_BIND_SERVICE for ports below 1024).',
      docsUrl: PSS,
    });
}

/** Confinement: seccomp, the restricted profile's gaps, AppArmor, /proc masking and the root group. */
function checkConfinement({ t, report, ref, spec, podSc, per, names }: Hardening): void {
  // The restricted profile's hardening beyond baseline (drop ALL, read-only root filesystem, a seccomp profile)
  // is one finding listing what is missing: on an unhardened cluster these gaps come together on every
  // workload, and one line per workload says it without tripling the findings.
  const seccompOf = (c: ContainerSpec) => c.securityContext?.seccompProfile?.type ?? podSc?.seccompProfile?.type;
  const legacySeccomp = t.template.metadata?.annotations?.['seccomp.security.alpha.kubernetes.io/pod'];
  const unconfined = per((c) => seccompOf(c) === 'Unconfined');
  if (unconfined.length > 0 || legacySeccomp === 'unconfined')
    report({
      check: 'security.seccomp-unconfined',
      severity: 'warning',
      message: `${ref} turns seccomp off (seccompProfile type Unconfined) for ${names(unconfined) || 'the pod'}: every system call is allowed.`,
      evidence: [`${templateField(t, 'securityContext.seccompProfile.type')} → Unconfined`],
      remediation: 'Use seccompProfile type RuntimeDefault (or a Localhost profile).',
      docsUrl: PSS,
    });
  const gaps: string[] = [];
  const notDropped = per((c) => !(c.securityContext?.capabilities?.drop ?? []).map(cap).includes('ALL'));
  if (notDropped.length > 0) gaps.push(`capabilities.drop does not list ALL (${names(notDropped)})`);
  const writable = (spec.containers ?? []).filter((c) => c.securityContext?.readOnlyRootFilesystem !== true);
  if (writable.length > 0) gaps.push(`readOnlyRootFilesystem is not true (${names(writable)})`);
  const noSeccomp = per((c) => seccompOf(c) === undefined && legacySeccomp === undefined);
  if (noSeccomp.length > 0) gaps.push(`no seccompProfile (${names(noSeccomp)})`);
  if (gaps.length > 0)
    report({
      check: 'security.restricted-profile',
      severity: 'info',
      message: `${ref} is not hardened to the restricted Pod Security Standard: ${gaps.join('; ')}.`,
      evidence: [
        `${templateField(t, 'containers[*].securityContext')}; ${templateField(t, 'securityContext.seccompProfile')}`,
      ],
      remediation:
        'In every container set securityContext.capabilities.drop: ["ALL"] and readOnlyRootFilesystem: true (mount an emptyDir where it writes), and set spec.securityContext.seccompProfile.type: RuntimeDefault.',
      docsUrl: PSS,
    });

  const annotations = t.template.metadata?.annotations ?? {};
  const apparmorUnconfined = per(
    (c) =>
      (c.securityContext?.appArmorProfile?.type ?? podSc?.appArmorProfile?.type) === 'Unconfined' ||
      annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`] === 'unconfined',
  );
  if (apparmorUnconfined.length > 0)
    report({
      check: 'security.apparmor-unconfined',
      severity: 'warning',
      message: `${ref} turns AppArmor off (profile Unconfined) for ${names(apparmorUnconfined)}.`,
      evidence: apparmorUnconfined.map(
        (c) => `${containerField(t, c.name, 'securityContext.appArmorProfile.type')} → Unconfined`,
      ),
      remediation: 'Remove the Unconfined AppArmor profile (RuntimeDefault applies by default).',
      docsUrl: PSS,
    });

  const unmasked = per((c) => c.securityContext?.procMount === 'Unmasked');
  if (unmasked.length > 0)
    report({
      check: 'security.proc-mount-unmasked',
      severity: 'warning',
      message: `${ref} mounts /proc unmasked (securityContext.procMount Unmasked) in ${names(unmasked)}, exposing kernel interfaces the runtime normally hides.`,
      evidence: unmasked.map((c) => `${containerField(t, c.name, 'securityContext.procMount')} → Unmasked`),
      remediation: 'Remove procMount (Default masks /proc paths).',
      docsUrl: PSS,
    });

  const rootGroup = per((c) => (c.securityContext?.runAsGroup ?? podSc?.runAsGroup) === 0);
  if (rootGroup.length > 0 || podSc?.fsGroup === 0)
    report({
      check: 'security.run-as-root-group',
      severity: 'warning',
      message: `${ref} runs with the root group (runAsGroup 0${podSc?.fsGroup === 0 ? ', fsGroup 0' : ''}) for ${names(rootGroup) || 'its volumes'}: files owned by group root become writable to it.`,
      evidence: [`${templateField(t, 'securityContext')} → ${JSON.stringify(podSc ?? {})}`],
      remediation: 'Set runAsGroup and fsGroup to a non-zero group (e.g. 10001).',
      docsUrl: SC_DOCS,
    });
}

export const podHardeningAnalyzer: Analyzer = templateAnalyzer('podHardening', (t, report, ref) => {
  const spec = t.template.spec as PodSpecFull;
  const containers: ContainerSpec[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const h: Hardening = {
    t,
    report,
    ref,
    spec,
    podSc: spec.securityContext,
    containers,
    per: (pred) => containers.filter(pred),
    names: (cs) => cs.map((c) => c.name).join(', '),
  };
  checkHostAccess(h);
  checkPrivileges(h);
  checkConfinement(h);
});
