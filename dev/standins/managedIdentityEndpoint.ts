// The App Service / Functions managed-identity endpoint (api-version 2019-08-01), as @azure/identity's
// ManagedIdentityCredential (through MSAL's AppService source) calls it when IDENTITY_ENDPOINT and IDENTITY_HEADER
// are set: GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>[&client_id=|&mi_res_id=|&object_id=]
// with header X-IDENTITY-HEADER. Plain HTTP on loopback, like the real one inside the sandbox.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJson, StandinHttpError, takeFault, type HttpFault } from './standinHttp.js';
import { issueToken } from './tokenIssuer.js';

export interface LocalManagedIdentity {
  clientId: string;
  principalId: string;
  /** ARM id of a user-assigned identity; absent for the system-assigned one. */
  resourceId?: string;
}

export interface ManagedIdentityEndpointOptions {
  tenantId: string;
  identityHeader: string;
  systemAssigned: LocalManagedIdentity;
  userAssigned: LocalManagedIdentity[];
  tokenLifetimeSeconds: number;
  faults: () => HttpFault | undefined;
  onIssued: () => void;
}

export const IDENTITY_PATH = '/msi/token';

function identityError(status: number, message: string): StandinHttpError {
  // The App Service endpoint answers errors as {statusCode, message, correlationId}; MSAL reads `message`.
  return new StandinHttpError(status, { statusCode: status, message, correlationId: randomUUID() });
}

function selectIdentity(url: URL, options: ManagedIdentityEndpointOptions): LocalManagedIdentity {
  const clientId = url.searchParams.get('client_id') ?? url.searchParams.get('clientid');
  const resourceId = url.searchParams.get('mi_res_id');
  const objectId = url.searchParams.get('object_id') ?? url.searchParams.get('principal_id');
  if ([clientId, resourceId, objectId].filter((v) => v !== null).length > 1) {
    throw identityError(400, 'Only one of client_id, mi_res_id or object_id may be given.');
  }
  if (clientId === null && resourceId === null && objectId === null) return options.systemAssigned;
  const found = options.userAssigned.find(
    (id) =>
      (clientId !== null && id.clientId.toLowerCase() === clientId.toLowerCase()) ||
      (resourceId !== null && id.resourceId?.toLowerCase() === resourceId.toLowerCase()) ||
      (objectId !== null && id.principalId.toLowerCase() === objectId.toLowerCase()),
  );
  if (!found) throw identityError(400, 'Unable to load the proper Managed Identity.');
  return found;
}

export function createManagedIdentityHandler(options: ManagedIdentityEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (url.pathname !== IDENTITY_PATH) throw identityError(404, `No such path: ${url.pathname}`);
    if (req.method !== 'GET') throw identityError(405, 'Only GET is supported.');
    if (req.headers['x-identity-header'] !== options.identityHeader) {
      // The real endpoint refuses callers that don't know the sandbox secret (SSRF protection).
      throw identityError(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
    }
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion !== '2019-08-01') {
      throw identityError(400, `api-version '${apiVersion ?? ''}' is not supported; use 2019-08-01.`);
    }
    const resource = url.searchParams.get('resource');
    if (!resource) throw identityError(400, 'The resource query parameter is required.');
    const fault = takeFault(options.faults());
    if (fault) {
      throw new StandinHttpError(
        fault.status,
        {
          statusCode: fault.status,
          message: `Injected fault: managed identity endpoint answered ${fault.status}.`,
          correlationId: randomUUID(),
        },
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }
    const identity = selectIdentity(url, options);
    const { token, expiresOn } = issueToken(
      {
        aud: resource,
        iss: `https://sts.windows.net/${options.tenantId}/`,
        oid: identity.principalId,
        sub: identity.principalId,
        appid: identity.clientId,
        tid: options.tenantId,
        ...(identity.resourceId ? { xms_mirid: identity.resourceId } : {}),
      },
      options.tokenLifetimeSeconds,
    );
    options.onIssued();
    sendJson(res, 200, {
      access_token: token,
      expires_on: String(expiresOn),
      resource,
      token_type: 'Bearer',
      client_id: identity.clientId,
    });
  };
}
