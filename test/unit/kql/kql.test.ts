// Every KQL text in the repository is validated against the table schemas it runs on: the alert rule queries and
// the DCR transformKql (infra/kql), the workbook queries, the diagnostics evidence queries (KQL_SAMPLES) and the
// KQL examples in docs/. A typo in a table, column or function name fails here, before anything is deployed.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { RESULT_TABLES } from '../../../shared/results/resultsSink.js';
import { TABLE_SCHEMAS } from '../../../shared/results/tableSchemas.js';
import { KqlValidator, loadWorkspaceSchemas, type KqlDiagnostic } from './kqlValidator.js';
import { CONTAINER_INSIGHTS_METRIC_SAMPLES } from '../../../shared/metrics/containerInsightsQueries.js';

interface KqlText {
  origin: string;
  query: string;
}

const INFRA = path.resolve('infra');

function alertRuleQueries(): KqlText[] {
  return fs
    .readdirSync(path.join(INFRA, 'kql'))
    .filter((f) => f.endsWith('.kql') && f !== 'transform.kql')
    .map((f) => ({
      origin: `infra/kql/${f}`,
      // Bicep and Terraform substitute the app name into this placeholder.
      query: fs.readFileSync(path.join(INFRA, 'kql', f), 'utf8').replaceAll('__FUNCTION_APP_NAME__', 'func-aiops-test'),
    }));
}

function workbookQueries(): KqlText[] {
  const out: KqlText[] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const content = o.content as Record<string, unknown> | undefined;
      if (o.type === 3 && typeof content?.query === 'string')
        out.push({ origin: `workbook ${String(o.name)}`, query: content.query });
      for (const [k, v] of Object.entries(o)) walk(v, `${where}.${k}`);
    }
  };
  walk(JSON.parse(fs.readFileSync(path.join(INFRA, 'workbook/aksAiops.workbook.json'), 'utf8')), '$');
  return out;
}

function docsQueries(): KqlText[] {
  const out: KqlText[] = [];
  for (const f of fs.readdirSync('docs').filter((f) => f.endsWith('.md'))) {
    const text = fs.readFileSync(path.join('docs', f), 'utf8');
    for (const m of text.matchAll(/```(?:kql|kusto)\n([\s\S]*?)```/g)) out.push({ origin: `docs/${f}`, query: m[1]! });
  }
  return out;
}

const EVIDENCE_MODULE = path.resolve('shared/diagnostics/evidence/kqlQueries.ts');

/** Rendered evidence queries of the diagnostics (helper C's module), whatever container shape it exports. */
async function evidenceQueries(): Promise<KqlText[] | undefined> {
  if (!fs.existsSync(EVIDENCE_MODULE)) return undefined;
  // A variable specifier: the module may not exist yet, and typecheck must not depend on it.
  const specifier = '../../../shared/diagnostics/evidence/kqlQueries.js';
  const mod = (await import(specifier)) as { KQL_SAMPLES?: unknown };
  const samples = mod.KQL_SAMPLES;
  const out: KqlText[] = [];
  const add = (name: string, v: unknown) => {
    if (typeof v === 'string') out.push({ origin: `KQL_SAMPLES ${name}`, query: v });
    else if (v && typeof v === 'object' && typeof (v as { query?: unknown }).query === 'string') {
      out.push({ origin: `KQL_SAMPLES ${name}`, query: (v as { query: string }).query });
    }
  };
  if (Array.isArray(samples)) samples.forEach((v, i) => add(String((v as { name?: string })?.name ?? i), v));
  else if (samples && typeof samples === 'object') for (const [k, v] of Object.entries(samples)) add(k, v);
  return out;
}

const clean = (origin: string, diagnostics: KqlDiagnostic[]) => ({ origin, diagnostics });

let workspace: KqlValidator;
beforeAll(() => {
  workspace = new KqlValidator(loadWorkspaceSchemas());
});

describe('KQL texts validate against the table schemas', () => {
  it('alert rule queries (infra/kql)', () => {
    const queries = alertRuleQueries();
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const q of queries) expect(clean(q.origin, workspace.diagnose(q.query))).toEqual(clean(q.origin, []));
  });

  it('workbook queries', () => {
    const queries = workbookQueries();
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const q of queries) expect(clean(q.origin, workspace.diagnose(q.query))).toEqual(clean(q.origin, []));
  });

  it('the DCR transformKql, against each stream as `source`', () => {
    const transform = fs.readFileSync(path.join(INFRA, 'kql/transform.kql'), 'utf8');
    for (const table of RESULT_TABLES) {
      const columns = Object.fromEntries(TABLE_SCHEMAS[table].columns.map((c) => [c.name, c.type]));
      const asSource = new KqlValidator({ source: columns });
      expect(clean(table, asSource.diagnose(transform))).toEqual(clean(table, []));
    }
  });

  it('KQL examples in docs/', () => {
    for (const q of docsQueries()) expect(clean(q.origin, workspace.diagnose(q.query))).toEqual(clean(q.origin, []));
  });

  it('diagnostics evidence queries (KQL_SAMPLES), when the diagnostics module provides them', async () => {
    const queries = await evidenceQueries();
    if (queries === undefined) {
      // Reported rather than skipped silently: the module is not in the tree yet.
      process.stderr.write(
        `kql.test: ${path.relative('.', EVIDENCE_MODULE)} not present; evidence queries not validated\n`,
      );
      return;
    }
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(clean(q.origin, workspace.diagnose(q.query))).toEqual(clean(q.origin, []));
  });
});

describe('the sweep metric reader queries (CONTAINER_INSIGHTS_METRIC_SAMPLES)', () => {
  it('validate against the Container Insights schemas', () => {
    const queries = Object.entries(CONTAINER_INSIGHTS_METRIC_SAMPLES);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const [name, q] of queries) expect(clean(name, workspace.diagnose(q))).toEqual(clean(name, []));
  });
});

describe('the validator catches mistakes', () => {
  // Each case is a real query from the repository with one deliberate typo: if the validator accepted any of them,
  // the checks above would prove nothing.
  const cases: Array<[string, (q: string) => string]> = [
    ['misspelled column', (q) => q.replace('ContainerLastStatus', 'ContainerLastStatsu')],
    ['misspelled table', (q) => q.replace('KubePodInventory', 'KubePodInventroy')],
    ['unknown function', (q) => q.replace('arg_max(', 'arg_maxx(')],
    ['syntax error', (q) => q.replace('| where', '| wher')],
  ];
  it.each(cases)('%s', (_name, mutate) => {
    const original = fs.readFileSync(path.join(INFRA, 'kql/alert-ci-oom-killed.kql'), 'utf8');
    const broken = mutate(original);
    expect(broken).not.toBe(original);
    expect(workspace.diagnose(original)).toEqual([]);
    expect(workspace.diagnose(broken).length).toBeGreaterThan(0);
  });

  it('a column of our own tables misspelled in a workbook query', () => {
    const q = workbookQueries().find((w) => w.query.includes('RootCause'))!;
    expect(workspace.diagnose(q.query.replace('RootCause', 'RootCasue')).length).toBeGreaterThan(0);
  });

  it('a transform that uses a column the stream does not declare', () => {
    const asSource = new KqlValidator({ source: { TimeGenerated: 'datetime', RecordId: 'string' } });
    expect(asSource.diagnose('source | extend X = tostring(Severity)').length).toBeGreaterThan(0);
  });
});
