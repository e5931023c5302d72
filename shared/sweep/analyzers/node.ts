// Node health: NotReady/Unknown (Azure's recommended "node NotReady" alert), resource pressure, network
// unavailable, problem-detector conditions, and cordons.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import type { Condition, KubeObject } from '../../kube/objects.js';
import { ageMs, truncate } from './podHelpers.js';

interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; effect?: string }[] };
  status?: { conditions?: Condition[] };
}

const PRESSURE: Record<string, string> = {
  MemoryPressure: 'the kubelet is evicting pods because memory is low',
  DiskPressure: 'the kubelet is evicting pods and garbage-collecting images because disk space is low',
  PIDPressure: 'the node is running out of process ids',
};

/** Conditions whose True means healthy; everything else True means a problem (node-problem-detector style). */
const POSITIVE = new Set(['Ready']);
/** Informational conditions some platforms add that are not problems when True. */
const BENIGN = new Set(['FrequentContainerdRestart', 'ContainerRuntimeUnhealthy', 'KubeletConfigurationSucceeded']);

const DOCS = 'https://kubernetes.io/docs/concepts/architecture/nodes/#condition';

export const nodeAnalyzer = objectAnalyzer<Node>('node', 'nodes', (node, _ns, name, ctx) => {
  const conditions = node.status?.conditions ?? [];
  const describe = kubectlDescribe('node', undefined, name);
  const cond = (c: Condition) =>
    `kubectl get node ${name} -o jsonpath='{.status.conditions[?(@.type=="${c.type}")]}' → status=${c.status}, reason=${c.reason ?? ''}, message="${truncate(c.message ?? '', 160)}"`;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') {
    const since = ageMs(ready.lastTransitionTime, ctx.settings.now);
    ctx.report({
      check: 'node.not-ready',
      severity: 'critical',
      kind: 'Node',
      name,
      message: `Node ${name} is not ready (status.conditions Ready=${ready.status}, ${ready.reason ?? 'no reason'}${since !== undefined ? ` for ${Math.max(0, Math.round(since / 60000))} min` : ''}): ${truncate(ready.message ?? '', 200)}`,
      evidence: [cond(ready), describe],
      remediation:
        'AKS auto-repair acts on nodes NotReady for over 5 minutes; if it persists check the node in the portal (Diagnose and solve), restart or reimage it (`az aks nodepool ...`), and check the kubelet and the network path to the API server.',
      docsUrl:
        'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/availability-performance/node-not-ready-basic-troubleshooting',
    });
  }
  for (const c of conditions) {
    if (c.status !== 'True' || POSITIVE.has(c.type) || BENIGN.has(c.type)) continue;
    const pressure = PRESSURE[c.type];
    if (pressure) {
      ctx.report({
        check: `node.${c.type.replace('Pressure', '').toLowerCase()}-pressure`,
        severity: 'warning',
        kind: 'Node',
        name,
        message: `Node ${name} reports ${c.type} (status.conditions ${c.type}=True): ${pressure}.`,
        evidence: [cond(c), describe],
        remediation:
          'Set requests that match real usage so pods are not overcommitted, move heavy workloads to a larger VM size, or scale out the node pool.',
        docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/',
      });
    } else if (c.type === 'NetworkUnavailable') {
      ctx.report({
        check: 'node.network-unavailable',
        severity: 'critical',
        kind: 'Node',
        name,
        message: `Node ${name} has no working pod network (status.conditions NetworkUnavailable=True, ${c.reason ?? ''}).`,
        evidence: [cond(c), describe],
        remediation:
          'Check the CNI pods on the node (azure-cni / cilium in kube-system) and the subnet capacity; reimage the node if it does not recover.',
        docsUrl: DOCS,
      });
    } else {
      ctx.report({
        check: 'node.condition',
        severity: 'warning',
        kind: 'Node',
        name,
        message: `Node ${name} reports condition ${c.type}=True (${c.reason ?? 'no reason'}): ${truncate(c.message ?? '', 200)}`,
        evidence: [cond(c), describe],
        remediation:
          'Investigate the condition reported by the node problem detector; reimage or replace the node if it persists.',
        docsUrl: DOCS,
      });
    }
  }
  if (node.spec?.unschedulable === true) {
    ctx.report({
      check: 'node.cordoned',
      severity: 'info',
      kind: 'Node',
      name,
      message: `Node ${name} is cordoned (spec.unschedulable true): no new pods are scheduled on it.`,
      evidence: [`kubectl get node ${name} -o jsonpath='{.spec.unschedulable}' → true`],
      remediation:
        'If no upgrade or maintenance is in progress, uncordon it with `kubectl uncordon` or drain and delete it.',
      docsUrl: 'https://kubernetes.io/docs/concepts/architecture/nodes/#manual-node-administration',
    });
  }
});
