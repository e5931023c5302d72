// KQL subset evaluator for the local Log Analytics query endpoint (interim: only a bare table reference; the
// operator pipeline lands next). Anything unsupported throws KqlError, answered as 400 BadArgumentError.

export interface KqlColumn {
  name: string;
  type: string;
}
export interface KqlTable {
  columns: KqlColumn[];
  rows: unknown[][];
}
export class KqlError extends Error {
  constructor(
    readonly kind: 'SyntaxError' | 'SemanticError' | 'UnsupportedByLocalStandIn',
    message: string,
  ) {
    super(message);
  }
}

export function runKql(
  query: string,
  context: { tables: Map<string, Array<Record<string, unknown>>>; now: Date; window: { start?: Date; end?: Date } },
): KqlTable {
  const name = query.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new KqlError('UnsupportedByLocalStandIn', `The local query endpoint does not support this query yet: ${query}`);
  }
  const rows = context.tables.get(name);
  if (!rows) throw new KqlError('SemanticError', `Failed to resolve table or column expression named '${name}'`);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns: columns.map((c) => ({ name: c, type: 'string' })), rows: rows.map((r) => columns.map((c) => r[c] ?? null)) };
}
