// The Azure Monitor alert (common alert schema) that Azure's recommended AKS alert rules would fire for a simulated
// incident: Prometheus community rules from the managed Prometheus rule group (KubePodCrashLooping,
// KubeContainerWaiting, ...) and platform / Container insights metric rules on the cluster's resource id. Shapes follow
// the payload samples in Microsoft's documentation (test/fixtures/simulator/alerts hold examples this builder makes).
// Affected pods and controllers are read from the simulated cluster at the incident's start, so the alert names
// objects that exist.
import { createHash } from 'node:crypto';
import { buildClusterModel } from '../cluster/buildClusterModel.js';
import { APP_NAMESPACE, type ClusterModel, type PodModel } from '../cluster/clusterModel.js';
import type { Incident, Severity } from '../incidents/incident.js';

export interface AlertCluster {
  seed: number;
  clusterName: string;
  /** ARM id of the managed cluster. */
  clusterId: string;
  /** Region of the Azure Monitor workspace and rule group (default eastus). */
  region?: string;
}

export interface CommonAlertPayload {
  schemaId: 'azureMonitorCommonAlertSchema';
  data: {
    essentials: Record<string, unknown>;
    alertContext: Record<string, unknown>;
    customProperties: Record<string, string> | null;
  };
}

const SEV: Record<Severity, string> = { low: 'Sev3', medium: 'Sev2', high: 'Sev1', critical: 'Sev0' };

/** A stable GUID from text: the same incident always yields the same alert id (webhook retries de-duplicate). */
function guidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function armParts(clusterId: string): { subscription: string; resourceGroup: string } {
  return {
    subscription: /\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? '00000000-0000-0000-0000-000000000000',
    resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(clusterId)?.[1] ?? 'rg-aiops-sim',
  };
}

function firstPod(model: ClusterModel, incident: Incident, pick: (p: PodModel) => boolean): PodModel | undefined {
  return model.pods
    .filter((p) => p.service === incident.service)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .find(pick);
}

interface PrometheusRule {
  alertname: string;
  /** The team's own rule group (default: the recommended AKS rule group, whose rules have community runbooks). */
  customGroup?: string;
  expression: string;
  for: string;
  labels: Record<string, string>;
  description: string;
  value: string;
}

interface MetricRule {
  alertRule: string;
  targetId: string;
  metricNamespace: string;
  metricName: string;
  threshold: string;
  operator: string;
  timeAggregation: string;
  dimensions: Array<{ name: string; value: string }>;
  metricValue: number;
  windowSize: string;
  description: string;
}

