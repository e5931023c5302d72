// The local managed-identity endpoint through the real @azure/identity ManagedIdentityCredential (MSAL's App
// Service source), plus the raw contract for what the SDK does not show (header check, error shapes).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { issueToken } from '../../../dev/standins/tokenIssuer.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
const ARM_SCOPE = 'https://management.azure.com/.default';
const CLUSTER_ID =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-a/providers/Microsoft.ContainerService/managedClusters/aks-a';

let local: LocalAzure;

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-standins-identity',
    clusters: [
      {
        id: CLUSTER_ID,
        location: 'westeurope',
        kubernetesVersion: '1.31.8',
        kubeApiUrl: 'https://127.0.0.1:6443',
        caPem: tls.cert,
      },
    ],
  });
  // MSAL reads these when the credential is created and picks its source once per process.
  useLocalIdentity(local);
});

afterAll(async () => {
  clearLocalIdentity();
  await local.close();
});

describe('managed identity endpoint with @azure/identity', () => {
  it('issues an AKS Entra server token the kube API server hook accepts, and only for that audience', async () => {
    const credential = new ManagedIdentityCredential();
    const token = await credential.getToken(AKS_SCOPE);
    expect(token.token.split('.')).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3600_000);
    const claims = claimsOf(token.token);
    expect(claims.aud).toBe('6dae42f8-4368-4678-94ff-3960e28e3630');
    expect(claims.oid).toBe(local.identities.systemAssigned.principalId);
    expect(claims.appid).toBe(local.identities.systemAssigned.clientId);
    expect(claims.tid).toBe(local.tenantId);
    expect(local.verifyToken(token.token, '6dae42f8-4368-4678-94ff-3960e28e3630')).toBe('ok');
    expect(local.verifyToken(token.token, AKS_SCOPE)).toBe('ok');
    // A token for the AKS server app is not an ARM token.
    expect(local.verifyToken(token.token, 'https://management.azure.com/')).toBe('unauthorized');
  });

  it('issues ARM tokens and MSAL serves repeated requests from its cache', async () => {
    const credential = new ManagedIdentityCredential();
    const first = await credential.getToken(ARM_SCOPE);
    const issued = local.issuedTokens();
    const again = await credential.getToken(ARM_SCOPE);
    expect(again.token).toBe(first.token);
    expect(local.issuedTokens()).toBe(issued);
    expect(local.verifyToken(first.token, 'https://management.azure.com/')).toBe('ok');
    expect(local.verifyToken(first.token, 'https://management.azure.com')).toBe('ok');
  });

  it('issues tokens for a known user-assigned identity and refuses an unknown client id like Azure does', async () => {
    const [uami] = local.identities.userAssigned;
    const token = await new ManagedIdentityCredential({ clientId: uami?.clientId ?? '' }).getToken(ARM_SCOPE);
    expect(claimsOf(token.token).appid).toBe(uami?.clientId);
    expect(claimsOf(token.token).xms_mirid).toBe(uami?.resourceId);

    const byResourceId = await new ManagedIdentityCredential({ resourceId: uami?.resourceId ?? '' }).getToken(
      AKS_SCOPE,
    );
    expect(claimsOf(byResourceId.token).oid).toBe(uami?.principalId);

    await expect(
      new ManagedIdentityCredential({ clientId: '99999999-9999-9999-9999-999999999999' }).getToken(ARM_SCOPE),
    ).rejects.toThrow(/Unable to load the proper Managed Identity/);
  });

  it('verifyToken rejects tampered and expired tokens and reports forbidden audiences', async () => {
    const token = (await new ManagedIdentityCredential().getToken(AKS_SCOPE)).token;
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claimsOf(token), oid: 'someone-else' })).toString('base64url')}.${s}`;
    expect(p).toBeDefined();
    expect(local.verifyToken(tampered, AKS_SCOPE)).toBe('unauthorized');
    expect(local.verifyToken(undefined, AKS_SCOPE)).toBe('unauthorized');
    expect(local.verifyToken('not-a-jwt', AKS_SCOPE)).toBe('unauthorized');

    const expired = issueToken(
      { aud: '6dae42f8-4368-4678-94ff-3960e28e3630', iss: 'x', oid: 'o', sub: 'o', appid: 'a', tid: local.tenantId },
      0,
    );
    expect(local.verifyToken(expired.token, AKS_SCOPE)).toBe('unauthorized');

    local.faults.forbiddenAudiences = ['6dae42f8-4368-4678-94ff-3960e28e3630'];
    try {
      expect(local.verifyToken(token, AKS_SCOPE)).toBe('forbidden');
    } finally {
      delete local.faults.forbiddenAudiences;
    }
    expect(local.verifyToken(token, AKS_SCOPE)).toBe('ok');
  });

  it('follows the App Service contract: secret header, api-version and resource are required', async () => {
    const base = new URL(local.identityEndpoint);
    base.searchParams.set('api-version', '2019-08-01');
    base.searchParams.set('resource', 'https://management.azure.com');

    const noHeader = await fetch(base);
    expect(noHeader.status).toBe(401);

    const ok = await fetch(base, { headers: { 'X-IDENTITY-HEADER': local.identityHeader } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_on).toMatch(/^\d+$/);

    const oldApi = new URL(base);
    oldApi.searchParams.set('api-version', '2017-09-01');
    const old = await fetch(oldApi, { headers: { 'X-IDENTITY-HEADER': local.identityHeader } });
    expect(old.status).toBe(400);

    const noResource = new URL(base);
    noResource.searchParams.delete('resource');
    const missing = await fetch(noResource, { headers: { 'X-IDENTITY-HEADER': local.identityHeader } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/resource/);
  });

  it('injected identity faults surface to the caller and then clear', async () => {
    local.faults.identity = { failNext: 1, status: 500 };
    const url = new URL(local.identityEndpoint);
    url.searchParams.set('api-version', '2019-08-01');
    url.searchParams.set('resource', 'https://monitor.azure.com');
    const failed = await fetch(url, { headers: { 'X-IDENTITY-HEADER': local.identityHeader } });
    expect(failed.status).toBe(500);
    const next = await fetch(url, { headers: { 'X-IDENTITY-HEADER': local.identityHeader } });
    expect(next.status).toBe(200);
  });
});
