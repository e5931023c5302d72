// The shop's objects beyond its Deployments: the api-gateway HorizontalPodAutoscaler (autoscaling/v2 status as the
// HPA controller writes it), the payment-service PodDisruptionBudget, the Ingress and its class (AKS app routing),
// AKS's built-in StorageClasses with one bound claim and volume, and a nightly CronJob with its last Job.
import { SERVICES } from '../../services.js';
import { APP_NAMESPACE } from '../clusterModel.js';
import { templateHash } from '../seededRandom.js';
import { controllerRef, iso, meta, type Obj, type RenderContext } from './wire.js';

function renderAutoscaling({ cluster, rv, createdMs }: RenderContext): Obj[] {
  const ns = APP_NAMESPACE;
  const objects: Obj[] = [];
  const gw = cluster.hpa;
  objects.push({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('api-gateway', ns, `${templateHash(cluster.seed, 90)}-hpa`, createdMs + 3600_000, rv),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-gateway' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    },
    status: {
      currentReplicas: gw.currentReplicas,
      desiredReplicas: gw.desiredReplicas,
      currentMetrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: {
              averageUtilization: gw.currentCpuUtilization,
              averageValue: `${Math.round((gw.currentCpuUtilization * 250) / 100)}m`,
            },
          },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          reason: gw.desiredReplicas !== gw.currentReplicas ? 'SucceededRescale' : 'ReadyForNewScale',
          message:
            gw.desiredReplicas !== gw.currentReplicas
              ? `the HPA controller was able to update the target scale to ${gw.desiredReplicas}`
              : 'recommended size matches current size',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
        {
          type: 'ScalingActive',
          status: 'True',
          reason: 'ValidMetricFound',
          message:
            'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
        {
          type: 'ScalingLimited',
          status: 'False',
          reason: 'DesiredWithinRange',
          message: 'the desired count is within the acceptable range',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
      ],
    },
  });
  const paymentHealthy = cluster.pods.filter((p) => p.service === 'payment-service' && p.ready).length;
  objects.push({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta('payment-service', ns, `${templateHash(cluster.seed, 91)}-pdb`, createdMs + 3600_000, rv, {
      generation: 1,
    }),
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'payment-service' } } },
    status: {
      observedGeneration: 1,
      disruptionsAllowed: Math.max(0, paymentHealthy - 1),
      currentHealthy: paymentHealthy,
      desiredHealthy: 1,
      expectedPods: SERVICES['payment-service'].replicas,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: paymentHealthy > 1 ? 'True' : 'False',
          reason: paymentHealthy > 1 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: 1,
          lastTransitionTime: iso(createdMs + 3700_000),
        },
      ],
    },
  });
  return objects;
}

function renderIngressAndStorage({ cluster, rv, createdMs }: RenderContext): Obj[] {
  const ns = APP_NAMESPACE;
  const objects: Obj[] = [];
  objects.push(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta(
        'webapprouting.kubernetes.azure.com',
        undefined,
        `${templateHash(cluster.seed, 92)}-ic`,
        createdMs,
        rv,
        { labels: { 'app.kubernetes.io/managed-by': 'aks-app-routing-operator' } },
      ),
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('api-gateway', ns, `${templateHash(cluster.seed, 93)}-ing`, createdMs + 3600_000, rv, {
        generation: 1,
      }),
      spec: {
        ingressClassName: 'webapprouting.kubernetes.azure.com',
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'api-gateway', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '20.81.112.34' }] } },
    },
  );
  const sc = (name: string, provisioner: string, params: Obj, isDefault = false) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: meta(name, undefined, `${templateHash(cluster.seed, 94, name.length)}-sc`, createdMs, rv, {
      labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists', 'kubernetes.io/cluster-service': 'true' },
      ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    }),
    provisioner,
    parameters: params,
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  objects.push(
    sc('default', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }, true),
    sc('managed-csi', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }),
    sc('managed-csi-premium', 'disk.csi.azure.com', { skuname: 'Premium_LRS' }),
    sc('azurefile-csi', 'file.csi.azure.com', { skuName: 'Standard_LRS' }),
  );
  const pvName = `pvc-${templateHash(cluster.seed, 95).slice(0, 8)}-4c1e-4b5a-9f3d-${templateHash(cluster.seed, 96).slice(0, 10)}00`;
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('notification-outbox', ns, `${templateHash(cluster.seed, 97)}-pvc`, createdMs + 3600_000, rv, {
        annotations: {
          'pv.kubernetes.io/bind-completed': 'yes',
          'volume.kubernetes.io/storage-provisioner': 'disk.csi.azure.com',
        },
        finalizers: ['kubernetes.io/pvc-protection'],
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '8Gi' } },
        storageClassName: 'managed-csi',
        volumeMode: 'Filesystem',
        volumeName: pvName,
      },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '8Gi' } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(pvName, undefined, `${templateHash(cluster.seed, 98)}-pv`, createdMs + 3600_000, rv, {
        annotations: { 'pv.kubernetes.io/provisioned-by': 'disk.csi.azure.com' },
        finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'],
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '8Gi' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'notification-outbox', namespace: ns },
        csi: {
          driver: 'disk.csi.azure.com',
          volumeHandle: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${cluster.nodeResourceGroup.toLowerCase()}/providers/Microsoft.Compute/disks/${pvName}`,
          fsType: 'ext4',
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'managed-csi',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    },
  );
  return objects;
}

function renderNightlyJob({ cluster, rv, createdMs }: RenderContext): Obj[] {
  const ns = APP_NAMESPACE;
  const dayMs = 24 * 3600_000;
  const lastRunMs =
    Math.floor(cluster.nowMs / dayMs) * dayMs + 2 * 3600_000 - (cluster.nowMs % dayMs < 2 * 3600_000 ? dayMs : 0);
  const jobName = `report-generator-${Math.floor(lastRunMs / 60_000)}`;
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('report-generator', ns, `${templateHash(cluster.seed, 99)}-cj`, createdMs + 3600_000, rv, {
        generation: 1,
      }),
      spec: {
        schedule: '0 2 * * *',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'report', image: 'acraiopsdemo.azurecr.io/report-generator:1.4.0' }],
              },
            },
          },
        },
      },
      status: { lastScheduleTime: iso(lastRunMs), lastSuccessfulTime: iso(lastRunMs + 94_000) },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(jobName, ns, `${templateHash(cluster.seed, 100)}-job`, lastRunMs, rv, {
        labels: { 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName },
        ownerReferences: [
          controllerRef('batch/v1', 'CronJob', 'report-generator', `${templateHash(cluster.seed, 99)}-cj`),
        ],
      }),
      spec: {
        backoffLimit: 2,
        completions: 1,
        parallelism: 1,
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'report', image: 'acraiopsdemo.azurecr.io/report-generator:1.4.0' }],
          },
        },
      },
      status: {
        startTime: iso(lastRunMs),
        completionTime: iso(lastRunMs + 94_000),
        succeeded: 1,
        ready: 0,
        terminating: 0,
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: iso(lastRunMs + 94_000),
            lastTransitionTime: iso(lastRunMs + 94_000),
          },
        ],
      },
    },
  ];
}

export function renderShopExtras(ctx: RenderContext): Obj[] {
  return [...renderAutoscaling(ctx), ...renderIngressAndStorage(ctx), ...renderNightlyJob(ctx)];
}
