// Human-readable rendering of a diagnosis for the CLI.
import type { Diagnosis } from './types.js';

function targetText(d: Diagnosis): string {
  const t = d.target;
  const parts: string[] = [];
  if (t.pod) parts.push(`pod ${t.namespace ?? 'default'}/${t.pod}`);
  else if (t.pvc) parts.push(`pvc ${t.namespace ?? 'default'}/${t.pvc}`);
  else if (t.node) parts.push(`node ${t.node}`);
  else if (t.namespace) parts.push(`namespace ${t.namespace}`);
  if (t.workload) parts.push(`(${t.workloadKind ?? 'workload'} ${t.workload})`);
  if (t.pod && t.node) parts.push(`on node ${t.node}`);
  if (t.clusterName ?? t.clusterId) parts.push(`in cluster ${t.clusterName ?? t.clusterId}`);
  return parts.join(' ') || '(alert only)';
}

export function renderDiagnosis(d: Diagnosis): string {
  const lines = [
    `Root cause   ${d.rootCause}${d.rootCauseDetail ? ` (${d.rootCauseDetail})` : ''}   confidence ${d.confidence.toFixed(2)}   state ${d.state}`,
    `Target       ${targetText(d)}`,
    `Summary      ${d.summary}`,
    '',
    'Evidence',
  ];
  if (d.evidence.length === 0) lines.push('  (none)');
  for (const e of d.evidence) {
    lines.push(`  [${e.source}] ${e.detail}`);
    for (const l of e.lines ?? []) lines.push(`      line ${l.line}: ${l.text}`);
    if (e.reproduce) lines.push(...e.reproduce.split('\n').map((r, i) => `      ${i === 0 ? '$ ' : '  '}${r}`));
  }
  lines.push('', 'Recommendations');
  for (const r of d.recommendations) lines.push(`  - ${r}`);
  if (d.evidenceGaps?.length) {
    lines.push('', 'Not gathered');
    for (const g of d.evidenceGaps) lines.push(`  - ${g}`);
  }
  return `${lines.join('\n')}\n`;
}
