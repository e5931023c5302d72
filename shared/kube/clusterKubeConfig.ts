// How the sweep (and diagnostics) reach a cluster's Kubernetes API.
//  - In Azure: `getKubeConfigForCluster` — server and CA from listClusterUserCredential, and a bearer token for the
//    AKS Entra server application from the app's managed identity, asked for on every request (and refreshed five
//    minutes before it expires). Clusters with local accounts only cannot be reached this way.
//  - In the CLI: `kubeConfigFromFile` — a kubeconfig file and context, as kubectl uses them.
import { KubeConfig, type User } from '@kubernetes/client-node';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AppConfig } from '../config/config.js';
import { AksAiopsError, ValidationError, ensureErrorType } from '../errors.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { createContainerServiceClient } from '../azure/arm/armClients.js';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../outbound/timeouts.js';
import { parseManagedClusterId } from '../azure/arm/managedClusterId.js';
import { existsSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';

/** The cluster has no Entra ID integration: the managed identity has no way in. */
export class LocalAccountsOnlyError extends AksAiopsError {
  readonly remediation =
    'Enable AKS-managed Microsoft Entra integration (`az aks update --enable-aad --enable-azure-rbac`) and grant the sweep identity "Azure Kubernetes Service RBAC Reader"; consider --disable-local-accounts.';
}

const AUTH_PROVIDER = 'aks-aiops-managed-identity';
/** Ask for a new token this long before the current one expires. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Hands out a bearer token for `scope`, renewing it before expiry; one per cluster connection. */
export function createTokenProvider(
  credential: TokenCredential,
  scope: string,
): (abortSignal?: AbortSignal) => Promise<string> {
  let current: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  return async (abortSignal) => {
    const now = Date.now();
    const refreshAt = current
      ? Math.min(current.refreshAfterTimestamp ?? Infinity, current.expiresOnTimestamp - REFRESH_MARGIN_MS)
      : 0;
    if (current && now < refreshAt) return current.token;
    pending ??= credential
      .getToken(scope, { abortSignal })
      .then((t) => {
        if (!t) throw new AksAiopsError(`The managed identity returned no token for ${scope}`);
        current = t;
        return t;
      })
      .finally(() => {
        pending = undefined;
      });
    try {
      return (await pending).token;
    } catch (err) {
      // A token that is still valid beats no token while the identity endpoint hiccups.
      if (current && now < current.expiresOnTimestamp - 30_000) return current.token;
      throw new AksAiopsError(
        `Could not get a token for the Kubernetes API (${scope}): ${ensureErrorType(err).message}`,
        { cause: err },
      );
    }
  };
}

/** A KubeConfig whose requests carry a bearer token from `getToken`, via @kubernetes/client-node's authenticator hook. */
export function kubeConfigWithTokenProvider(
  server: { name: string; server: string; caData?: string; skipTLSVerify?: boolean },
  getToken: () => Promise<string>,
): KubeConfig {
  const kc = new KubeConfig();
  const user: User = { name: 'aks-aiops', authProvider: { name: AUTH_PROVIDER, config: {} } };
  kc.loadFromOptions({
    clusters: [
      { name: server.name, server: server.server, caData: server.caData, skipTLSVerify: server.skipTLSVerify ?? false },
    ],
    users: [user],
    contexts: [{ name: server.name, cluster: server.name, user: user.name }],
    currentContext: server.name,
  });
  kc.addAuthenticator({
    // User.authProvider is untyped in @kubernetes/client-node (config_types.d.ts): read its name through a guard.
    isAuthProvider: (u) => authProviderName(u.authProvider) === AUTH_PROVIDER,
    // Both option shapes the client passes (https.RequestOptions, ws ClientOptions) carry `headers`.
    applyAuthentication: async (_u, opts: { headers?: OutgoingHttpHeaders }) => {
      const token = await getToken();
      opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${token}` };
    },
  });
  return kc;
}

function authProviderName(provider: unknown): unknown {
  return typeof provider === 'object' && provider !== null && 'name' in provider ? provider.name : undefined;
}

export interface ClusterKubeAccess {
  kubeConfig: KubeConfig;
  server: string;
}

/**
 * The KubeConfig to reach an AKS cluster as the app's managed identity. Stable API, shared with diagnostics.
 * Throws LocalAccountsOnlyError when the cluster has no Entra integration, ValidationError for a malformed id, and
 * the ARM error (with cause) when the credential cannot be listed.
 */
export async function getKubeConfigForCluster(
  clusterId: string,
  options: {
    config: Pick<AppConfig, 'ARM_ENDPOINT' | 'AZURE_CLIENT_ID' | 'AKS_SERVER_SCOPE'>;
    abortSignal?: AbortSignal;
    credential?: TokenCredential;
    /** The managedCluster resource when the caller already has it (saves a GET). */
    cluster?: ManagedCluster;
  },
): Promise<KubeConfig> {
  return (await getClusterKubeAccess(clusterId, options)).kubeConfig;
}

export async function getClusterKubeAccess(
  clusterId: string,
  options: Parameters<typeof getKubeConfigForCluster>[1],
): Promise<ClusterKubeAccess> {
  const id = parseManagedClusterId(clusterId);
  const credential = options.credential ?? getManagedIdentityCredential(options.config);
  const client = createContainerServiceClient(options.config, id.subscriptionId, credential);
  const cluster =
    options.cluster ??
    (await withTimeout('ARM (read managed cluster)', OUTBOUND_TIMEOUT_MS.arm, options.abortSignal, (abortSignal) =>
      client.managedClusters.get(id.resourceGroup, id.name, { abortSignal }),
    ));
  if (!cluster.aadProfile) {
    throw new LocalAccountsOnlyError(
      `Cluster ${id.name} uses local accounts only (no aadProfile): the managed identity cannot authenticate to its Kubernetes API.`,
    );
  }
  const creds = await withTimeout(
    'ARM (listClusterUserCredential)',
    OUTBOUND_TIMEOUT_MS.arm,
    options.abortSignal,
    (abortSignal) => client.managedClusters.listClusterUserCredentials(id.resourceGroup, id.name, { abortSignal }),
  );
  const value = creds.kubeconfigs?.[0]?.value;
  if (!value) throw new AksAiopsError(`listClusterUserCredential for ${id.name} returned no kubeconfig`);
  const fromArm = new KubeConfig();
  fromArm.loadFromString(Buffer.from(value).toString('utf8'));
  const c = fromArm.getCurrentCluster() ?? fromArm.getClusters()[0];
  if (!c) throw new AksAiopsError(`The kubeconfig of ${id.name} names no cluster`);
  const getToken = createTokenProvider(credential, options.config.AKS_SERVER_SCOPE);
  return {
    kubeConfig: kubeConfigWithTokenProvider({ name: id.name, server: c.server, caData: c.caData }, () =>
      getToken(options.abortSignal),
    ),
    server: c.server,
  };
}

/** A kubeconfig file (or the default locations) and optionally a context, as kubectl resolves them. */
export function kubeConfigFromFile(filePath?: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  if (filePath) {
    if (!existsSync(filePath)) throw new ValidationError(`--kubeconfig ${filePath}: no such file`);
    kc.loadFromFile(filePath);
  } else {
    kc.loadFromDefault();
  }
  if (context) {
    if (!kc.getContextObject(context)) {
      throw new ValidationError(
        `--context ${context}: not in the kubeconfig (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new ValidationError('The kubeconfig has no current context; pass --context');
  return kc;
}
