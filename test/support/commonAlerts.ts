// Alerts in the Azure Monitor common alert schema, as an action group posts them to the webhook. The envelope and the
// essentials fields are those of https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema; the
// documented samples themselves live in test/fixtures/alerts. Tests build the alerts they post here and say only
// what their alert is about.

const ALERTS = '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts';
let sequence = 0;

/** A fresh alert id (the worker's ledger keys on it), tagged with the test that made it. */
export const newAlertId = (tag: string): string => `${ALERTS}/${tag}-${++sequence}-${Date.now()}`;

export interface AlertEssentials {
  alertId: string;
  alertRule: string;
  severity: string;
  signalType: string;
  monitorCondition: 'Fired' | 'Resolved';
  monitoringService: string;
  alertTargetIDs: string[];
  configurationItems?: string[];
  firedDateTime: string;
  resolvedDateTime?: string;
}

/** The envelope around `essentials` and `alertContext`; unless told otherwise the alert is a metric alert, Sev2,
 * fired now. */
export function commonAlert(
  essentials: Partial<AlertEssentials> &
    Pick<AlertEssentials, 'alertId' | 'alertRule' | 'monitoringService' | 'alertTargetIDs'>,
  alertContext: Record<string, unknown>,
): { schemaId: 'azureMonitorCommonAlertSchema'; data: { essentials: AlertEssentials; alertContext: unknown } } {
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        severity: 'Sev2',
        signalType: 'Metric',
        monitorCondition: 'Fired',
        firedDateTime: new Date().toISOString(),
        ...essentials,
      },
      alertContext,
    },
  };
}

/** The alert context of a platform metric alert rule on Container insights pod metrics
 * (SingleResourceMultipleMetricCriteria, one criterion over five minutes), split by `dimensions`. */
export function podMetricAlertContext(criterion: {
  metricName: string;
  operator: 'GreaterThan' | 'LessThan';
  threshold: string;
  metricValue: number;
  dimensions: Record<string, string>;
}): Record<string, unknown> {
  const { dimensions, ...measured } = criterion;
  return {
    conditionType: 'SingleResourceMultipleMetricCriteria',
    condition: {
      windowSize: 'PT5M',
      allOf: [
        {
          metricNamespace: 'Insights.Container/pods',
          timeAggregation: 'Average',
          ...measured,
          dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })),
        },
      ],
    },
  };
}
