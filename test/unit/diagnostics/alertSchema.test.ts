// Every documented common-schema payload is accepted and normalised; bad input is refused with a reason.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { parseCommonAlert, ENABLE_COMMON_SCHEMA_HINT } from '../../../shared/diagnostics/alertSchema.js';
import { normalizeAlert, resolveAlertCluster } from '../../../shared/diagnostics/normalizeAlert.js';
import { ValidationError } from '../../../shared/errors.js';
import { ALERT_FIXTURES, envelopeFor } from './alertFixtures.js';

const MAX = 256 * 1024;
const read = (f: string) => fs.readFileSync(path.join(ALERT_FIXTURES, f), 'utf8');

const fixtures = fs.readdirSync(ALERT_FIXTURES).filter((f) => f.endsWith('.json'));

describe('common alert schema', () => {
  it.each(fixtures)('accepts and normalises %s', (file) => {
    const alert = parseCommonAlert(envelopeFor(file), {
      maxBytes: MAX,
      contentType: 'application/json; charset=utf-8',
    });
    const n = normalizeAlert(alert);
    expect(n.alertId).toBe(alert.data.essentials.alertId);
    expect(n.diagnosisId).toMatch(/^dg-[0-9a-f]{32}$/);
    expect(['Fired', 'Resolved']).toContain(n.condition);
    expect(n.signal).not.toBe('unknown');
    expect(Number.isNaN(Date.parse(n.firedAt))).toBe(false);
  });

  it('classifies each variant by monitoring service', () => {
    const kind = (f: string) => normalizeAlert(parseCommonAlert(envelopeFor(f), { maxBytes: MAX })).signal;
    expect(kind('metric-static-threshold.json')).toBe('metric');
    expect(kind('metric-availability-test.json')).toBe('availability_test');
    expect(kind('log-alert-v2.json')).toBe('log');
    expect(kind('log-alert-v1-metric-measurement.json')).toBe('log');
    expect(kind('context-prometheus.json')).toBe('prometheus');
    expect(kind('resource-health.json')).toBe('resource_health');
    expect(kind('service-health.json')).toBe('service_health');
    expect(kind('smart-detector.json')).toBe('smart_detector');
    expect(kind('activity-log-administrative.json')).toBe('activity_log');
  });

  it('reads the cluster of a managed Prometheus alert from labels, not from the workspace target', async () => {
    const n = normalizeAlert(parseCommonAlert(envelopeFor('context-prometheus.json'), { maxBytes: MAX }));
    expect(n.target.clusterName).toBe('myCluster1');
    expect(n.target.clusterId).toBeUndefined();
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/myCluster1';
    const resolved = await resolveAlertCluster(n, async (name) => (name === 'myCluster1' ? id : undefined));
    expect(resolved.target.clusterId).toBe(id);
  });

  it('maps kube-prometheus labels and Container insights dimensions to the target', () => {
    const prom = JSON.parse(envelopeFor('context-prometheus.json')) as {
      data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown> };
    };
    prom.data.essentials.alertRule = 'KubePodCrashLooping';
    prom.data.alertContext.labels = {
      cluster: 'aks-prod-1',
      namespace: 'shop',
      pod: 'checkout-7d4b9c6f5-x2k8p',
      container: 'checkout',
      alertname: 'KubePodCrashLooping',
    };
    const n = normalizeAlert(parseCommonAlert(JSON.stringify(prom), { maxBytes: MAX }));
    expect(n.target).toMatchObject({
      clusterName: 'aks-prod-1',
      namespace: 'shop',
      pod: 'checkout-7d4b9c6f5-x2k8p',
      container: 'checkout',
    });
    expect(n.playbook).toBe('pod-crash-looping');
    expect(n.concernsKubernetes).toBe(true);

    const metric = JSON.parse(read('metric-static-threshold.json')) as {
      data: {
        essentials: Record<string, unknown>;
        alertContext: { condition: { allOf: Array<Record<string, unknown>> } };
      };
    };
    const aks =
      '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod-1';
    metric.data.essentials.alertTargetIDs = [aks];
    metric.data.alertContext.condition.allOf[0] = {
      metricName: 'oomKilledContainerCount',
      metricNamespace: 'Insights.Container/pods',
      operator: 'GreaterThan',
      threshold: '0',
      timeAggregation: 'Average',
      metricValue: 1,
      dimensions: [
        { name: 'controllerName', value: 'checkout' },
        { name: 'kubernetes namespace', value: 'shop' },
      ],
    };
    const m = normalizeAlert(parseCommonAlert(JSON.stringify(metric), { maxBytes: MAX }));
    expect(m.target).toMatchObject({
      clusterId: aks,
      clusterName: 'aks-prod-1',
      namespace: 'shop',
      workload: 'checkout',
    });
    expect(m.playbook).toBe('oom-killed');
  });

  it('does not treat a VM metric alert as a Kubernetes alert', () => {
    expect(
      normalizeAlert(parseCommonAlert(read('metric-static-threshold.json'), { maxBytes: MAX })).concernsKubernetes,
    ).toBe(false);
  });

  const refuse = (body: string, contentType?: string, maxBytes = MAX) => {
    try {
      parseCommonAlert(body, { maxBytes, contentType });
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return err as ValidationError;
    }
    throw new Error('accepted');
  };

  it('refuses bad input with the reason', () => {
    expect(refuse('{not json').message).toMatch(/not valid JSON/);
    expect(refuse('[]').message).toMatch(/JSON object/);
    const legacy = refuse(JSON.stringify({ context: {}, status: 'Activated' }));
    expect(legacy.message).toMatch(/common alert schema/);
    expect(legacy.problems).toContain(ENABLE_COMMON_SCHEMA_HINT);
    const missing = JSON.parse(read('log-alert-v2.json')) as { data: { essentials: Record<string, unknown> } };
    delete missing.data.essentials.alertId;
    missing.data.essentials.monitorCondition = 'Maybe';
    const e = refuse(JSON.stringify(missing));
    expect(e.problems.join('\n')).toMatch(/data\.essentials\.alertId/);
    expect(e.problems.join('\n')).toMatch(/data\.essentials\.monitorCondition/);
    expect(refuse(read('log-alert-v2.json'), 'text/plain').message).toMatch(/Content-Type/);
    const big = refuse(read('log-alert-v2.json'), undefined, 100);
    expect(big.statusCode).toBe(413);
  });
});