function ruleFor(incident: Incident, model: ClusterModel, cluster: AlertCluster): PrometheusRule | MetricRule {
  const ns = APP_NAMESPACE;
  const c = cluster.clusterName;
  const pod = (pick: (p: PodModel) => boolean) =>
    firstPod(model, incident, pick) ?? firstPod(model, incident, () => true);
  switch (incident.type) {
    case 'pod_crash': {
      const p = pod((x) => x.state.kind === 'waiting' && x.state.reason === 'CrashLoopBackOff');
      return {
        alertname: 'KubePodCrashLooping',
        expression:
          'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1',
        for: 'PT15M',
        labels: {
          cluster: c,
          namespace: ns,
          pod: p?.name ?? '',
          container: p?.containerName ?? incident.service,
          job: 'kube-state-metrics',
          reason: 'CrashLoopBackOff',
          uid: p?.uid ?? '',
        },
        description: `Pod ${ns}/${p?.name ?? ''} (${p?.containerName ?? ''}) is in waiting state (reason: "CrashLoopBackOff") in cluster ${c}.`,
        value: '1',
      };
    }
    case 'memory_leak': {
      const p = pod((x) => x.lastTerminated?.reason === 'OOMKilled');
      return {
        alertRule: 'Number of OOM killed containers is greater than 0',
        targetId: cluster.clusterId,
        metricNamespace: 'Insights.Container/pods',
        metricName: 'oomKilledContainerCount',
        threshold: '0',
        operator: 'GreaterThan',
        timeAggregation: 'Average',
        dimensions: [
          { name: 'kubernetes namespace', value: ns },
          { name: 'controllerName', value: p?.owner.name ?? incident.service },
        ],
        metricValue: 1,
        windowSize: 'PT5M',
        description: 'This alert monitors number of containers killed due to out of memory (OOM) error',
      };
    }
    case 'bad_deployment':
    case 'config_error': {
      const reason = incident.type === 'bad_deployment' ? /ImagePull|ErrImage/ : /CreateContainerConfigError/;
      const p = pod((x) => x.state.kind === 'waiting' && reason.test(x.state.reason));
      return {
        alertname: 'KubeContainerWaiting',
        expression:
          'sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0',
        for: 'PT1H',
        labels: { cluster: c, namespace: ns, pod: p?.name ?? '', container: p?.containerName ?? incident.service },
        description: `pod/${p?.name ?? ''} in namespace ${ns} on container ${p?.containerName ?? ''} has been in waiting state for longer than 1 hour. (cluster ${c})`,
        value: '1',
      };
    }
    case 'latency_spike': {
      const ready = model.pods.filter(
        (p) => p.service === incident.service && p.owner.kind === 'ReplicaSet' && p.ready,
      ).length;
      const total = model.deployments.find((d) => d.service === incident.service)?.replicas ?? 1;
      return {
        alertname: 'KubePodReadyStateLow',
        expression:
          'sum by (cluster,namespace,deployment)(kube_deployment_status_replicas_ready) / sum by (cluster,namespace,deployment)(kube_deployment_spec_replicas) <.8 or sum by (cluster,namespace,deployment)(kube_daemonset_status_number_ready) / sum by (cluster,namespace,deployment)(kube_daemonset_status_desired_number_scheduled) <.8 ',
        for: 'PT5M',
        labels: { cluster: c, namespace: ns, deployment: incident.service },
        description: `Ready state of pods is less than 80% for deployment ${ns}/${incident.service} in cluster ${c}.`,
        value: String(Math.round((ready / total) * 1000) / 1000),
      };
    }
    case 'cpu_spike': {
      const p = pod(() => true);
      return {
        alertname: 'KubeContainerAverageCPUHigh',
        expression:
          'sum (rate(container_cpu_usage_seconds_total{image!="", container!="POD"}[5m])) by (pod,cluster,container,namespace) / sum(container_spec_cpu_quota{image!="", container!="POD"}/container_spec_cpu_period{image!="", container!="POD"}) by (pod,cluster,container,namespace) > .95',
        for: 'PT5M',
        labels: { cluster: c, namespace: ns, pod: p?.name ?? '', container: p?.containerName ?? incident.service },
        description: `Average CPU usage per container is greater than 95% for ${ns}/${p?.name ?? ''} in cluster ${c}.`,
        value: '0.97',
      };
    }
    case 'node_pressure': {
      const p = pod(() => true);
      return {
        alertRule: 'Node memory working set percentage is greater than 100%',
        targetId: cluster.clusterId,
        metricNamespace: 'Microsoft.ContainerService/managedClusters',
        metricName: 'node_memory_working_set_percentage',
        threshold: '100',
        operator: 'GreaterThan',
        timeAggregation: 'Average',
        dimensions: [{ name: 'node', value: p?.nodeName ?? '' }],
        metricValue: 103.4,
        windowSize: 'PT5M',
        description: 'Node memory working set percentage is greater than 100%',
      };
    }
    case 'error_spike': {
      // A rule of the team's own managed Prometheus rule group (the recommended AKS rules have no HTTP rule): the
      // 5xx share of each pod's requests, from the application's http_requests_total, above 5% for 5 minutes.
      const p = pod(() => true);
      return {
        alertname: 'HTTPErrorRateHigh',
        customGroup: 'ServiceAlerts',
        expression:
          'sum by (cluster, namespace, pod) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (cluster, namespace, pod) (rate(http_requests_total[5m])) > 0.05',
        for: 'PT5M',
        labels: { cluster: c, namespace: ns, pod: p?.name ?? '' },
        description: `More than 5% of the requests of ${ns}/${p?.name ?? ''} fail with HTTP 5xx in cluster ${c}.`,
        value: '0.112',
      };
    }
  }
}

/**
 * The common-schema alert for `incident` on `cluster`. Pure: the same incident and cluster always give the same
 * payload (alertId included), so a retried post de-duplicates on the receiving side.
 */
