// The finding contract of the anomaly source on generated series: which series become findings (a recent, likely
// and material break of the baseline), what an anomaly.* finding carries (the workload or node, the score, the
// window, the baseline, the observed value, the reproducing query, the catalogue's remediation), source order and
// error reporting of the signal source, and the regional metrics endpoint.
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../shared/config/config.js';
import {
  createAnomalySignalSource,
  metricsEndpointFor,
  sendsContainerInsights,
} from '../../../shared/metrics/anomalySignalSource.js';
import { describeVerdict } from '../../../shared/metrics/anomalyFinding.js';
import { scoreSeries } from '../../../shared/metrics/scoreSeries.js';
import type { MetricReader, MetricSeries } from '../../../shared/metrics/types.js';
import { checkEntry } from '../../../shared/sweep/catalogue.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-a';
const OPTIONS = { now: new Date(NOW), recentMs: 15 * MINUTE, minChange: 0.3 };

/** Deterministic noise in [-1, 1). */
function noise(i: number, seed = 1): number {
  let x = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return ((x ^ (x >>> 13)) >>> 0) / 2 ** 31 - 1;
}

function series(value: (i: number) => number, overrides: Partial<MetricSeries> = {}, n = 240): MetricSeries {
  return {
    metric: 'cpu-usage',
    unit: 'cores',
    subject: { kind: 'workload', namespace: 'shop', name: 'checkout', workloadKind: 'Deployment' },
    source: 'container-insights',
    query: 'Perf | where CounterName == "cpuUsageNanoCores"',
    points: Array.from({ length: n }, (_, i) => ({ t: NOW - (n - 1 - i) * MINUTE, v: value(i) })),
    reference: { request: 0.5 },
    ...overrides,
  };
}

const score = (value: (i: number) => number) => scoreSeries(series(value), OPTIONS);

describe('scoreSeries', () => {
  const quiet = (i: number) => 0.3 + 0.02 * noise(i);

  it('finds nothing on a noisy but steady series', () => {
    for (let seed = 1; seed <= 20; seed++)
      expect(
        scoreSeries(
          series((i) => 0.3 + 0.02 * noise(i, seed)),
          OPTIONS,
        ),
      ).toBeUndefined();
  });

  it('reports a level shift of +70 % in the newest minutes, with the broken baseline and the observed value', () => {
    const v = score((i) => (i >= 232 ? 0.51 : quiet(i)));
    expect(v).toBeDefined();
    expect(v?.at).toBeGreaterThan(NOW - 15 * MINUTE);
    expect(v?.observed).toBeGreaterThan(0.45);
    expect(v?.expected).toBeGreaterThan(0.25);
    expect(v?.expected).toBeLessThan(0.35);
    expect(v?.likelihood).toBeGreaterThanOrEqual(0.5);
    expect(v?.points).toBe(240);
  });

  it('ignores a spike that is over before the newest minutes (the earlier sweep reported it)', () => {
    expect(score((i) => (i === 200 ? 0.9 : quiet(i)))).toBeUndefined();
  });

  it('does not report a one-minute burst in the newest minutes that is over by the next point', () => {
    expect(score((i) => (i === 234 ? 0.6 : quiet(i)))).toBeUndefined();
    // The same value held to the newest point is a finding.
    expect(score((i) => (i >= 234 ? 0.6 : quiet(i)))).toBeDefined();
  });

  it('does not report a statistically clear but immaterial change (under minChange of the baseline)', () => {
    const tight = (i: number) => (i >= 232 ? 0.33 : 0.3 + 0.001 * noise(i));
    expect(scoreSeries(series(tight), OPTIONS)).toBeUndefined();
    expect(scoreSeries(series(tight), { ...OPTIONS, minChange: 0.05 })).toBeDefined();
  });

  it('reports restarts on a workload that never restarts (counts: one whole unit is material)', () => {
    const restarts = series((i) => (i === 236 ? 2 : 0), { metric: 'restarts', unit: 'count', reference: undefined });
    expect(scoreSeries(restarts, OPTIONS)?.observed).toBe(2);
  });

  it('needs enough history: a short series is never reported', () => {
    expect(
      scoreSeries(
        series((i) => (i >= 50 ? 0.9 : quiet(i)), {}, 60),
        OPTIONS,
      ),
    ).toBeUndefined();
  });
});

