// One cheap request before a sweep lists anything: an API server that cannot be reached at all (connection refused,
// no route, DNS failure of a private cluster's FQDN, no answer) would otherwise cost every resource list its full
// retry schedule — over a minute per cluster holding a worker slot. In a fleet a few clusters are always like that.
import type { KubeConfig } from '@kubernetes/client-node';
import { RemoteServiceError, ensureErrorType } from '../errors.js';
import { getJsonWithRetries } from '../kube/listPages.js';
import { KUBE_RESOURCES } from '../kube/resources.js';

/** GET /version (kube-apiserver's version endpoint) with one retry; the reason when nothing answered, else undefined. */
export async function unreachableReason(kc: KubeConfig, abortSignal?: AbortSignal): Promise<string | undefined> {
  try {
    await getJsonWithRetries(kc, '/version', KUBE_RESOURCES.nodes, {
      maxRetries: 1,
      baseDelayMs: 500,
      requestTimeoutMs: 15_000,
      abortSignal,
    });
    return undefined;
  } catch (err) {
    // statusCode 0: no HTTP answer at all. Any HTTP status (401, 403, 5xx) means the server is there: the listing
    // reports it precisely. An abort (the sweep's budget) is reported by the listing too.
    if (err instanceof RemoteServiceError && err.statusCode === 0 && !abortSignal?.aborted) {
      return ensureErrorType(err).message;
    }
    return undefined;
  }
}
