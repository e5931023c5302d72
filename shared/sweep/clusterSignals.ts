// Finding sources that read outside the Kubernetes API: the cluster's own metrics (anomaly.* findings), its usage
// against requests (cost.* findings). Each source is one file behind this interface, registered in
// `clusterSignalSources.ts`; the sweep runs them after the Kubernetes objects, within the same per-cluster budget.
// A source never throws for missing or unreadable data: it returns what it found and says what it could not read.
import type { TokenCredential } from '@azure/identity';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AppConfig } from '../config/config.js';
import { ensureErrorType } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { FindingDraft } from './analyzer.js';

export interface ClusterSignalInput {
  /** ARM resource id of the managed cluster. */
  clusterId: string;
  /** The cluster as ARM describes it (absent when ARM could not be read). */
  cluster?: ManagedCluster;
  config: AppConfig;
  credential?: TokenCredential;
  abortSignal: AbortSignal;
  /** The sweep's clock: the end of every window a source reads. */
  now: Date;
  logger?: Logger;
}

export interface ClusterSignalResult {
  drafts: FindingDraft[];
  /** What could not be read, as `<source>: <reason>` lines for the sweep summary. */
  errors: string[];
}

export interface ClusterSignalSource {
  /** Short name used in error lines (`metrics`, `rightsizing`). */
  name: string;
  collect(input: ClusterSignalInput): Promise<ClusterSignalResult>;
}

/** Runs every source one after the other; a source that throws anyway is recorded, never fatal to the sweep. */
export async function collectClusterSignals(
  sources: readonly ClusterSignalSource[],
  input: ClusterSignalInput,
): Promise<ClusterSignalResult> {
  const drafts: FindingDraft[] = [];
  const errors: string[] = [];
  for (const source of sources) {
    if (input.abortSignal.aborted) {
      errors.push(`${source.name}: not read, the sweep's time budget ran out`);
      continue;
    }
    try {
      const result = await source.collect(input);
      drafts.push(...result.drafts);
      errors.push(...result.errors);
    } catch (err) {
      errors.push(`${source.name}: ${ensureErrorType(err).message}`);
    }
  }
  return { drafts, errors };
}