describe('an anomaly.* finding', () => {
  it('names the workload and carries the score, window, baseline, observed value and query', () => {
    const s = series((i) => (i >= 232 ? 0.51 : 0.3 + 0.02 * noise(i)));
    const v = scoreSeries(s, OPTIONS);
    if (!v) throw new Error('no verdict');
    const f = describeVerdict(v, checkEntry('anomaly.cpu-usage'));
    expect(f).toMatchObject({
      check: 'anomaly.cpu-usage',
      severity: 'warning',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      remediation: checkEntry('anomaly.cpu-usage')?.fix,
      docsUrl: checkEntry('anomaly.cpu-usage')?.docsUrl,
    });
    expect(f.message).toMatch(
      /^The CPU usage of Deployment shop\/checkout is 0\.5\d\d cores at \d\d:\d\d UTC, above its baseline of 0\.\d+ cores \(\+?\d+ %\): anomaly score 0\.\d\d; request 0\.500 cores \(\d+ % of it\)\.$/,
    );
    expect(f.evidence[0]).toMatch(/^score 0\.\d{3} \(anomaly likelihood/);
    expect(f.evidence[1]).toMatch(/^baseline: .* expected 0\.\d+ cores, observed 0\.5\d\d cores, z \d/);
    expect(f.evidence[2]).toMatch(/^window: 2026-11-30T08:01:00\.000Z to .*, 240 points from Container Insights$/);
    expect(f.evidence[3]).toBe(`query: ${s.query}`);
  });

  it('names nodes and the cluster with their ARM/Kubernetes kinds', () => {
    const node = series((i) => (i >= 232 ? 90 : 40 + noise(i)), {
      metric: 'node-memory',
      unit: 'percent',
      subject: { kind: 'node', name: 'aks-system-1' },
      reference: undefined,
    });
    const v = scoreSeries(node, OPTIONS);
    if (!v) throw new Error('no verdict');
    expect(describeVerdict(v, checkEntry('anomaly.node-memory'))).toMatchObject({
      check: 'anomaly.node-memory',
      kind: 'Node',
      name: 'aks-system-1',
      namespace: undefined,
    });
  });

  it('has a catalogue entry in the anomaly family for every metric the readers produce', () => {
    const metrics = ['cpu-usage', 'memory-working-set', 'restarts', 'pod-count', 'pods-not-ready'];
    for (const m of [...metrics, 'node-cpu', 'node-memory', 'node-disk', 'pods-pending', 'pods-failed'])
      expect(checkEntry(`anomaly.${m}`)).toMatchObject({ family: 'anomaly', state: 'live' });
  });
});

describe('the anomaly signal source', () => {
  const config = loadConfig({});
  const reader = (source: MetricReader['source'], result: MetricSeries[] | Error): MetricReader => ({
    source,
    read: async () => {
      if (result instanceof Error) throw result;
      return result;
    },
  });
  const input = { clusterId: CLUSTER, config, abortSignal: new AbortController().signal, now: new Date(NOW) };
  const shift = (source: MetricSeries['source'], name = 'checkout') =>
    series((i) => (i >= 232 ? 0.51 : 0.3 + 0.02 * noise(i)), {
      source,
      subject: { kind: 'workload', namespace: 'shop', name },
    });

  it('takes a series two sources offer from the first, and reports what a source could not read', async () => {
    const source = createAnomalySignalSource(() => [
      reader('container-insights', [shift('container-insights')]),
      reader('prometheus', new Error('query endpoint answered 503')),
      reader('platform-metrics', [shift('platform-metrics'), shift('platform-metrics', 'cart')]),
    ]);
    const result = await source.collect(input);
    expect(result.errors).toEqual(['metrics: prometheus: query endpoint answered 503']);
    expect(result.drafts.map((d) => d.name).sort()).toEqual(['cart', 'checkout']);
    const checkout = result.drafts.find((d) => d.name === 'checkout');
    expect(checkout?.evidence[2]).toContain('from Container Insights');
  });

  it('says why it read no platform metrics when the cluster has no location, without failing the sweep', async () => {
    const result = await createAnomalySignalSource().collect({ ...input, cluster: { location: '' } });
    expect(result).toEqual({
      drafts: [],
      errors: ['metrics: platform-metrics: the cluster location is unknown, so its regional metrics endpoint is too'],
    });
  });

  it('is off with ANOMALY_DETECTION=false', async () => {
    const source = createAnomalySignalSource(() => [reader('container-insights', [shift('container-insights')])]);
    const off = await source.collect({ ...input, config: loadConfig({ ANOMALY_DETECTION: 'false' }) });
    expect(off).toEqual({ drafts: [], errors: [] });
  });

  it('knows which clusters send Container Insights and where their metrics endpoint is', () => {
    expect(sendsContainerInsights({ location: 'x', addonProfiles: { omsagent: { enabled: true } } })).toBe(true);
    expect(sendsContainerInsights({ location: 'x', addonProfiles: { omsAgent: { enabled: false } } })).toBe(false);
    expect(sendsContainerInsights(undefined)).toBe(false);
    expect(metricsEndpointFor(config, { location: 'West Europe' })).toBe(
      'https://westeurope.metrics.monitor.azure.com',
    );
    expect(metricsEndpointFor(loadConfig({ METRICS_ENDPOINT: 'https://127.0.0.1:9' }), { location: 'x' })).toBe(
      'https://127.0.0.1:9',
    );
  });
});
