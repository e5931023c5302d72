// JWT-shaped access tokens for the local managed identity, signed with HMAC-SHA256 under a per-process secret.
// Every stand-in (ARM, Logs Ingestion, Log Analytics, the simulated Kubernetes API) verifies them the way the real
// services do: signature, expiry (with a configurable clock skew, 0 by default so short-lived tokens in tests
// really expire) and audience.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per process, not per stand-in instance: MSAL caches tokens process-wide, so a token must stay valid. */
const SIGNING_SECRET = randomBytes(32);

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  appid: string;
  tid: string;
  idtyp: 'app';
  xms_mirid?: string;
  uti: string;
}

export type TokenVerdict =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'audience'; claims?: TokenClaims };

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sign(input: string): Buffer {
  return createHmac('sha256', SIGNING_SECRET).update(input).digest();
}

/**
 * Audiences compare the way Entra resources are written: `https://management.azure.com`,
 * `https://management.azure.com/` and the scope `https://management.azure.com/.default` name the same resource.
 */
export function normalizeAudience(audienceOrScope: string): string {
  return audienceOrScope
    .replace(/\/\.default$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

export function issueToken(
  claims: Omit<TokenClaims, 'iat' | 'nbf' | 'exp' | 'uti' | 'idtyp'>,
  lifetimeSeconds: number,
): {
  token: string;
  expiresOn: number;
} {
  const now = Math.floor(Date.now() / 1000);
  const full: TokenClaims = {
    ...claims,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    idtyp: 'app',
    uti: randomBytes(12).toString('base64url'),
  };
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'aks-aiops-local' }));
  const payload = base64url(JSON.stringify(full));
  const signature = sign(`${header}.${payload}`).toString('base64url');
  return { token: `${header}.${payload}.${signature}`, expiresOn: full.exp };
}

/**
 * Verifies a token for a service that accepts several audiences (one resource written with two hosts, as ARM's
 * management.azure.com and management.core.windows.net): the verdict for the first audience the token names, else
 * the last verdict.
 */
export function verifyForAudiences(token: string | undefined, audiences: readonly string[]): TokenVerdict {
  let verdict: TokenVerdict = { ok: false, reason: 'audience' };
  for (const audience of audiences) {
    verdict = verifyIssuedToken(token, audience);
    if (verdict.ok || verdict.reason !== 'audience') return verdict;
  }
  return verdict;
}

/**
 * Whether the identity has no role on the service: the tests' `forbiddenAudiences` fault names one of its audiences
 * (the token still verifies; the service answers 403).
 */
export function isForbiddenAudience(audiences: readonly string[], forbiddenAudiences: string[] | undefined): boolean {
  const forbidden = forbiddenAudiences?.map(normalizeAudience) ?? [];
  return audiences.some((a) => forbidden.includes(normalizeAudience(a)));
}

export function verifyIssuedToken(token: string | undefined, audience: string, clockSkewSeconds = 0): TokenVerdict {
  if (!token) return { ok: false, reason: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header = '', payload = '', signature = ''] = parts;
  const expected = sign(`${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp + clockSkewSeconds <= now)
    return { ok: false, reason: 'expired', claims };
  if (typeof claims.nbf === 'number' && claims.nbf - clockSkewSeconds > now)
    return { ok: false, reason: 'expired', claims };
  if (normalizeAudience(String(claims.aud)) !== normalizeAudience(audience))
    return { ok: false, reason: 'audience', claims };
  return { ok: true, claims };
}
