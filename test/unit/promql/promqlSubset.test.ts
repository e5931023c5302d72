// The local Prometheus stand-in's PromQL subset: what the reader sends parses and evaluates as Prometheus would, and
// everything outside the subset is refused with bad_data instead of being answered wrongly.
import { describe, expect, it } from '@jest/globals';
import {
  evaluateAt,
  histogramQuantile,
  parsePromQl,
  PromQlError,
  type RawSeries,
  type SeriesStore,
} from '../../../dev/standins/promql/promqlSubset.js';
import { thrownBy } from '../../support/thrown.js';

const MIN = 60_000;
const counter = (labels: Record<string, string>, perMinute: number, minutes = 30): RawSeries => ({
  labels,
  samples: Array.from({ length: minutes }, (_, i) => [i * MIN, perMinute * (i + 1)] as [number, number]),
});
const gauge = (labels: Record<string, string>, value: number, minutes = 30): RawSeries => ({
  labels,
  samples: Array.from({ length: minutes }, (_, i) => [i * MIN, value] as [number, number]),
});
const SERIES: RawSeries[] = [
  counter({ __name__: 'http_requests_total', pod: 'a-1', code: '200' }, 600),
  counter({ __name__: 'http_requests_total', pod: 'a-1', code: '503' }, 60),
  counter({ __name__: 'http_requests_total', pod: 'a-2', code: '200' }, 1200),
  counter({ __name__: 'http_requests_total', pod: 'b-1', code: '200' }, 6),
  gauge({ __name__: 'mem', pod: 'a-1' }, 100),
  gauge({ __name__: 'mem', pod: 'a-2' }, 300),
];
const store: SeriesStore = (metric, matchers, from, to) =>
  SERIES.filter(
    (s) =>
      (metric === undefined || s.labels.__name__ === metric) &&
      matchers.every((m) => {
        const v = s.labels[m.name] ?? '';
        const re = new RegExp(`^(?:${m.value})$`);
        return m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? re.test(v) : !re.test(v);
      }),
  ).map((s) => ({ ...s, samples: s.samples.filter(([t]) => t >= from && t <= to) }));

const at = (q: string, t = 20 * MIN) => {
  const v = evaluateAt(parsePromQl(q), [t], store)[0]!;
  return v.kind === 'scalar' ? v.value : v.samples.map((s) => [s.labels, s.value]);
};