export function buildIncidentAlert(incident: Incident, cluster: AlertCluster): CommonAlertPayload {
  const startMs = Date.parse(incident.startedAt);
  // The cluster as the rule saw it: a minute into the incident, when the signal exists.
  const model = buildClusterModel(cluster, startMs + 50_000, [incident]);
  const rule = ruleFor(incident, model, cluster);
  const { subscription, resourceGroup } = armParts(cluster.clusterId);
  const alertGuid = guidOf(`${cluster.clusterId}|${incident.id}`);
  const firedDateTime = new Date(startMs + 60_000).toISOString();
  const customProperties = {
    'aks-aiops.incidentId': incident.id,
    'aks-aiops.incidentType': incident.type,
    'aks-aiops.service': incident.service,
  };

  if ('alertname' in rule) {
    const ruleGroup = `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.AlertsManagement/prometheusRuleGroups/${rule.customGroup ?? 'KubernetesRecommendedAlerts'}-${cluster.clusterName}`;
    return {
      schemaId: 'azureMonitorCommonAlertSchema',
      data: {
        essentials: {
          alertId: `/subscriptions/${subscription}/providers/Microsoft.AlertsManagement/alerts/${alertGuid}`,
          alertRule: rule.alertname,
          alertRuleID: ruleGroup,
          severity: SEV[incident.severity],
          signalType: 'Metric',
          monitorCondition: 'Fired',
          monitoringService: 'Prometheus',
          // Managed Prometheus alerts target the Azure Monitor workspace; the cluster is in configurationItems.
          alertTargetIDs: [
            `/subscriptions/${subscription}/resourcegroups/${resourceGroup.toLowerCase()}/providers/microsoft.monitor/accounts/amw-${cluster.clusterName}`,
          ],
          configurationItems: [cluster.clusterName],
          originAlertId: guidOf(`${rule.alertname}|${JSON.stringify(rule.labels)}`),
          firedDateTime,
          description: rule.description,
          essentialsVersion: '1.0',
          alertContextVersion: '1.0',
          investigationLink: `https://portal.azure.com/#view/Microsoft_Azure_Monitoring_Alerts/Investigation.ReactView/alertId/%2fsubscriptions%2f${subscription}%2fproviders%2fMicrosoft.AlertsManagement%2falerts%2f${alertGuid}`,
        },
        alertContext: {
          interval: 'PT1M',
          expression: rule.expression,
          expressionValue: rule.value,
          for: rule.for,
          labels: { alertname: rule.alertname, ...rule.labels, severity: 'warning' },
          annotations: {
            description: rule.description,
            ...(rule.customGroup
              ? {}
              : { runbook_url: `https://aka.ms/aks-alerts/community-runbooks/${rule.alertname}` }),
          },
          ruleGroup,
        },
        customProperties,
      },
    };
  }
  const ruleId = `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/microsoft.insights/metricAlerts/${encodeURIComponent(rule.alertRule.replace(/[^A-Za-z0-9-]+/g, '-'))}-${cluster.clusterName}`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${subscription}/providers/Microsoft.AlertsManagement/alerts/${alertGuid}`,
        alertRule: rule.alertRule,
        alertRuleID: ruleId,
        severity: SEV[incident.severity],
        signalType: 'Metric',
        monitorCondition: 'Fired',
        monitoringService: 'Platform',
        alertTargetIDs: [rule.targetId.toLowerCase()],
        configurationItems: [rule.targetId.split('/').pop() ?? cluster.clusterName],
        originAlertId: `${subscription}_${resourceGroup}_microsoft.insights_metricAlerts_${rule.metricName.replace(/\W/g, '')}-${cluster.clusterName}_${guidOf(incident.id).slice(0, 10)}`,
        firedDateTime,
        description: rule.description,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        properties: null,
        conditionType: 'SingleResourceMultipleMetricCriteria',
        condition: {
          windowSize: rule.windowSize,
          allOf: [
            {
              metricName: rule.metricName,
              metricNamespace: rule.metricNamespace,
              operator: rule.operator,
              threshold: rule.threshold,
              timeAggregation: rule.timeAggregation,
              dimensions: rule.dimensions,
              metricValue: rule.metricValue,
              webTestName: null,
            },
          ],
          windowStartTime: new Date(startMs - 4 * 60_000).toISOString(),
          windowEndTime: firedDateTime,
        },
      },
      customProperties,
    },
  };
}

/**
 * Posts the alert to the app's webhook. Never throws: a failing webhook must not fail the incident creation, so the
 * outcome is returned for the caller to log.
 */
export async function postIncidentAlert(
  url: string,
  payload: CommonAlertPayload,
  options: { abortSignal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ ok: boolean; status?: number; error?: string }> {
  try {
    const signal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, AbortSignal.timeout(options.timeoutMs ?? 10_000)])
      : AbortSignal.timeout(options.timeoutMs ?? 10_000);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
    });
    await res.arrayBuffer();
    return { ok: res.ok, status: res.status };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
