// docs/sweeps.md's check table and peer mapping table, generated from the catalogue (`npm run docs` writes them
// between markers; test/unit/sweep/catalogue.test.ts fails when the file drifts).
import { CATALOGUE, PEER_IDS, UNCOVERED_PEER_CHECKS, type CheckEntry, type PeerIds } from './catalogue.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

const FAMILY_TITLES: Record<CheckEntry['family'], string> = {
  failures: 'Failures',
  wiring: 'Wiring',
  nodes: 'Nodes',
  azure: 'Azure (ARM)',
  access: "The sweep's own access",
  'pod-hardening': 'Pod hardening',
  rbac: 'RBAC and identities',
  'network-policy': 'Network policies',
  availability: 'Availability and scheduling',
  resources: 'Resources',
  exposure: 'Exposure',
  'sensitive-data': 'Sensitive data',
  'deprecated-api': 'Deprecated APIs',
  anomaly: 'Metric anomalies',
  'probes-and-images': 'Probes and images',
  cost: 'Cost',
};

const STATE: Record<CheckEntry['state'], string> = {
  live: 'live',
  spec: 'spec',
  'spec+live': 'spec + live',
  arm: 'ARM',
};

export function renderCheckTable(): string {
  const lines = [
    '| Family | Check | Severity | State | Title | Why it matters | How to fix |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of CATALOGUE) {
    const id = `[\`${e.id}\`](${e.docsUrl})${e.optIn ? ' (opt-in)' : ''}${e.aliases?.length ? ` (was ${e.aliases.map((a) => `\`${a}\``).join(', ')})` : ''}`;
    lines.push(
      `| ${FAMILY_TITLES[e.family]} | ${id} | ${e.severity} | ${STATE[e.state]} | ${cell(e.title)} | ${cell(e.why)} | ${cell(e.fix)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const TOOLS: { key: keyof PeerIds; title: string }[] = [
  { key: 'popeye', title: 'Popeye' },
  { key: 'polaris', title: 'Polaris' },
  { key: 'kubeScore', title: 'kube-score' },
];

/** Every peer id with the checks covering it, or "not covered" and why; sorted per tool. */
export function peerMapping(): { tool: string; id: string; covered: string[]; reason?: string }[] {
  const rows: { tool: string; id: string; covered: string[]; reason?: string }[] = [];
  for (const { key, title } of TOOLS) {
    const ids = new Map<string, string[]>();
    for (const e of CATALOGUE) for (const p of PEER_IDS[e.id]?.[key] ?? []) ids.set(p, [...(ids.get(p) ?? []), e.id]);
    for (const u of UNCOVERED_PEER_CHECKS.filter((u) => u.tool === key)) if (!ids.has(u.id)) ids.set(u.id, []);
    const sorted = [...ids.keys()].sort((a, b) => (key === 'popeye' ? Number(a) - Number(b) : a.localeCompare(b)));
    for (const id of sorted) {
      const covered = ids.get(id) ?? [];
      rows.push({
        tool: title,
        id: key === 'popeye' ? `POP-${id}` : id,
        covered,
        reason:
          covered.length === 0 ? UNCOVERED_PEER_CHECKS.find((u) => u.tool === key && u.id === id)?.reason : undefined,
      });
    }
  }
  return rows;
}

export function renderPeerMapping(): string {
  const lines = ['| Tool | Their check | Covered here by |', '| --- | --- | --- |'];
  for (const r of peerMapping())
    lines.push(
      `| ${r.tool} | \`${r.id}\` | ${r.covered.length > 0 ? r.covered.map((c) => `\`${c}\``).join(', ') : `not covered: ${cell(r.reason ?? '')}`} |`,
    );
  return `${lines.join('\n')}\n`;
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceGenerated(doc: string, name: string, content: string): string {
  const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  if (!re.test(doc)) throw new Error(`markers <!-- ${name}:start/end --> not found`);
  return doc.replace(re, `<!-- ${name}:start -->\n\n${content}\n<!-- ${name}:end -->`);
}
