// percentile() in the local KQL subset: Kusto's nearest-rank definition and column naming
// (https://learn.microsoft.com/kusto/query/percentiles-aggregation-function), and the timespan pre-filter that keeps
// a short query over a long history from converting every row.
import { describe, expect, it } from '@jest/globals';
import { runKql } from '../../../dev/standins/kql/kqlSubset.js';

const NOW = new Date('2026-11-30T12:00:00Z');

function table(values: Array<[string, number]>) {
  return new Map([
    [
      'Perf',
      values.map(([instance, v], i) => ({
        TimeGenerated: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
        InstanceName: instance,
        CounterValue: v,
      })),
    ],
  ]);
}

describe('percentile()', () => {
  // 1..20: nearest rank of p95 is ceil(0.95 * 20) = 19 -> 19; p50 -> rank 10 -> 10; p100 -> 20; p0 -> the smallest.
  const tables = table(Array.from({ length: 20 }, (_, i) => ['a', 20 - i] as [string, number]));

  it.each([
    [95, 19],
    [50, 10],
    [100, 20],
    [0, 1],
    [99.5, 20],
  ])('p%s of 1..20 is %s (nearest rank)', (p, expected) => {
    const result = runKql(`Perf | summarize percentile(CounterValue, ${p})`, { tables, now: NOW, window: {} });
    expect(result.rows).toEqual([[expected]]);
  });

  it('names its column percentile_<column>_<p>, with "_" for a decimal point, as Kusto does', () => {
    const result = runKql(
      'Perf | summarize percentile(CounterValue, 95), percentile(CounterValue, 99.9) by InstanceName',
      {
        tables,
        now: NOW,
        window: {},
      },
    );
    expect(result.columns.map((c) => c.name)).toEqual([
      'InstanceName',
      'percentile_CounterValue_95',
      'percentile_CounterValue_99_9',
    ]);
  });

  it('is computed per group and ignores nulls', () => {
    const t = table([
      ['a', 1],
      ['a', 100],
      ['b', 5],
    ]);
    t.get('Perf')!.push({
      TimeGenerated: NOW.toISOString(),
      InstanceName: 'b',
      CounterValue: null as unknown as number,
    });
    const result = runKql(
      'Perf | summarize P = percentile(CounterValue, 50) by InstanceName | order by InstanceName asc',
      {
        tables: t,
        now: NOW,
        window: {},
      },
    );
    expect(result.rows).toEqual([
      ['a', 1],
      ['b', 5],
    ]);
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => runKql('Perf | summarize percentile(CounterValue, 120)', { tables, now: NOW, window: {} })).toThrow(
      /between 0 and 100/,
    );
  });
});

describe('the request timespan', () => {
  it('keeps only rows inside it, whatever their order', () => {
    const tables = table(Array.from({ length: 10 }, (_, i) => ['a', i] as [string, number]));
    // Rows are 1..10 minutes old: a 5-minute window keeps five of them.
    const result = runKql('Perf | count', {
      tables,
      now: NOW,
      window: { start: new Date(NOW.getTime() - 5 * 60_000), end: NOW },
    });
    expect(result.rows).toEqual([[5]]);
  });
});
