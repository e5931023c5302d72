// The sweep's object source for a live cluster: paged lists through listPages.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ObjectSource } from './objectSource.js';
import { listPages, type ListPagesOptions } from './listPages.js';

export function createKubeObjectSource(
  kc: KubeConfig,
  options: Omit<ListPagesOptions, 'namespace' | 'abortSignal'> = {},
): ObjectSource {
  return {
    listPages: (resource, { namespace, abortSignal }) =>
      listPages(kc, resource, { ...options, namespace, abortSignal }),
  };
}
