// Single-file HTML reports for `aks-aiops sweep --output html` (Popeye-style: score, grade, findings by namespace and
// check, each with its evidence and fix) and `aks-aiops diagnose --output html`. Self-contained: inline CSS, no
// script, no external request. Everything that comes from a cluster (names, messages, evidence, log lines) goes
// through escapeHtml: a pod name or an event message must never become markup.
import type { Diagnosis } from '../diagnostics/types.js';
import type { Grade } from '../sweep/score.js';
import type { Finding, Severity } from '../sweep/types.js';
import { APP_VERSION } from '../version.js';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is shown as text. */
function safeLink(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return '';
  return ` <a href="${e(url)}" rel="noreferrer">${e(label)}</a>`;
}

const CSS = `
:root{--fg:#1b1f24;--muted:#4a5260;--line:#d5d9e0;--crit-bg:#fde2e1;--crit-fg:#8a1c12;--warn-bg:#fff1c7;--warn-fg:#6b4a00;--info-bg:#e3eefc;--info-fg:#1a4a85}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:#f6f7f9;line-height:1.45}
header{background:#14273e;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.5rem}header p{margin:.3rem 0 0;color:#dce8f7}
main{max-width:75rem;margin:0 auto;padding:1rem 1.5rem 3rem}
.score{display:flex;gap:1.5rem;align-items:center;background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0}
.grade{font-size:2.4rem;font-weight:800;color:#fff;background:#2d6a2e;border-radius:8px;padding:.2rem 1rem}
.grade-C,.grade-D{background:#7a5600}.grade-E,.grade-F{background:#a1261b}
.big{font-size:1.8rem;font-weight:700}
table{border-collapse:collapse;background:#fff;border:1px solid var(--line)}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line)}
section.ns{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
section.ns h2{margin:.2rem 0 .6rem;font-size:1.2rem}
details{border-top:1px solid var(--line);padding:.4rem 0}summary{cursor:pointer;font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.85em;font-weight:600}
.sev-critical{background:var(--crit-bg);color:var(--crit-fg)}.sev-warning{background:var(--warn-bg);color:var(--warn-fg)}.sev-info{background:var(--info-bg);color:var(--info-fg)}
.finding{margin:.4rem 0 .8rem 1rem}.finding p{margin:.2rem 0}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
pre{background:#eef1f5;padding:.4rem .6rem;border-radius:4px;white-space:pre-wrap;margin:.2rem 0}
.muted{color:var(--muted)}footer{color:var(--muted);font-size:.85em;margin-top:2rem}
`;

function page(title: string, subtitle: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title><style>${CSS}</style></head>
<body><header><h1>${e(title)}</h1><p>${e(subtitle)}</p></header>
<main>
${body}
<footer>aks-aiops ${e(APP_VERSION)}</footer>
</main></body></html>
`;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export interface SweepReportInput {
  clusterId: string;
  sweptAt: string;
  score: number;
  grade: Grade;
  namespaceScores: Record<string, number>;
  counts: { critical: number; warning: number; info: number };
  objectsScanned: number;
  partial: boolean;
  errors: string[];
  findings: Finding[];
}

export function renderSweepHtml(r: SweepReportInput): string {
  const byNamespace = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const ns = f.namespace ?? '(cluster-scoped)';
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), f]);
  }
  const namespaces = [...byNamespace.keys()].sort((a, b) => {
    const sa = r.namespaceScores[a] ?? 101;
    const sb = r.namespaceScores[b] ?? 101;
    return sa - sb || a.localeCompare(b);
  });
  const sections = namespaces.map((ns) => {
    const findings = byNamespace.get(ns) ?? [];
    const byCheck = new Map<string, Finding[]>();
    for (const f of findings) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
    const checks = [...byCheck.entries()].sort(
      ([a, fa], [b, fb]) =>
        SEVERITY_RANK[fa[0]?.severity ?? 'info'] - SEVERITY_RANK[fb[0]?.severity ?? 'info'] || a.localeCompare(b),
    );
    const nsScore = r.namespaceScores[ns];
    return `<section class="ns"><h2>${e(ns)}${nsScore === undefined ? '' : ` <span class="muted">score ${e(String(nsScore))}</span>`}</h2>
${checks
  .map(
    ([
      check,
      list,
    ]) => `<details open><summary><span class="badge sev-${e(list[0]?.severity ?? 'info')}">${e(list[0]?.severity ?? '')}</span> <code>${e(check)}</code> (${list.length})</summary>
${list
  .map(
    (f) => `<div class="finding"><p><strong>${e(f.kind)}/${e(f.name)}</strong>: ${e(f.message)}</p>
${f.evidence.map((ev) => `<pre>${e(ev)}</pre>`).join('\n')}
<p><strong>Fix:</strong> ${e(f.remediation)}${safeLink(f.docsUrl, 'docs')}</p></div>`,
  )
  .join('\n')}
</details>`,
  )
  .join('\n')}
</section>`;
  });
  const nsRows = Object.entries(r.namespaceScores)
    .sort(([, a], [, b]) => a - b)
    .map(([ns, s]) => `<tr><td>${e(ns)}</td><td>${e(String(s))}</td></tr>`)
    .join('');
  const body = `<div class="score"><span class="grade grade-${e(r.grade)}" aria-label="grade ${e(r.grade)}">${e(r.grade)}</span>
<div><div class="big">Score ${e(String(r.score))}</div>
<div>${r.counts.critical} critical, ${r.counts.warning} warning, ${r.counts.info} info; ${r.objectsScanned} objects scanned${r.partial ? '; <strong>partial</strong>' : ''}</div></div></div>
${r.errors.length ? `<ul>${r.errors.map((x) => `<li>${e(x)}</li>`).join('')}</ul>` : ''}
${nsRows ? `<table><caption class="muted">Namespaces, worst first</caption><thead><tr><th scope="col">Namespace</th><th scope="col">Score</th></tr></thead><tbody>${nsRows}</tbody></table>` : ''}
${sections.length ? sections.join('\n') : '<p>No findings.</p>'}`;
  return page('aks-aiops sweep report', `${r.clusterId} at ${r.sweptAt}`, body);
}

export function renderDiagnosisHtml(d: Diagnosis): string {
  const t = d.target;
  const target = [t.clusterName ?? t.clusterId, t.namespace, t.pod ?? t.workload ?? t.node ?? t.pvc]
    .filter((x): x is string => Boolean(x))
    .join(' / ');
  const body = `<div class="score"><div><div class="big">${e(d.rootCause)}${d.rootCauseDetail ? ` <span class="muted">(${e(d.rootCauseDetail)})</span>` : ''}</div>
<div>Confidence ${Math.round(d.confidence * 100)}%; state ${e(d.state)}; firings ${d.firings}</div></div></div>
<p>${e(d.summary)}</p>
<h2>Evidence</h2>
<ol>${d.evidence
    .map(
      (ev) =>
        `<li><p><strong>${e(ev.source)}:</strong> ${e(ev.detail)}</p>${ev.reproduce ? `<pre>${e(ev.reproduce)}</pre>` : ''}</li>`,
    )
    .join('\n')}</ol>
<h2>Recommendations</h2>
<ul>${d.recommendations.map((x) => `<li>${e(x)}</li>`).join('\n')}</ul>
<p class="muted">Started ${e(d.startedAt)}, finished ${e(d.finishedAt)}${d.alertId ? `; alert ${e(d.alertId)}` : ''}</p>`;
  return page('aks-aiops diagnosis', target || d.id, body);
}