describe('PromQL subset: evaluation', () => {
  it.each<[string, string, unknown]>([
    // a counter growing 600 per minute is 10 per second
    ['rate of one series', 'rate(http_requests_total{pod="a-1", code="200"}[5m])', [[{ pod: 'a-1', code: '200' }, 10]]],
    [
      'increase is rate times the range',
      'increase(http_requests_total{pod="a-1", code="200"}[5m])',
      [[{ pod: 'a-1', code: '200' }, 3000]],
    ],
    ['sum without grouping drops every label', 'sum(rate(http_requests_total{pod=~"a-.*"}[5m]))', [[{}, 31]]],
    [
      'sum by keeps the named labels',
      'sum by (pod) (rate(http_requests_total{pod=~"a-.*"}[5m]))',
      [
        [{ pod: 'a-1' }, 11],
        [{ pod: 'a-2' }, 20],
      ],
    ],
    [
      'by after the parenthesis',
      'max(mem) by (pod)',
      [
        [{ pod: 'a-1' }, 100],
        [{ pod: 'a-2' }, 300],
      ],
    ],
    ['regexes are anchored: "a" does not match "a-1"', 'sum(mem{pod=~"a"})', []],
    ['negative regex', 'count(mem{pod!~"a-1"})', [[{}, 1]]],
    ['avg and min', 'avg(mem) - min(mem)', [[{}, 100]]],
    [
      'ratio of two aggregated vectors (error rate)',
      'sum(rate(http_requests_total{pod="a-1", code=~"5.."}[5m])) / sum(rate(http_requests_total{pod="a-1"}[5m]))',
      [[{}, 1 / 11]],
    ],
    ['vector times scalar drops the metric name', 'mem{pod="a-1"} * 2', [[{ pod: 'a-1' }, 200]]],
    ['scalar arithmetic with precedence', '1 + 2 * 3', 7],
    ['a selector keeps its name', 'mem{pod="a-2"}', [[{ __name__: 'mem', pod: 'a-2' }, 300]]],
  ])('%s', (_why, query, expected) => {
    const got = at(query);
    if (typeof expected === 'number') expect(got).toBeCloseTo(expected, 9);
    else expect(got).toEqual(expected);
  });

  it('no sample within the 5 minute lookback: the series is absent', () => {
    expect(at('mem', 40 * MIN)).toEqual([]);
  });

  it('rate handles a counter reset', () => {
    const reset: SeriesStore = () => [
      {
        labels: { __name__: 'c' },
        samples: [
          [0, 100],
          [MIN, 160],
          [2 * MIN, 30],
          [3 * MIN, 90],
        ],
      },
    ];
    const v = evaluateAt(parsePromQl('rate(c[5m])'), [3 * MIN], reset)[0]!;
    expect(v.kind === 'vector' && v.samples[0]!.value).toBeCloseTo((60 + 30 + 60) / 180, 9);
  });

  it('histogram_quantile interpolates inside the bucket holding the rank (Prometheus bucketQuantile)', () => {
    const b = (le: string, v: number) => ({ labels: { le, service: 's' }, value: v });
    // 100 requests: 50 under 0.1 s, 90 under 0.5 s, all under 1 s
    const q = (phi: number) => histogramQuantile(phi, [b('0.1', 50), b('0.5', 90), b('1', 100), b('+Inf', 100)])[0]!;
    expect(q(0.5).value).toBeCloseTo(0.1, 9);
    expect(q(0.7).value).toBeCloseTo(0.1 + 0.4 * (20 / 40), 9);
    expect(q(0.95).value).toBeCloseTo(0.5 + 0.5 * (5 / 10), 9);
    expect(q(0.95).labels).toEqual({ service: 's' });
    // without a +Inf bucket the quantile is undefined
    expect(Number.isNaN(histogramQuantile(0.5, [b('0.1', 1), b('1', 2)])[0]!.value)).toBe(true);
    // rank in the +Inf bucket: the highest finite bound
    expect(histogramQuantile(0.99, [b('0.1', 50), b('+Inf', 100)])[0]!.value).toBe(0.1);
  });
});

describe('PromQL subset: refused with bad_data', () => {
  it.each([
    ['an unknown function', 'avg_over_time(mem[5m])', /function "avg_over_time" is not in the local PromQL subset/],
    ['a comparison', 'mem > 1', /operator ">" is not in the local PromQL subset/],
    ['without()', 'sum without (pod) (mem)', /"without" is not in the local PromQL subset/],
    ['vector matching modifiers', 'mem / on (pod) mem', /"on" is not in the local PromQL subset/],
    ['a subquery', 'rate(mem[5m:1m])', /parse error/],
    ['set operators', 'mem and mem', /"and" is not in the local PromQL subset/],
    ['rate of an instant vector', 'rate(mem)', /expected type range vector in call to function "rate"/],
    ['an empty selector', '{}', /at least one non-empty matcher/],
    ['an unterminated string', 'mem{pod="a}', /unterminated quoted string/],
    ['a bad regex', 'mem{pod=~"("}', /invalid regular expression/],
    ['trailing input', 'mem mem', /unexpected "mem"/],
    ['an empty query', '', /unexpected end of input/],
  ])('%s', (_why, query, message) => {
    const error = thrownBy(() => parsePromQl(query), PromQlError);
    expect(error.errorType).toBe('bad_data');
    expect(error.message).toMatch(message);
  });
});
