// The PodDisruptionBudget refusal, worst case over which nodes AKS removes. Each case says why it must (or must not)
// refuse.
import { describe, expect, it } from '@jest/globals';
import { pdbScaleInRefusals, type PodDisruptionBudget } from '../../../shared/scaling/pdbGuard.js';
import type { Pod } from '../../../shared/kube/objects.js';

const pod = (name: string, node: string, extra: Partial<Pod> = {}, app = 'web', ns = 'shop'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, labels: { app }, ...(extra.metadata ?? {}) },
  spec: { nodeName: node, containers: [] },
  status: { phase: 'Running', ...(extra.status ?? {}) },
});
const pdb = (
  allowed: number,
  selector: PodDisruptionBudget['spec'] = { selector: { matchLabels: { app: 'web' } } },
  ns = 'shop',
): PodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { namespace: ns, name: 'web' },
  spec: selector,
  status: { disruptionsAllowed: allowed },
});
const NODES = ['n1', 'n2', 'n3'];

describe('pdbScaleInRefusals', () => {
  it.each<[string, { removeNodes: number; pods: Pod[]; pdbs: PodDisruptionBudget[] }, number]>([
    [
      'one pod per node, budget allows 1, removing 1 node evicts at most 1',
      { removeNodes: 1, pods: [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n3')], pdbs: [pdb(1)] },
      0,
    ],
    [
      'removing 2 nodes could evict 2 of them: more than the 1 allowed',
      { removeNodes: 2, pods: [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n3')], pdbs: [pdb(1)] },
      1,
    ],
    [
      'two pods on one node: even one node could take both',
      { removeNodes: 1, pods: [pod('a', 'n1'), pod('b', 'n1')], pdbs: [pdb(1)] },
      1,
    ],
    [
      'pods on other pools do not count',
      { removeNodes: 2, pods: [pod('a', 'other-1'), pod('b', 'other-2')], pdbs: [pdb(0)] },
      0,
    ],
    [
      'a budget of another namespace does not cover these pods',
      { removeNodes: 2, pods: [pod('a', 'n1'), pod('b', 'n2')], pdbs: [pdb(0, undefined, 'other')] },
      0,
    ],
    [
      'finished pods are not evicted',
      { removeNodes: 1, pods: [pod('a', 'n1', { status: { phase: 'Succeeded' } })], pdbs: [pdb(0)] },
      0,
    ],
    [
      'DaemonSet pods are ignored by the drain',
      {
        removeNodes: 1,
        pods: [pod('a', 'n1', { metadata: { ownerReferences: [{ kind: 'DaemonSet', name: 'ds' }] } })],
        pdbs: [pdb(0)],
      },
      0,
    ],
    [
      'an empty selector ({}) covers every pod of the namespace',
      { removeNodes: 1, pods: [pod('a', 'n1', {}, 'other-app')], pdbs: [pdb(0, { selector: {} })] },
      1,
    ],
    ['a budget without selector covers nothing', { removeNodes: 1, pods: [pod('a', 'n1')], pdbs: [pdb(0, {})] }, 0],
    [
      'a budget without status has not been computed: treat as 0 allowed',
      { removeNodes: 1, pods: [pod('a', 'n1')], pdbs: [{ ...pdb(0), status: undefined }] },
      1,
    ],
    ['nothing removed, nothing refused', { removeNodes: 0, pods: [pod('a', 'n1')], pdbs: [pdb(0)] }, 0],
  ])('%s', (_why, input, refusals) => {
    expect(pdbScaleInRefusals({ poolNodes: NODES, ...input })).toHaveLength(refusals);
  });

  it('names the budget, what it allows and what could be evicted, with the kubectl to see it', () => {
    expect(
      pdbScaleInRefusals({ poolNodes: NODES, removeNodes: 2, pods: [pod('a', 'n1'), pod('b', 'n2')], pdbs: [pdb(1)] }),
    ).toEqual([
      {
        namespace: 'shop',
        name: 'web',
        evicted: 2,
        disruptionsAllowed: 1,
        message:
          'PodDisruptionBudget shop/web allows 1 disruption(s) but removing 2 node(s) could evict 2 of its pods (kubectl -n shop get pdb web)',
      },
    ]);
  });
});
