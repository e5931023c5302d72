// The catalogue is the contract: every check the analyzers report has an entry (id, severity, title, why, fix,
// docs), every entry is reported by some code, the peer mapping accounts for every peer check once, and
// docs/sweeps.md holds exactly the generated tables.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { CATALOGUE, PEER_IDS, UNCOVERED_PEER_CHECKS, canonicalCheckId } from '../../../shared/sweep/catalogue.js';
import {
  peerMapping,
  renderCheckTable,
  renderPeerMapping,
  replaceGenerated,
} from '../../../shared/sweep/catalogueDocs.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'));
}
const code = [...sources('shared/sweep'), ...sources('shared/azure')].join('\n');
/** The metric readers: `anomaly.<metric>` is reported for every metric name a reader produces. */
const readers = readdirSync('shared/metrics')
  .filter((f) => f.endsWith('Reader.ts'))
  .map((f) => readFileSync(path.join('shared/metrics', f), 'utf8'))
  .join('\n');
/** Checks whose id is computed from a condition type (node.ts: `node.${type}-pressure`). */
const COMPUTED = new Set(['node.memory-pressure', 'node.disk-pressure', 'node.pid-pressure']);

describe('check catalogue', () => {
  it('has one complete entry per id', () => {
    const ids = CATALOGUE.map((e) => e.id);
    expect(ids.length).toBe(new Set(ids).size);
    for (const e of CATALOGUE) {
      expect({ id: e.id, ok: /^[a-z]+\.[a-z0-9-]+$/.test(e.id) }).toEqual({ id: e.id, ok: true });
      for (const f of [e.title, e.why, e.fix])
        expect({ id: e.id, filled: f.length > 3 }).toEqual({ id: e.id, filled: true });
      expect(e.docsUrl).toMatch(/^https:\/\//);
    }
  });

  it('covers every check id the code reports, and every entry is reported by some code', () => {
    const literal = [...code.matchAll(/check: '([a-z]+\.[a-z0-9-]+)'/g)].map((m) => m[1]!);
    const ternary = [...code.matchAll(/check: [^,\n]+\? '([a-z]+\.[a-z0-9-]+)' : '([a-z]+\.[a-z0-9-]+)'/g)].flatMap(
      (m) => [m[1]!, m[2]!],
    );
    const anomalies = CATALOGUE.filter(
      (e) => e.family === 'anomaly' && readers.includes(`'${e.id.slice('anomaly.'.length)}'`),
    ).map((e) => e.id);
    const reported = new Set([...literal, ...ternary, ...COMPUTED, ...anomalies]);
    const catalogued = new Set(CATALOGUE.map((e) => e.id));
    expect([...reported].filter((id) => !catalogued.has(id))).toEqual([]);
    expect([...catalogued].filter((id) => !reported.has(id) && !code.includes(`'${id}'`))).toEqual([]);
  });

  it('maps every peer check once: covered by existing checks, or not covered with a reason', () => {
    const rows = peerMapping();
    const keys = rows.map((r) => `${r.tool}/${r.id}`);
    expect(keys.length).toBe(new Set(keys).size);
    for (const r of rows) {
      if (r.covered.length > 0) for (const c of r.covered) expect(canonicalCheckId(c)).toBe(c);
      else expect({ id: r.id, reason: (r.reason ?? '').length > 5 }).toEqual({ id: r.id, reason: true });
    }
    // Every row of the peer table names a current catalogue check, so no mapping is lost to a typo or a rename.
    expect(Object.keys(PEER_IDS).filter((id) => !CATALOGUE.some((e) => e.id === id))).toEqual([]);
    // A peer id is never both mapped and listed as uncovered.
    for (const u of UNCOVERED_PEER_CHECKS)
      expect({ u: u.id, mapped: Object.values(PEER_IDS).some((p) => p[u.tool]?.includes(u.id)) }).toEqual({
        u: u.id,
        mapped: false,
      });
    // Every Popeye code of its catalogue (internal/issues/assets/codes.yaml) appears.
    const popeye = rows.filter((r) => r.tool === 'Popeye').length;
    expect(popeye).toBeGreaterThanOrEqual(100);
  });

  it('docs/sweeps.md holds exactly the generated check and mapping tables (run `npm run docs`)', async () => {
    const file = 'docs/sweeps.md';
    const actual = readFileSync(file, 'utf8');
    const generated = replaceGenerated(
      replaceGenerated(actual, 'checks-table', renderCheckTable()),
      'peer-mapping',
      renderPeerMapping(),
    );
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    expect(await prettier.format(actual, options)).toBe(await prettier.format(generated, options));
  });
});
