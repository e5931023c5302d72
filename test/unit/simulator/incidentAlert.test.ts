// The closed-loop alerts: valid common-schema envelopes, shaped like the recommended AKS rule that fires for each
// incident type, naming objects that exist in the simulated cluster, and stable per incident (retries de-duplicate).
import { describe, expect, it } from '@jest/globals';
import { commonAlertSchema } from '../../../shared/diagnostics/alertSchema.js';
import { normalizeAlert } from '../../../shared/diagnostics/normalizeAlert.js';
import { buildIncidentAlert } from '../../../shared/simulator/alerts/incidentAlert.js';
import { buildClusterModel } from '../../../shared/simulator/cluster/buildClusterModel.js';
import { INCIDENT_TYPES, type Incident, type IncidentType } from '../../../shared/simulator/incidents/incident.js';
import type { ServiceName } from '../../../shared/simulator/services.js';

const cluster = {
  seed: 42,
  clusterName: 'aks-sim',
  clusterId:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim',
};

function incident(type: IncidentType, service: ServiceName = 'payment-service'): Incident {
  return {
    id: `inc-mht1ab00-0000${type.length.toString(16).padStart(4, '0')}`,
    type,
    service,
    severity: 'high',
    startedAt: '2026-11-18T14:00:00.000Z',
    endsAt: '2026-11-18T14:30:00.000Z',
    durationMinutes: 30,
    description: type,
    createdAt: '2026-11-18T14:00:00.000Z',
  };
}

describe('buildIncidentAlert', () => {
  it.each(INCIDENT_TYPES)('%s: a valid common-schema alert carrying the incident id', (type) => {
    const payload = buildIncidentAlert(incident(type), cluster);
    expect(commonAlertSchema.safeParse(payload).success).toBe(true);
    expect(payload.data.essentials.monitorCondition).toBe('Fired');
    expect(payload.data.essentials.severity).toBe('Sev1');
    expect(payload.data.customProperties?.['aks-aiops.incidentId']).toBe(incident(type).id);
    // Same incident, same alert id: the webhook's de-duplication works across retries.
    expect(buildIncidentAlert(incident(type), cluster).data.essentials.alertId).toBe(payload.data.essentials.alertId);
  });

  it('pod_crash fires KubePodCrashLooping from managed Prometheus naming the cluster and a crash-looping pod', () => {
    const payload = buildIncidentAlert(incident('pod_crash', 'user-service'), cluster);
    const e = payload.data.essentials;
    expect(e.monitoringService).toBe('Prometheus');
    expect(e.alertRule).toBe('KubePodCrashLooping');
    expect(e.configurationItems).toEqual(['aks-sim']);
    expect(String((e.alertTargetIDs as string[])[0])).toMatch(/microsoft\.monitor\/accounts\//);
    const labels = payload.data.alertContext.labels as Record<string, string>;
    expect(labels).toMatchObject({
      alertname: 'KubePodCrashLooping',
      cluster: 'aks-sim',
      namespace: 'production',
      reason: 'CrashLoopBackOff',
    });
    // The pod exists in the simulated cluster and is crash-looping there.
    const model = buildClusterModel(cluster, Date.parse('2026-11-18T14:00:50Z'), [
      incident('pod_crash', 'user-service'),
    ]);
    const pod = model.pods.find((p) => p.name === labels.pod);
    expect(pod?.state).toMatchObject({ kind: 'waiting', reason: 'CrashLoopBackOff' });
  });

  it('memory_leak fires "Number of OOM killed containers is greater than 0" on the cluster resource id', () => {
    const payload = buildIncidentAlert(incident('memory_leak'), cluster);
    const e = payload.data.essentials;
    expect(e.alertRule).toBe('Number of OOM killed containers is greater than 0');
    expect(e.monitoringService).toBe('Platform');
    expect(e.alertTargetIDs).toEqual([cluster.clusterId.toLowerCase()]);
    const criteria = (payload.data.alertContext.condition as { allOf: Array<Record<string, unknown>> }).allOf[0];
    expect(criteria).toMatchObject({
      metricName: 'oomKilledContainerCount',
      metricNamespace: 'Insights.Container/pods',
      operator: 'GreaterThan',
      threshold: '0',
    });
    const normalized = normalizeAlert(commonAlertSchema.parse(payload));
    expect(normalized.concernsKubernetes).toBe(true);
  });

  it('bad_deployment and config_error fire KubeContainerWaiting for the waiting pod of the new ReplicaSet', () => {
    for (const type of ['bad_deployment', 'config_error'] as const) {
      const payload = buildIncidentAlert(incident(type), cluster);
      const labels = payload.data.alertContext.labels as Record<string, string>;
      expect(labels.alertname).toBe('KubeContainerWaiting');
      const model = buildClusterModel(cluster, Date.parse('2026-11-18T14:00:50Z'), [incident(type)]);
      const pod = model.pods.find((p) => p.name === labels.pod);
      expect(pod?.state.kind).toBe('waiting');
    }
  });
});
