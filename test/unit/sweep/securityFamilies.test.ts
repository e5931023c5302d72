// Pod hardening, RBAC and identities, sensitive data: a passing and a failing object per check.
import { describe, expect, it } from '@jest/globals';
import { podHardeningAnalyzer } from '../../../shared/sweep/analyzers/podHardening.js';
import { rbacAnalyzer } from '../../../shared/sweep/analyzers/rbac.js';
import { serviceAccountUsageAnalyzer } from '../../../shared/sweep/analyzers/serviceAccountUsage.js';
import {
  looksLikeCredentialName,
  looksLikeSecretValue,
  sensitiveDataAnalyzer,
} from '../../../shared/sweep/analyzers/sensitiveData.js';
import type { Container, KubeObject } from '../../../shared/kube/objects.js';
import { analyze, analyzerTable, appContainer, workload, type Objects } from './sweepTestKit.js';

/** A container that passes every restricted-profile check. */
const hardened = (over: Record<string, unknown> = {}): Container =>
  appContainer({
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      ...over,
    },
  });
const hardenedPod = { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } };
const deploy = (c: Container, podSpec: Record<string, unknown> = {}) =>
  workload('Deployment', { containers: [c], podSpec: { ...hardenedPod, ...podSpec } });

describe('podHardening', () => {
  analyzerTable(podHardeningAnalyzer, [
    {
      name: 'hardened',
      why: 'passes baseline and restricted',
      objects: { deployments: [deploy(hardened())] },
      expect: [],
    },
    {
      name: 'host namespaces',
      why: 'hostNetwork/hostPID/hostIPC escape pod isolation',
      objects: { deployments: [deploy(hardened(), { hostNetwork: true, hostPID: true })] },
      expect: ['security.host-namespaces'],
      severity: 'critical',
      mentions: ['hostNetwork, hostPID'],
    },
    {
      name: 'host port',
      why: 'bypasses Services and policies',
      objects: {
        deployments: [deploy({ ...hardened(), ports: [{ containerPort: 8080, hostPort: 80 }] })],
      },
      expect: ['security.host-port'],
    },
    {
      name: 'hostPath volume',
      why: 'node files reachable',
      objects: {
        deployments: [
          deploy(hardened(), { volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] }),
        ],
      },
      expect: ['security.host-path'],
      mentions: ['/var/run/docker.sock'],
    },
    {
      name: 'privilege escalation allowed',
      why: 'allowPrivilegeEscalation unset defaults to true',
      objects: { deployments: [deploy(hardened({ allowPrivilegeEscalation: undefined }))] },
      expect: ['security.privilege-escalation-allowed'],
    },
    {
      name: 'SYS_ADMIN added',
      why: 'beyond the baseline capability set',
      objects: {
        deployments: [deploy(hardened({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } }))],
      },
      expect: ['security.dangerous-capabilities'],
      severity: 'critical',
      mentions: ['SYS_ADMIN'],
    },
    {
      name: 'capabilities not dropped',
      why: 'NET_RAW stays available',
      objects: { deployments: [deploy(hardened({ capabilities: {} }))] },
      expect: ['security.restricted-profile'],
    },
    {
      name: 'writable root filesystem',
      why: 'readOnlyRootFilesystem unset',
      objects: { deployments: [deploy(hardened({ readOnlyRootFilesystem: false }))] },
      expect: ['security.restricted-profile'],
    },
    {
      name: 'no seccomp profile',
      why: 'restricted asks for RuntimeDefault',
      objects: { deployments: [workload('Deployment', { containers: [hardened()] })] },
      expect: ['security.restricted-profile'],
      mentions: ['no seccompProfile (app)'],
    },
    {
      name: 'seccomp Unconfined',
      why: 'baseline forbids it',
      objects: { deployments: [deploy(hardened({ seccompProfile: { type: 'Unconfined' } }))] },
      expect: ['security.seccomp-unconfined'],
    },
    {
      name: 'AppArmor unconfined (annotation)',
      why: 'baseline forbids it',
      objects: {
        deployments: [
          (() => {
            const d = deploy(hardened());
            (d.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.annotations = {
              'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
            };
            return d;
          })(),
        ],
      },
      expect: ['security.apparmor-unconfined'],
    },
    {
      name: 'procMount Unmasked',
      why: 'baseline forbids it',
      objects: { deployments: [deploy(hardened({ procMount: 'Unmasked' }))] },
      expect: ['security.proc-mount-unmasked'],
    },
    {
      name: 'root group',
      why: 'runAsGroup 0',
      objects: { deployments: [deploy(hardened({ runAsGroup: 0 }))] },
      expect: ['security.run-as-root-group'],
    },
    {
      name: 'Windows HostProcess',
      why: 'full node access',
      objects: { deployments: [deploy(hardened({ windowsOptions: { hostProcess: true } }))] },
      expect: ['security.host-process'],
    },
    {
      name: 'exempt by annotation (Polaris style)',
      why: 'aks-aiops.io/<check>-exempt: "true" on the object',
      objects: {
        deployments: [
          (() => {
            const d = deploy(hardened(), { hostNetwork: true });
            d.metadata!.annotations = { 'aks-aiops.io/security.host-namespaces-exempt': 'true' };
            return d;
          })(),
        ],
      },
      expect: [],
    },
  ]);
});

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], ns = 'shop'): KubeObject => ({
  kind,
  metadata: { name, ...(kind === 'Role' ? { namespace: ns } : {}) },
  rules,
});
const binding = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: { kind: string; name: string },
  subjects: unknown[],
  ns = 'shop',
): KubeObject => ({
  kind,
  metadata: { name, ...(kind === 'RoleBinding' ? { namespace: ns } : {}) },
  roleRef,
  subjects,
});
const sa = (name: string, ns = 'shop', extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: ns },
  ...extra,
});
const reader = role('Role', 'reader', [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] }]);
const readerBinding = binding('RoleBinding', 'reader', { kind: 'Role', name: 'reader' }, [
  { kind: 'ServiceAccount', name: 'web', namespace: 'shop' },
]);

