// The local Log Analytics stand-in's KQL evaluator (dev/standins/kql), as a table of queries and the results Kusto
// gives for them over a small table. Each case names the rule of the language reference it pins down
// (https://learn.microsoft.com/kusto/query/): an evaluator change that alters any of them fails here.
import { describe, expect, it } from '@jest/globals';
import { KqlError, runKql } from '../../../dev/standins/kql/kqlSubset.js';
import { thrownBy } from '../../support/thrown.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

const PODS = [
  { TimeGenerated: at(50), Namespace: 'shop', PodName: 'api-1', Restarts: 3, CpuMillis: 250.5, Reason: 'OOMKilled' },
  { TimeGenerated: at(40), Namespace: 'shop', PodName: 'api-2', Restarts: 0, CpuMillis: 120, Reason: '' },
  { TimeGenerated: at(30), Namespace: 'kube-system', PodName: 'coredns-1', Restarts: 1, CpuMillis: 10, Reason: '' },
  { TimeGenerated: at(20), Namespace: 'shop', PodName: 'api-1', Restarts: 5, CpuMillis: 300, Reason: 'Error' },
  { TimeGenerated: at(200), Namespace: 'shop', PodName: 'old-1', Restarts: 9, CpuMillis: 1, Reason: 'Evicted' },
];

function run(query: string, window: { start?: Date; end?: Date } = {}) {
  return runKql(query, { tables: new Map([['Pods', PODS]]), now: NOW, window });
}

describe('KQL stand-in: queries and their results', () => {
  it.each<[string, string, unknown[][]]>([
    ['count counts every row', 'Pods | count', [[5]]],
    ['where with == on a string', "Pods | where Namespace == 'kube-system' | project PodName", [['coredns-1']]],
    [
      'has matches whole terms, case-insensitively',
      "Pods | where Reason has 'oomkilled' | project PodName",
      [['api-1']],
    ],
    ['has does not match inside a term', "Pods | where Reason has 'kill' | count", [[0]]],
    ['contains matches inside a term', "Pods | where Reason contains 'kill' | count", [[1]]],
    ['ago() against TimeGenerated', 'Pods | where TimeGenerated > ago(1h) | count', [[4]]],
    [
      'summarize names its columns like Kusto (count_, max_X) and groups by the by-columns',
      'Pods | summarize count(), max(Restarts) by Namespace | sort by Namespace asc',
      [
        ['kube-system', 1, 1],
        ['shop', 4, 9],
      ],
    ],
    [
      'arg_max keeps the row with the largest value per group',
      "Pods | where Namespace == 'shop' | summarize arg_max(TimeGenerated, Restarts) by PodName | sort by PodName asc | project PodName, Restarts",
      [
        ['api-1', 5],
        ['api-2', 0],
        ['old-1', 9],
      ],
    ],
    ['sort is descending by default', 'Pods | sort by Restarts | take 2 | project Restarts', [[9], [5]]],
    [
      'sort by several keys, each with its own direction',
      'Pods | sort by Namespace asc, Restarts desc | project PodName',
      [['coredns-1'], ['old-1'], ['api-1'], ['api-1'], ['api-2']],
    ],
    ['top takes the first n by its key', 'Pods | top 1 by CpuMillis | project PodName', [['api-1']]],
    [
      'long division is integer division',
      'Pods | where PodName == "api-1" | take 1 | extend Half = Restarts / 2 | project Half',
      [[1]],
    ],
    ['distinct of one column', 'Pods | distinct Namespace | sort by Namespace asc', [['kube-system'], ['shop']]],
    [
      'bin() rounds a datetime down to its size',
      "Pods | where PodName == 'api-2' | project Bucket = bin(TimeGenerated, 1h)",
      [['2026-11-30T11:00:00.000Z']],
    ],
    [
      'and binds tighter than or',
      "Pods | where Namespace == 'kube-system' or Namespace == 'shop' and Restarts > 4 | project PodName",
      [['coredns-1'], ['api-1'], ['old-1']],
    ],
    [
      '* binds tighter than +, and - is left-associative',
      "Pods | where PodName == 'api-2' | project A = 1 + 2 * 3, B = 10 - 4 - 3, C = 7 % 4",
      [[7, 3, 3]],
    ],
    [
      'toint() truncates toward zero; tobool() reads true/false and 1/0 in any case',
      "Pods | where PodName == 'api-2' | project I = toint(-2.7), L = tolong('42'), T = tobool('TRUE'), F = tobool(0), N = tobool('yes')",
      [[-2, 42, true, false, null]],
    ],
    [
      'isempty() and isnotempty() treat the empty string as empty',
      'Pods | where isnotempty(Reason) | where not(isempty(Reason)) | count',
      [[3]],
    ],
  ])('%s', (_rule, query, rows) => {
    expect(run(query).rows).toEqual(rows);
  });

  it('the request timespan filters the source table on TimeGenerated', () => {
    expect(run('Pods | count', { start: new Date(NOW.getTime() - 3600_000), end: NOW }).rows).toEqual([[4]]);
  });

  it('answers with column names and Kusto types', () => {
    expect(run('Pods | summarize n = count(), avg(CpuMillis) by Namespace').columns).toEqual([
      { name: 'Namespace', type: 'string' },
      { name: 'n', type: 'long' },
      { name: 'avg_CpuMillis', type: 'real' },
    ]);
  });

  it.each<[string, string, string, RegExp]>([
    ['an unknown column fails before any row is read', 'Pods | where Namspace == "x"', 'SemanticError', /Namspace/],
    ['an unknown table names the tables there are', 'Podz | count', 'SemanticError', /Podz.*Pods/],
    ['an operator outside the subset says so', 'Pods | join (Pods) on PodName', 'UnsupportedByLocalStandIn', /join/],
    ['a syntax error says where', 'Pods | where (Restarts > 1', 'SyntaxError', /line 1/],
  ])('%s', (_why, query, kind, message) => {
    const error = thrownBy(() => run(query), KqlError);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });
});
