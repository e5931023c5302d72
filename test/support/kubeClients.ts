// The @kubernetes/client-node clients a test reads a (simulated) cluster with, built from a kubeconfig's text.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';

export function kubeConfigFrom(kubeconfig: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc;
}

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** For what has no typed client here: metrics.k8s.io, autoscaling/v2 HorizontalPodAutoscalers. */
  custom: CustomObjectsApi;
}

export function kubeClients(kubeconfig: string): KubeClients {
  const kc = kubeConfigFrom(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}
