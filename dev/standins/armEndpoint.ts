// Local Azure Resource Manager for what aks-aiops reads: subscriptions and Microsoft.ContainerService managed
// clusters, agent pools, upgrade profiles, the location's Kubernetes versions and the user kubeconfig. Bearer tokens
// for the ARM audience are required; errors, paging (nextLink with $skipToken) and throttling (429 + Retry-After)
// follow ARM's conventions so the real SDK clients and their retry policies run unchanged. This file authenticates,
// throttles and dispatches; the routes are tables per resource provider (armClusterRoutes.ts, armOtherProviders.ts)
// over the state in armState.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseClusterId } from './armResources.js';
import { bearerToken } from './standinHttp.js';
import { isForbiddenAudience, verifyForAudiences, type TokenClaims } from './tokenIssuer.js';
import { ArmThrottle } from './armThrottle.js';
import { ACTION_GROUP_ROUTES, WEB_APP_ROUTES } from './armOtherProviders.js';
import {
  CLUSTER_READ_ROUTES,
  CLUSTER_WRITE_ROUTES,
  OPERATION_ROUTES,
  SUBSCRIPTION_ROUTES,
} from './armClusterRoutes.js';
import { armError, type ArmCall, type ArmEndpointOptions, type ArmFaults } from './armShared.js';
import { LocalArmState, type ArmRoute } from './armState.js';
export {
  armError,
  type ArmEndpointOptions,
  type ArmFaults,
  type LocalSubscription,
  type LocalWebApp,
} from './armShared.js';

/** Every route the local ARM serves, matched in this order. */
const ROUTES: ArmRoute[] = [
  ...SUBSCRIPTION_ROUTES,
  ...CLUSTER_READ_ROUTES,
  ...WEB_APP_ROUTES,
  ...ACTION_GROUP_ROUTES,
  ...CLUSTER_WRITE_ROUTES,
  ...OPERATION_ROUTES,
];

const THROTTLED_MESSAGE = 'The request is being throttled as the limit has been reached for operation type - Read.';

/** Audiences ARM accepts (the resource as written with and without the trailing slash, old and new host). */
const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.core.windows.net'];

function authenticate(req: IncomingMessage, options: ArmEndpointOptions): TokenClaims {
  const token = bearerToken(req);
  const challenge = (description: string): Record<string, string> => ({
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${options.tenantId}", error="invalid_token", error_description="${description}"`,
  });
  if (!token) {
    throw armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      challenge("The authentication failed because of missing 'Authorization' header."),
    );
  }
  const verdict = verifyForAudiences(token, ARM_AUDIENCES);
  if (verdict.ok) {
    if (isForbiddenAudience(ARM_AUDIENCES, options.forbiddenAudiences())) {
      throw armError(
        403,
        'AuthorizationFailed',
        `The client '${verdict.claims.oid}' with object id '${verdict.claims.oid}' does not have authorization to perform action over any scope (injected fault).`,
      );
    }
    return verdict.claims;
  }
  switch (verdict.reason) {
    case 'expired': {
      const expiry = new Date((verdict.claims?.exp ?? 0) * 1000).toISOString();
      throw armError(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${new Date().toISOString()}'.`,
        challenge('The access token has expired.'),
      );
    }
    case 'audience':
      throw armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${verdict.claims?.aud ?? ''}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        challenge('The access token audience is invalid.'),
      );
    default:
      throw armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('The access token is invalid.'),
      );
  }
}

function requireApiVersion(url: URL): string {
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) {
    throw armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) {
    throw armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.`,
    );
  }
  return apiVersion;
}

/**
 * ARM's read throttling: the token bucket of the request's scope (armThrottle.ts), whose remaining-reads header is set
 * before routing so every answer (success or error) carries it, as ARM's do; then the injected `throttleNext` fault.
 */
function applyThrottling(res: ServerResponse, url: URL, throttle: ArmThrottle, faults: ArmFaults | undefined): void {
  const scopeMatch = /^\/subscriptions\/([^/?]+)/i.exec(url.pathname);
  const verdict = throttle.take({ subscriptionId: scopeMatch?.[1] });
  for (const [k, v] of Object.entries(verdict.headers)) res.setHeader(k, v);
  if (verdict.retryAfterSeconds !== undefined) {
    throw armError(429, 'TooManyRequests', THROTTLED_MESSAGE, { 'retry-after': String(verdict.retryAfterSeconds) });
  }
  if (faults?.throttleNext && faults.throttleNext > 0) {
    faults.throttleNext -= 1;
    throw armError(429, 'TooManyRequests', THROTTLED_MESSAGE, {
      'retry-after': String(faults.retryAfterSeconds ?? 1),
      'x-ms-ratelimit-remaining-subscription-reads': '0',
    });
  }
}

/** The route whose method and pattern match the request's (path compared lower-case, `*` for one segment). */
function findRoute(method: string, segments: string[]): ArmRoute | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  return ROUTES.find((route) => {
    const parts = route.path.split('/');
    return (
      route.method === method && parts.length === lower.length && parts.every((p, i) => p === '*' || p === lower[i])
    );
  });
}

export function createArmHandler(options: ArmEndpointOptions) {
  const arm = new LocalArmState(options);
  const throttle = options.throttle ?? new ArmThrottle(() => options.faults()?.rateLimit, options.now);

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    authenticate(req, options);
    const faults = options.faults();
    applyThrottling(res, url, throttle, faults);
    requireApiVersion(url);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const route = findRoute(method, segments);
    if (route) {
      const call: ArmCall = {
        req,
        res,
        url,
        segments,
        sub: segments[1] ?? '',
        rg: segments[3] ?? '',
        name: segments[7] ?? '',
        faults,
      };
      return route.serve(call, arm);
    }
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') {
      throw armError(
        405,
        'MethodNotAllowed',
        `The local ARM serves reads, listClusterUserCredential, action groups, agent pool PUT and cluster start/stop; ${method} ${url.pathname} is not supported.`,
      );
    }
    throw armError(404, 'InvalidResourceType', `The local ARM does not serve '${url.pathname}'.`);
  };
}

export { parseClusterId };
