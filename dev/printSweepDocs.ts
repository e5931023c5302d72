// Prints docs/sweeps.md with its generated tables refreshed from the sweep catalogue (used by scripts/sync-docs.mjs).
import { readFileSync } from 'node:fs';
import { renderCheckTable, renderPeerMapping, replaceGenerated } from '../shared/sweep/catalogueDocs.js';

const doc = readFileSync(process.argv[2] ?? 'docs/sweeps.md', 'utf8');
process.stdout.write(
  replaceGenerated(replaceGenerated(doc, 'checks-table', renderCheckTable()), 'peer-mapping', renderPeerMapping()),
);
