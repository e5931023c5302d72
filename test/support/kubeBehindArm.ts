// AKS clusters as the app reaches them, made of two local stand-ins: the simulated Kubernetes API server, serving the
// objects a test gives it, and the local ARM, which lists the clusters and hands out that server and its CA through
// listClusterUserCredential. The API server accepts only tokens the local managed identity issued for the AKS server
// application (AKS_SERVER_APP_ID), as a cluster with Entra ID integration does. ARM needs the API server's URL, so
// the server starts first and its token check is bound to ARM's issuer once ARM is up.
import { ensureLocalTls, type LocalTls } from '../../dev/tls.js';
import {
  AKS_SERVER_APP_ID,
  startLocalAzure,
  type LocalAzure,
  type LocalAzureOptions,
  type LocalCluster,
} from '../../dev/standins/localAzure.js';
import {
  startKubeApiServer,
  type KubeApiServer,
  type KubeApiServerOptions,
} from '../../shared/simulator/kubeApi/kubeApiServer.js';

export interface KubeBehindArmOptions extends Omit<LocalAzureOptions, 'tls' | 'clusters'> {
  /** The clusters ARM lists; every one of them is served by the one simulated API server. */
  clusters: Array<Omit<LocalCluster, 'kubeApiUrl' | 'caPem'>>;
  /** What the API server serves, and its hooks and faults. */
  kube: Omit<KubeApiServerOptions, 'tls' | 'authenticate' | 'token'>;
  /** Sees every bearer token sent to the API server, before it is checked. */
  onKubeToken?: (token: string | undefined) => void;
  /** Default: the local certificate, ensureLocalTls('.data'). */
  tls?: LocalTls;
}

export interface KubeBehindArm {
  tls: LocalTls;
  kube: KubeApiServer;
  local: LocalAzure;
  close(): Promise<void>;
}

export async function startKubeBehindArm(options: KubeBehindArmOptions): Promise<KubeBehindArm> {
  const { clusters, kube: kubeOptions, onKubeToken, ...azureOptions } = options;
  const tls = options.tls ?? (await ensureLocalTls('.data'));
  let verify: (token: string | undefined) => 'ok' | 'unauthorized' | 'forbidden' = () => 'unauthorized';
  const kube = await startKubeApiServer({
    ...kubeOptions,
    tls,
    authenticate: (token) => {
      onKubeToken?.(token);
      return verify(token);
    },
  });
  const local = await startLocalAzure({
    ...azureOptions,
    tls,
    clusters: clusters.map((c) => ({ ...c, kubeApiUrl: kube.url, caPem: tls.cert })),
  }).catch(async (err: unknown) => {
    await kube.close();
    throw err;
  });
  verify = (token) => local.verifyToken(token, AKS_SERVER_APP_ID);
  return {
    tls,
    kube,
    local,
    close: async () => {
      await Promise.all([local.close(), kube.close()]);
    },
  };
}
