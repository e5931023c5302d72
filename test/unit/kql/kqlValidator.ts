// Semantic KQL validation with Microsoft's Kusto language service (@kusto/language-service-next): a query is
// parsed and bound against a database of table schemas, so an unknown table, column or function is an error.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { RESULT_TABLES } from '../../../shared/results/resultsSink.js';
import { kqlSchemaOf } from '../../../shared/results/tableSchemas.js';

const require = createRequire(import.meta.url);
// The bridge defines `Bridge` and `Kusto` as globals (Bridge.NET output); load order matters.
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Kusto = (globalThis as any).Kusto;

export interface KqlDiagnostic {
  severity: string;
  message: string;
  /** The text around the problem. */
  near: string;
}

export type TableSchemas = Record<string, Record<string, string>>;

/** Container Insights and App Insights tables (test/fixtures/kql) plus the three aks-aiops tables. */
export function loadWorkspaceSchemas(): TableSchemas {
  const file = path.resolve('test/fixtures/kql/azureMonitorTables.json');
  const monitor = (JSON.parse(fs.readFileSync(file, 'utf8')) as { tables: TableSchemas }).tables;
  const ours: TableSchemas = {};
  for (const t of RESULT_TABLES) {
    ours[t] = Object.fromEntries(
      kqlSchemaOf(t)
        .slice(1, -1)
        .split(', ')
        .map((c) => c.split(':') as [string, string]),
    );
  }
  return { ...monitor, ...ours };
}

function schemaText(columns: Record<string, string>): string {
  return `(${Object.entries(columns)
    .map(([n, t]) => `['${n}']:${t}`)
    .join(', ')})`;
}

export class KqlValidator {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly globals: any;

  constructor(tables: TableSchemas) {
    const symbols = Object.entries(tables).map(
      ([name, cols]) => new Kusto.Language.Symbols.TableSymbol.$ctor7(name, schemaText(cols), null),
    );
    const db = new Kusto.Language.Symbols.DatabaseSymbol.$ctor1('workspace', symbols, false);
    this.globals = Kusto.Language.GlobalState.Default.WithDatabase(db);
  }

  /** Errors (and warnings) of one query; empty when it parses and binds. */
  diagnose(query: string): KqlDiagnostic[] {
    const code = Kusto.Language.KustoCode.ParseAndAnalyze(query, this.globals);
    const list = code.GetDiagnostics();
    const out: KqlDiagnostic[] = [];
    for (let i = 0; i < list.Count; i++) {
      const d = list.getItem(i);
      if (d.Severity !== 'Error') continue;
      out.push({ severity: d.Severity, message: d.Message, near: query.slice(Math.max(0, d.Start - 20), d.End + 20) });
    }
    return out;
  }
}
