// What the simulated API server serves: a read-only view of a cluster's objects, possibly generated lazily.
import type { KubeResource } from './resources.js';

export interface KubeObjectSource {
  /** Objects of one resource, optionally in one namespace, in a stable order. May generate lazily. */
  list(resource: KubeResource, namespace?: string): Iterable<Record<string, unknown>>;
  /** Count without materialising (large-cluster mode); optional. */
  count?(resource: KubeResource, namespace?: string): number;
  /** Container log text; `previous` = the last terminated container's log. undefined → 404. */
  podLog?(namespace: string, pod: string, container: string | undefined, previous: boolean): string | undefined;
  /** Changes whenever the content changes (drives resourceVersion and 410 on stale continue tokens). */
  revision?(): string;
}
