// Privileged containers (full access to the node) and containers allowed to run as root. A container counts as
// non-root when it (or its pod) sets runAsNonRoot: true or a non-zero runAsUser.
import type { Analyzer } from '../analyzer.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/';

export const containerSecurityAnalyzer: Analyzer = templateAnalyzer('containerSecurity', (t, report, ref) => {
  const podSc = t.template.spec?.securityContext;
  const all = [...(t.template.spec?.initContainers ?? []), ...t.containers];
  const privileged = all.filter((c) => c.securityContext?.privileged === true);
  const effective = (c: (typeof all)[number]) => ({
    runAsNonRoot: c.securityContext?.runAsNonRoot ?? podSc?.runAsNonRoot,
    runAsUser: c.securityContext?.runAsUser ?? podSc?.runAsUser,
  });
  // runAsNonRoot true with an effective runAsUser 0: the kubelet refuses to start the container
  // ("container's runAsUser breaks non-root policy", kubelet verifyRunAsNonRoot), so it never runs at all.
  const conflicting = all.filter((c) => {
    const e = effective(c);
    return e.runAsNonRoot === true && e.runAsUser === 0;
  });
  const root = t.containers.filter((c) => {
    const e = effective(c);
    if (e.runAsNonRoot === true && e.runAsUser === 0) return false;
    if (e.runAsUser !== undefined) return e.runAsUser === 0;
    return e.runAsNonRoot !== true;
  });
  if (conflicting.length > 0) {
    report({
      check: 'security.run-as-non-root-conflict',
      severity: 'critical',
      message: `${ref} sets runAsNonRoot: true and runAsUser: 0 for ${conflicting.map((c) => c.name).join(', ')}, a contradiction: the kubelet refuses to start these containers (CreateContainerConfigError "container's runAsUser breaks non-root policy").`,
      evidence: conflicting.map(
        (c) =>
          `${containerField(t, c.name, 'securityContext')} → ${JSON.stringify(c.securityContext ?? {})}; pod securityContext → ${JSON.stringify(podSc ?? {})}`,
      ),
      remediation:
        'Set runAsUser to the non-zero user the image runs as (or remove runAsUser: 0 from the pod securityContext); keep runAsNonRoot: true.',
      docsUrl: DOCS,
    });
  }
  if (privileged.length > 0) {
    report({
      check: 'bestpractice.privileged',
      severity: 'critical',
      message: `${ref} runs privileged containers (securityContext.privileged true), which have full access to the node: ${privileged.map((c) => c.name).join(', ')}.`,
      evidence: privileged.map((c) => `${containerField(t, c.name, 'securityContext.privileged')} → true`),
      remediation:
        'Remove privileged: true and grant only the Linux capabilities the container needs (securityContext.capabilities.add).',
      docsUrl: DOCS,
    });
  }
  if (root.length > 0) {
    report({
      check: 'bestpractice.run-as-root',
      severity: 'warning',
      message: `${ref} allows containers to run as root (no securityContext.runAsNonRoot true or non-zero runAsUser): ${root.map((c) => c.name).join(', ')}.`,
      evidence: root.map(
        (c) =>
          `${containerField(t, c.name, 'securityContext')} → ${JSON.stringify(c.securityContext ?? {})}; pod securityContext → ${JSON.stringify(podSc ?? {})}`,
      ),
      remediation:
        'Set securityContext.runAsNonRoot: true (and a runAsUser) in the pod or container, with an image that runs as a non-root user.',
      docsUrl: DOCS,
    });
  }
});
