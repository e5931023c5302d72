// The alert rules aks-aiops deploys (infra/containerInsightsAlerts.json, infra/prometheusRules.json) as the webhook
// receives them: each selects a playbook, and the Container Insights ones name their object in the `Name` dimension,
// which the normaliser must read (the pod in KubePodInventory, the involved object in KubeEvents).
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { parseCommonAlert } from '../../../shared/diagnostics/alertSchema.js';
import { normalizeAlert } from '../../../shared/diagnostics/normalizeAlert.js';
import { DEFAULT_PLAYBOOK, findPlaybook } from '../../../shared/diagnostics/playbooks.js';

type CiRule = { name: string; query: string; dimensions: string[] };
const ciRules = JSON.parse(fs.readFileSync('infra/containerInsightsAlerts.json', 'utf8')) as CiRule[];
const promRules = JSON.parse(fs.readFileSync('infra/prometheusRules.json', 'utf8')) as Array<{ alert: string }>;
// Log search alerts put the ARM id of the cluster in ClusterId, as Container Insights writes it.
const parseAlert = (body: string) => parseCommonAlert(body, { maxBytes: 1024 * 1024 });
const CLUSTER =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-aks/providers/microsoft.containerservice/managedclusters/aks-prod';

/** A Log Alerts V2 payload of one of our rules (deployed as `<name>-<suffix per workspace>`), with these dimensions. */
function logAlert(rule: string, dimensions: Record<string, string>): string {
  return JSON.stringify({
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/${rule}`,
        alertRule: `${rule}-4x2kq7mzv3abc`,
        severity: 'Sev2',
        signalType: 'Log',
        monitorCondition: 'Fired',
        monitoringService: 'Log Alerts V2',
        alertTargetIDs: [
          '/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-logs/providers/microsoft.operationalinsights/workspaces/ws-aks',
        ],
        firedDateTime: '2026-11-22T10:00:00.0000000Z',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        conditionType: 'LogQueryCriteria',
        condition: {
          windowSize: 'PT15M',
          allOf: [
            {
              searchQuery: 'KubePodInventory',
              operator: 'GreaterThan',
              threshold: '0',
              timeAggregation: 'Count',
              dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })),
              metricValue: 1,
            },
          ],
        },
      },
    },
  });
}

describe("the app's own alert rules", () => {
  it('every Container Insights and Prometheus rule selects a playbook', () => {
    for (const r of ciRules)
      expect({ rule: r.name, playbook: findPlaybook([`${r.name}-4x2kq7mzv3abc`]).id }).not.toEqual({
        rule: r.name,
        playbook: DEFAULT_PLAYBOOK.id,
      });
    for (const r of promRules)
      expect({ rule: r.alert, playbook: findPlaybook([r.alert]).id }).not.toEqual({
        rule: r.alert,
        playbook: DEFAULT_PLAYBOOK.id,
      });
    expect(findPlaybook(['KubeContainerOOMKilled']).id).toBe('oom-killed');
    expect(findPlaybook(['aks-aiops-ci-oom-killed-4x2kq7mzv3abc']).id).toBe('oom-killed');
  });

  it('the OOM rule names the pod through its Name dimension', () => {
    const rule = ciRules.find((r) => r.name === 'aks-aiops-ci-oom-killed')!;
    expect(rule.dimensions).toEqual(['ClusterId', 'Namespace', 'Name']);
    const alert = normalizeAlert(
      parseAlert(logAlert(rule.name, { ClusterId: CLUSTER, Namespace: 'shop', Name: 'cart-7d9f8b-x2x9k' })),
    );
    expect(alert.target).toMatchObject({ namespace: 'shop', pod: 'cart-7d9f8b-x2x9k', clusterName: 'aks-prod' });
    expect(alert.target.clusterId?.toLowerCase()).toBe(CLUSTER);
    expect(alert.playbook).toBe('oom-killed');
  });

  it('every pod rule (KubePodInventory) yields the pod', () => {
    for (const r of ciRules.filter((r) => r.dimensions.includes('Name') && !r.dimensions.includes('ObjectKind'))) {
      const alert = normalizeAlert(
        parseAlert(logAlert(r.name, { ClusterId: CLUSTER, Namespace: 'shop', Name: 'web-0' })),
      );
      expect({ rule: r.name, pod: alert.target.pod }).toEqual({ rule: r.name, pod: 'web-0' });
    }
  });

  it('an event rule names a pod, a node or a workload by ObjectKind', () => {
    const events = ciRules.find((r) => r.name === 'aks-aiops-ci-warning-events')!;
    expect(events.dimensions).toContain('ObjectKind');
    const of = (kind: string, name: string) =>
      normalizeAlert(
        parseAlert(
          logAlert(events.name, {
            ClusterId: CLUSTER,
            Namespace: 'shop',
            Name: name,
            ObjectKind: kind,
            Reason: 'BackOff',
          }),
        ),
      ).target;
    expect(of('Pod', 'web-0')).toMatchObject({ pod: 'web-0' });
    expect(of('Node', 'aks-system-123-vmss000001')).toMatchObject({ node: 'aks-system-123-vmss000001' });
    expect(of('Node', 'aks-system-123-vmss000001').pod).toBeUndefined();
    expect(of('Deployment', 'web')).toMatchObject({ workload: 'web', workloadKind: 'Deployment' });
  });

  it('Name without a Container Insights ClusterId is not taken for a pod', () => {
    const alert = normalizeAlert(parseAlert(logAlert('some-other-rule', { Name: 'whatever', Namespace: 'shop' })));
    expect(alert.target.pod).toBeUndefined();
  });
});
