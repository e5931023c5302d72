// The check policy (aks-aiops.yaml / SWEEP_POLICY): parsing and validation, former ids, opt-in checks, severities,
// exemptions by namespace, workload and label, and annotations on objects.
import { describe, expect, it } from '@jest/globals';
import { parseSweepPolicy } from '../../../shared/sweep/policy.js';
import { ANALYZERS } from '../../../shared/sweep/analyzers/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { analyze, appContainer, workload } from './sweepTestKit.js';

const hostNet = (name: string, ns = 'shop', labels?: Record<string, string>) => {
  const d = workload('Deployment', { name, namespace: ns, podSpec: { hostNetwork: true } });
  if (labels) d.metadata = { ...d.metadata, labels };
  return d;
};
const hostNetFindings = async (objects: Parameters<typeof analyze>[1], yaml: string) =>
  (await analyze([...ANALYZERS], objects, {}, parseSweepPolicy(yaml, 'test')))
    .filter((f) => f.check === 'security.host-namespaces')
    .map((f) => `${f.namespace}/${f.name} ${f.severity}`);

describe('check policy', () => {
  it('parses the shorthand and long forms; former ids resolve to the current check', () => {
    const p = parseSweepPolicy(
      'checks:\n  security.seccomp-profile-missing: off\n  rbac.wildcard: critical\n  resources.cpu-limit-missing: on\n',
      'aks-aiops.yaml',
    );
    expect(p.checks).toEqual({
      'security.restricted-profile': { enabled: false },
      'rbac.wildcard': { severity: 'critical' },
      'resources.cpu-limit-missing': { enabled: true },
    });
  });

  it.each([
    ['checks:\n  nope.nothing: off\n', /unknown check id\(s\) nope.nothing/],
    ['checks:\n  rbac.wildcard: loud\n', /checks.rbac.wildcard/],
    ['exemptions:\n  - namespace: [x]\n', /exemptions.0/],
    ['checks: [\n', /not valid YAML/],
  ])('rejects %j with a ValidationError naming the problem', (yaml, message) => {
    expect(() => parseSweepPolicy(yaml, 'aks-aiops.yaml')).toThrow(ValidationError);
    expect(() => parseSweepPolicy(yaml, 'aks-aiops.yaml')).toThrow(message);
  });

  it('changes a severity, and exempts by namespace glob, workload and label', async () => {
    const objects = {
      deployments: [hostNet('a'), hostNet('b', 'legacy-1'), hostNet('c'), hostNet('d', 'shop', { team: 'platform' })],
    };
    expect((await hostNetFindings(objects, '')).sort()).toEqual([
      'legacy-1/b critical',
      'shop/a critical',
      'shop/c critical',
      'shop/d critical',
    ]);
    const filtered = await hostNetFindings(
      objects,
      [
        'checks:',
        '  security.host-namespaces: warning',
        'exemptions:',
        '  - namespaces: [legacy-*]',
        '  - workloads: [Deployment/shop/c]',
        '    checks: [security.host-namespaces]',
        '  - labels: [team=platform]',
      ].join('\n'),
    );
    expect(filtered).toEqual(['shop/a warning']);
  });

  it('a workload exemption for one check leaves the others', async () => {
    const d = workload('Deployment', {
      podSpec: { hostNetwork: true },
      containers: [appContainer({ image: 'nginx:latest' })],
    });
    const findings = await analyze(
      [...ANALYZERS],
      { deployments: [d] },
      {},
      parseSweepPolicy('exemptions:\n  - workloads: [shop/web]\n    checks: [security.host-namespaces]\n', 't'),
    );
    expect(findings.some((f) => f.check === 'security.host-namespaces')).toBe(false);
    expect(findings.some((f) => f.check === 'bestpractice.latest-tag')).toBe(true);
  });

  it('honours aks-aiops.io/exempt annotations: all checks, a list, and the Polaris-style <check>-exempt', async () => {
    const annotated = (name: string, annotations: Record<string, string>) => {
      const d = hostNet(name);
      d.metadata = { ...d.metadata, annotations };
      return d;
    };
    const findings = await analyze([...ANALYZERS], {
      deployments: [
        annotated('all', { 'aks-aiops.io/exempt': 'true' }),
        annotated('list', { 'aks-aiops.io/exempt': 'bestpractice.latest-tag, security.host-namespaces' }),
        annotated('polaris', { 'aks-aiops.io/security.host-namespaces-exempt': 'true' }),
        annotated('other', { 'aks-aiops.io/exempt': 'bestpractice.latest-tag' }),
      ],
    });
    expect(findings.filter((f) => f.name === 'all')).toEqual([]);
    expect(findings.filter((f) => f.check === 'security.host-namespaces').map((f) => f.name)).toEqual(['other']);
  });
});