describe('rbac', () => {
  analyzerTable(rbacAnalyzer, [
    {
      name: 'least-privilege role, bound',
      why: 'reads pods and configmaps only',
      objects: { roles: [reader], rolebindings: [readerBinding], serviceaccounts: [sa('web')] },
      expect: [],
    },
    {
      name: 'wildcard verbs',
      why: '"*" also grants verbs added later',
      objects: {
        roles: [role('Role', 'reader', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }])],
        rolebindings: [readerBinding],
      },
      expect: ['rbac.wildcard'],
      severity: 'warning',
    },
    {
      name: 'cluster-admin to a service account',
      why: 'full control of the cluster for a workload',
      objects: {
        clusterrolebindings: [
          binding('ClusterRoleBinding', 'ci-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [
            { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
          ]),
        ],
      },
      expect: ['rbac.cluster-admin-binding'],
      severity: 'critical',
    },
    {
      name: 'Kubernetes bootstrap binding of system:masters',
      why: 'label kubernetes.io/bootstrapping=rbac-defaults: part of the control plane',
      objects: {
        clusterrolebindings: [
          {
            ...binding('ClusterRoleBinding', 'cluster-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [
              { kind: 'Group', name: 'system:masters' },
            ]),
            metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
          },
        ],
      },
      expect: [],
    },
    {
      name: 'reads Secrets',
      why: 'every credential in the namespace',
      objects: {
        roles: [role('Role', 'reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])],
        rolebindings: [readerBinding],
      },
      expect: ['rbac.secrets-read'],
    },
    {
      name: 'pods/exec',
      why: 'commands in any pod',
      objects: {
        roles: [role('Role', 'reader', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])],
        rolebindings: [readerBinding],
      },
      expect: ['rbac.pod-exec'],
    },
    {
      name: 'escalate/bind/impersonate',
      why: 'self-granting',
      objects: {
        clusterroles: [
          role('ClusterRole', 'rbac-manager', [
            { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
          ]),
        ],
        clusterrolebindings: [
          binding('ClusterRoleBinding', 'm', { kind: 'ClusterRole', name: 'rbac-manager' }, [
            { kind: 'User', name: 'alice' },
          ]),
        ],
      },
      expect: ['rbac.privilege-escalation-verbs'],
    },
    {
      name: 'nodes/proxy',
      why: 'direct kubelet access',
      objects: {
        clusterroles: [
          role('ClusterRole', 'scraper', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
        ],
        clusterrolebindings: [
          binding('ClusterRoleBinding', 's', { kind: 'ClusterRole', name: 'scraper' }, [{ kind: 'User', name: 'bob' }]),
        ],
      },
      expect: ['rbac.nodes-proxy'],
    },
    {
      name: 'role bound to nothing',
      why: 'left over',
      objects: { roles: [reader] },
      expect: ['rbac.role-unused'],
    },
    {
      name: 'binding to a missing role',
      why: 'grants whatever a future role of that name grants',
      objects: { rolebindings: [readerBinding] },
      expect: ['rbac.binding-role-missing'],
    },
    {
      name: 'binding to a missing service account',
      why: 'ServiceAccounts of the namespace were listed and web is not among them',
      objects: { roles: [reader], rolebindings: [readerBinding], serviceaccounts: [sa('default')] },
      expect: ['rbac.binding-subject-missing'],
    },
  ]);
});

