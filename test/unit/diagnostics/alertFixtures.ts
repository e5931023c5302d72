// The documented alert payloads as full common-schema envelopes: context-only samples are combined with the
// essentials of their monitoring service.
import fs from 'node:fs';
import path from 'node:path';

export const ALERT_FIXTURES = 'test/fixtures/alerts';
const read = (f: string) => fs.readFileSync(path.join(ALERT_FIXTURES, f), 'utf8');

/** The essentials the documentation pairs with each context-only sample. */
const SERVICE_BY_CONTEXT: Record<string, { monitoringService: string; signalType: string }> = {
  'context-activity-log-administrative.json': {
    monitoringService: 'Activity Log - Administrative',
    signalType: 'Activity Log',
  },
  'context-activity-log-autoscale.json': { monitoringService: 'Activity Log - Autoscale', signalType: 'Activity Log' },
  'context-activity-log-policy.json': { monitoringService: 'Activity Log - Policy', signalType: 'Activity Log' },
  'context-activity-log-security.json': { monitoringService: 'Activity Log - Security', signalType: 'Activity Log' },
  'context-log-alerts-v2.json': { monitoringService: 'Log Alerts V2', signalType: 'Log' },
  'context-simple-log-alert.json': { monitoringService: 'Log Alerts V2', signalType: 'Log' },
  'context-log-search-app-insights-v1.json': { monitoringService: 'Application Insights', signalType: 'Log' },
  'context-log-search-log-analytics-v1.json': { monitoringService: 'Log Analytics', signalType: 'Log' },
  'context-prometheus.json': { monitoringService: 'Prometheus', signalType: 'Metric' },
  'context-resource-health.json': { monitoringService: 'Resource Health', signalType: 'Activity Log' },
  'context-service-health.json': { monitoringService: 'ServiceHealth', signalType: 'Activity Log' },
  'context-service-health-common-schema-page.json': { monitoringService: 'ServiceHealth', signalType: 'Activity Log' },
};

export function envelopeFor(file: string): string {
  const doc = JSON.parse(read(file)) as Record<string, unknown>;
  if ('schemaId' in doc) return JSON.stringify(doc);
  const s = SERVICE_BY_CONTEXT[file];
  if (!s) throw new Error(`no essentials for ${file}`);
  return JSON.stringify({
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/${file}`,
        alertRule: `rule-${file}`,
        severity: 'Sev2',
        signalType: s.signalType,
        monitorCondition: 'Fired',
        monitoringService: s.monitoringService,
        alertTargetIDs: [
          '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/microsoft.monitor/accounts/amw',
        ],
        configurationItems: ['aks-prod-1'],
        originAlertId: null,
        firedDateTime: '2026-11-22T10:00:00.0000000Z',
        description: null,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: doc.alertContext,
    },
  });
}

export const alertFixtureFiles = (): string[] =>
  fs
    .readdirSync(ALERT_FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();
