// Per-request options that make a @kubernetes/client-node call honour an AbortSignal. The generated clients send
// through `IsomorphicFetch`, which passes `RequestContext.getSignal()` to fetch; nothing sets it unless a middleware
// does (client-node src/gen/http/http.ts `setSignal`, src/gen/http/isomorphic-fetch.ts). Without it an aborted
// diagnosis leaves its requests running until the socket gives up (observed: 302 s after a 120 s CLI timeout).
import {
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

export type KubeRequestOptions = ConfigurationOptions;

/**
 * Options to pass as the last argument of an object-style API call (`core.readNamespacedPod({...}, options)`). The
 * object-style API hands them to the observable API unwrapped, so the middleware returns the library's Observable.
 */
export function kubeRequestOptions(signal: AbortSignal): KubeRequestOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
