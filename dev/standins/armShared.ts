// What the ARM stand-in's modules share (armEndpoint.ts, armState.ts and the route tables): the options, faults,
// the error envelope, the route shape and the subscription and web app shapes, in a module of their own so the
// handler files do not import each other.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AksTimings } from '../../shared/simulator/aks/aksCluster.js';
import type { LocalCluster } from './armResources.js';
import type { ArmRateLimit, ArmThrottle } from './armThrottle.js';
import { azureError, readBody } from './standinHttp.js';

/** ARM answers in Azure's common error envelope, `{ error: { code, message } }`. */
export { azureError as armError } from './standinHttp.js';

export interface LocalSubscription {
  subscriptionId: string;
  displayName: string;
}

/**
 * A function app as the deployment tooling sees it (shared/deploy/alertWebhook.ts). `functionKeys` undefined: the
 * host has not started (not deployed, or its storage roles not yet effective), and listkeys fails as in Azure.
 */
export interface LocalWebApp {
  id: string;
  defaultHostName: string;
  functionKeys?: Record<string, string>;
}

export interface ArmFaults {
  /** Subscriptions whose managedClusters list answers 500 InternalServerError (every time, until removed). */
  failSubscriptions?: string[];
  /** Subscriptions the identity has no role on: every request under them answers 403 AuthorizationFailed. */
  forbidSubscriptions?: string[];
  /** The next N ARM requests answer 429 TooManyRequests with Retry-After. */
  throttleNext?: number;
  retryAfterSeconds?: number;
  /**
   * ARM's token-bucket throttling of reads per subscription (and tenant), with the remaining-reads headers on every
   * answer (armThrottle.ts). Undefined: unlimited, and no headers.
   */
  rateLimit?: ArmRateLimit;
  /**
   * Clusters (resource ids) whose listClusterUserCredential answers 403: the identity can read the cluster but has
   * no "Azure Kubernetes Service Cluster User Role" on it, a common fleet misconfiguration.
   */
  forbidClusterCredentials?: string[];
}

export interface ArmEndpointOptions {
  baseUrl: () => string;
  tenantId: string;
  pageSize: number;
  clusters: () => LocalCluster[];
  subscriptions: () => LocalSubscription[];
  faults: () => ArmFaults | undefined;
  forbiddenAudiences: () => string[] | undefined;
  webApps: () => LocalWebApp[];
  /** Action groups by lower-cased resource id; PUT replaces, as ActionGroups_CreateOrUpdate does. */
  actionGroups: Map<string, Record<string, unknown>>;
  /** Phase lengths of the operations on clusters the stand-in models itself (those given no `aks`). */
  aksTimings?: Partial<AksTimings>;
  /** Clock of those models (tests inject one). */
  now?: () => number;
  /** Retry-After (seconds) on LRO responses; omitted by default so the SDK's own poll interval applies. */
  lroRetryAfterSeconds?: number;
  /** Shared so the caller can read how many requests were throttled; default: one over `faults().rateLimit`. */
  throttle?: ArmThrottle;
}

/** One request as a route sees it. ARM resource ids are case-insensitive; `segments` keep the caller's spelling. */
export interface ArmCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The decoded path segments: `subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/…`. */
  segments: string[];
  sub: string;
  rg: string;
  name: string;
  faults: ArmFaults | undefined;
}

export const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * A JSON request body, at most `maxBytes`; `empty` is what an empty body means (undefined: it is invalid, as
 * for a resource PUT). ARM answers 413 RequestEntityTooLarge and 400 InvalidRequestContent.
 */
export async function readArmJson(req: IncomingMessage, maxBytes: number, empty?: unknown): Promise<unknown> {
  const raw = await readBody(req, {
    maxBytes,
    tooLarge: (bytes) => azureError(413, 'RequestEntityTooLarge', `The request body of ${bytes} bytes is too large.`),
  });
  if (raw.length === 0 && empty !== undefined) return empty;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw azureError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
}
