// The labelled real-world cases (test/fixtures/sweep/cases, from flanksource/is-healthy): each failing object must
// produce the finding its label implies, and the ones labelled healthy must produce no failure finding.
import { describe, expect, it } from '@jest/globals';
import { ANALYZERS } from '../../../shared/sweep/analyzers/index.js';
import { resourceForKind, type ResourceKey } from '../../../shared/kube/resources.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { checkEntry } from '../../../shared/sweep/catalogue.js';
import { analyze, loadCase } from './sweepTestKit.js';

// Failure checks: what the catalogue files under failures and nodes (best-practice families are judged elsewhere).
const failureChecks = (checks: string[]) =>
  checks.filter((c) => ['failures', 'nodes'].includes(checkEntry(c)?.family ?? 'failures'));

async function sweepCase(file: string) {
  const objects: Partial<Record<ResourceKey, KubeObject[]>> = {};
  for (const o of loadCase(file)) {
    const r = resourceForKind(o.kind);
    if (r) (objects[r.key] ??= []).push(o);
  }
  return (await analyze([...ANALYZERS], objects)).map((f) => f.check);
}

describe('labelled cases', () => {
  it.each([
    ['005-oom-flanksource-unhealthy.yaml', ['pod.oom-killed'], 'OOM-killed and not ready since'],
    ['012-crash-flanksource-exit1.yaml', ['pod.crash-loop'], 'exit 1 crash loop'],
    ['013-crash-flanksource-init-pending.yaml', ['pod.crash-loop'], 'init container crash loop'],
    ['016-imagepull-flanksource-backoff.yaml', ['pod.image-pull-failed'], 'ImagePullBackOff'],
    ['027-probe-flanksource-never-ready.yaml', ['pod.readiness-probe-failing'], 'readiness probe that never passes'],
    ['043-node-flanksource-memory-pressure.yaml', ['node.memory-pressure'], 'MemoryPressure=True'],
    ['048-volume-flanksource-pvc-pending.yaml', ['pvc.pending'], 'PVC Pending for long'],
    ['056-other-fargate-starterror.yaml', ['pod.failed'], 'StartError exit 128, pod Failed'],
  ])('%s → %j (%s)', async (file, expected) => {
    expect(failureChecks(await sweepCase(file))).toEqual(expect.arrayContaining(expected));
  });

  it.each([
    ['050-healthy-flanksource-old-oom.yaml', 'old OOM, ready now'],
    ['051-healthy-flanksource-aks-257-restarts.yaml', '257 restarts long ago'],
  ])('%s has no failure finding (%s)', async (file) => {
    expect(failureChecks(await sweepCase(file))).toEqual([]);
  });
});
