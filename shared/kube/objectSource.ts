// Where a sweep's objects come from: a live API server (paged lists) or dump files. The engine does not care.
import type { KubeObject } from './objects.js';
import type { KubeResource } from './resources.js';

export interface ObjectSource {
  /**
   * Pages of one resource. `namespace` restricts namespaced resources; cluster-scoped resources are not asked for
   * in a namespace-restricted sweep.
   */
  listPages(
    resource: KubeResource,
    options: { namespace?: string; abortSignal?: AbortSignal },
  ): AsyncIterable<KubeObject[]>;
}