describe('serviceAccountUsage', () => {
  /** Deployment web with the service account settings of `podSpec`, beside the ServiceAccounts given. */
  const runsAs = (podSpec: Record<string, unknown>, ...serviceaccounts: KubeObject[]): Objects => ({
    deployments: [workload('Deployment', { podSpec })],
    serviceaccounts,
  });
  analyzerTable(serviceAccountUsageAnalyzer, [
    {
      name: 'own service account, token not mounted',
      why: 'nothing shared, no token',
      objects: runsAs({ serviceAccountName: 'web', automountServiceAccountToken: false }, sa('web')),
      expect: [],
    },
    {
      name: 'service account disables automount',
      why: 'the ServiceAccount field applies when the pod sets none',
      objects: runsAs({ serviceAccountName: 'web' }, sa('web', 'shop', { automountServiceAccountToken: false })),
      expect: [],
    },
    {
      name: 'default service account',
      why: 'shared identity; its mounted token is named in the same finding',
      objects: { deployments: [workload('Deployment')] },
      expect: ['security.default-service-account'],
      mentions: ['API token is mounted'],
    },
    {
      name: 'own service account, token mounted',
      why: 'info: only the owner knows whether the pod calls the API',
      objects: runsAs({ serviceAccountName: 'web' }, sa('web')),
      expect: ['security.service-account-token-mounted'],
      severity: 'info',
    },
    {
      name: 'missing service account',
      why: 'the ServiceAccount admission plugin rejects the pods',
      objects: runsAs({ serviceAccountName: 'ghost', automountServiceAccountToken: false }, sa('default')),
      expect: ['security.service-account-missing'],
      severity: 'critical',
    },
  ]);
});

describe('sensitiveData', () => {
  it('recognises credential names and connection strings, not look-alikes', () => {
    for (const n of [
      'DB_PASSWORD',
      'apiKey',
      'STORAGE_ACCOUNT_KEY',
      'client-secret',
      'AUTH_TOKEN',
      'SqlConnectionString',
    ])
      expect({ n, hit: looksLikeCredentialName(n) }).toEqual({ n, hit: true });
    for (const n of ['CACHE_KEY', 'PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'KEYSPACE', 'MONKEY', 'LOG_LEVEL'])
      expect({ n, hit: looksLikeCredentialName(n) }).toEqual({ n, hit: false });
    expect(looksLikeSecretValue('Server=tcp:db;Database=shop;User ID=app;Password=hunter2;')).toBe(true);
    expect(looksLikeSecretValue('DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;')).toBe(true);
    expect(looksLikeSecretValue('postgres://app:hunter2@db:5432/shop')).toBe(true);
    expect(looksLikeSecretValue('https://example.com/path')).toBe(false);
  });

  analyzerTable(sensitiveDataAnalyzer, [
    {
      name: 'plain settings and secretKeyRef',
      why: 'no credential in plain sight',
      objects: {
        configmaps: [
          { metadata: { name: 'web-config', namespace: 'shop' }, data: { LOG_LEVEL: 'info', DB_PASSWORD: '' } },
        ],
        deployments: [
          workload('Deployment', {
            containers: [
              {
                ...appContainer(),
                env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
              },
            ],
          }),
        ],
      },
      expect: [],
    },
    {
      name: 'ConfigMap with a password and a connection string',
      why: 'readable by anyone with view access',
      objects: {
        configmaps: [
          {
            metadata: { name: 'web-config', namespace: 'shop' },
            data: { DB_PASSWORD: 'hunter2', STORAGE: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;' },
          },
        ],
      },
      expect: ['sensitive.configmap-credential'],
      mentions: ['"DB_PASSWORD"', '"STORAGE"'],
    },
    {
      name: 'literal env credential',
      why: 'anyone who reads the Deployment reads it',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [{ ...appContainer(), env: [{ name: 'API_KEY', value: 'sk-live-123' }] }],
          }),
        ],
      },
      expect: ['sensitive.env-credential'],
      mentions: ['app:API_KEY'],
    },
  ]);

  it('never copies a value into a finding', async () => {
    const findings = await analyze(sensitiveDataAnalyzer, {
      configmaps: [{ metadata: { name: 'c', namespace: 'shop' }, data: { DB_PASSWORD: 'hunter2-do-not-leak' } }],
      deployments: [
        workload('Deployment', {
          containers: [{ ...appContainer(), env: [{ name: 'TOKEN', value: 'tok-do-not-leak' }] }],
        }),
      ],
    });
    expect(findings).toHaveLength(2);
    expect(JSON.stringify(findings)).not.toMatch(/do-not-leak/);
  });
});
