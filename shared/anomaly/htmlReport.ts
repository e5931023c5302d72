// A self-contained HTML page for one scored series: the values with the flagged points, the scores with the threshold,
// and a table saying for each flagged point which baseline it broke and by how much. Inline SVG and CSS only: no
// script, no CDN, so the file opens anywhere (an air-gapped laptop, an attachment in a ticket).

export interface ReportPoint {
  timestamp: string;
  value: number;
  score: number;
  likelihood: number;
  expected: number;
  baselineKind: string;
  z: number;
  driver: string;
}

export interface ReportOptions {
  title: string;
  threshold: number;
  width?: number;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Formats a number for a label: a few significant digits, no exponent for everyday magnitudes. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** Min/max polyline points per pixel column, so a series of any length draws in bounded size without losing spikes. */
function polyline(values: readonly number[], x0: number, w: number, y: (v: number) => number): string {
  const n = values.length;
  if (n === 0) return '';
  const columns = Math.min(n, Math.max(1, Math.floor(w)));
  const out: string[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / columns));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const x = (x0 + (columns === 1 ? 0 : (c * w) / (columns - 1))).toFixed(1);
    out.push(`${x},${y(lo).toFixed(1)}`);
    if (hi !== lo) out.push(`${x},${y(hi).toFixed(1)}`);
  }
  return out.join(' ');
}

export function renderAnomalyReport(points: readonly ReportPoint[], options: ReportOptions): string {
  const width = options.width ?? 1100;
  const left = 70;
  const plotW = width - left - 20;
  const n = points.length;
  const xOf = (i: number) => left + (n <= 1 ? 0 : (i * plotW) / (n - 1));
  const values = points.map((p) => p.value);
  const finite = values.filter(Number.isFinite);
  const vMin = finite.length ? Math.min(...finite) : 0;
  const vMax = finite.length ? Math.max(...finite) : 1;
  const span = vMax - vMin || Math.abs(vMax) || 1;
  const seriesH = 260;
  const scoreH = 140;
  const ySeries = (v: number) => 20 + (seriesH - 20) * (1 - (v - vMin) / span);
  const yScore = (s: number) => seriesH + 40 + scoreH * (1 - s);
  const flagged = points.map((p, i) => ({ p, i })).filter(({ p }) => p.score >= options.threshold);
  const firstTs = points[0]?.timestamp ?? '';
  const lastTs = points[n - 1]?.timestamp ?? '';
  const scoreLine = (cls: string, scores: number[]) =>
    `<polyline class="${cls}" points="${polyline(scores, left, plotW, yScore)}"/>`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${seriesH + scoreH + 80}" role="img" aria-label="series and anomaly scores">`,
    `<text x="${left}" y="14" class="axis">value (${escapeHtml(fmt(vMin))} … ${escapeHtml(fmt(vMax))})</text>`,
    `<line x1="${left}" y1="${seriesH}" x2="${left + plotW}" y2="${seriesH}" class="axisline"/>`,
    `<text x="${left - 6}" y="${ySeries(vMax) + 4}" class="tick" text-anchor="end">${escapeHtml(fmt(vMax))}</text>`,
    `<text x="${left - 6}" y="${ySeries(vMin) + 4}" class="tick" text-anchor="end">${escapeHtml(fmt(vMin))}</text>`,
    `<polyline class="series" points="${polyline(values, left, plotW, ySeries)}"/>`,
    ...flagged.map(
      ({ p, i }) =>
        `<circle class="flag" cx="${xOf(i).toFixed(1)}" cy="${ySeries(p.value).toFixed(1)}" r="4"><title>${escapeHtml(`${p.timestamp}: ${fmt(p.value)} (expected ${fmt(p.expected)}, score ${p.score.toFixed(3)})`)}</title></circle>`,
    ),
    `<text x="${left}" y="${seriesH + 32}" class="axis">anomaly score (0 … 1); dashed: threshold ${options.threshold}</text>`,
    `<line x1="${left}" y1="${yScore(0)}" x2="${left + plotW}" y2="${yScore(0)}" class="axisline"/>`,
    scoreLine(
      'likelihood',
      points.map((p) => p.likelihood),
    ),
    scoreLine(
      'score',
      points.map((p) => p.score),
    ),
    `<line class="threshold" x1="${left}" y1="${yScore(options.threshold).toFixed(1)}" x2="${left + plotW}" y2="${yScore(options.threshold).toFixed(1)}"/>`,
    `<text x="${left}" y="${seriesH + scoreH + 70}" class="tick">${escapeHtml(firstTs)}</text>`,
    `<text x="${left + plotW}" y="${seriesH + scoreH + 70}" class="tick" text-anchor="end">${escapeHtml(lastTs)}</text>`,
    '</svg>',
  ].join('\n');
  const rows = flagged
    .map(
      ({ p }) =>
        `<tr><td>${escapeHtml(p.timestamp)}</td><td>${fmt(p.value)}</td><td>${escapeHtml(p.baselineKind)}</td><td>${fmt(p.expected)}</td><td>${fmt(p.value - p.expected)}</td><td>${fmt(p.z)}</td><td>${escapeHtml(p.driver)}</td><td>${p.score.toFixed(3)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
svg { width: 100%; max-width: ${width}px; height: auto; }
.series { fill: none; stroke: #2a6fb0; stroke-width: 1; }
.likelihood { fill: none; stroke: #bbb; stroke-width: 1; }
.score { fill: none; stroke: #d2691e; stroke-width: 1.2; }
.threshold { stroke: #c00; stroke-dasharray: 6 4; }
.flag { fill: #c00; fill-opacity: 0.8; }
.axisline { stroke: #999; }
.axis, .tick { font-size: 12px; fill: #555; }
table { border-collapse: collapse; margin-top: 16px; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f3f3f3; }
</style>
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<p>${n} points, ${flagged.length} flagged at score ≥ ${options.threshold}. The score is an anomaly likelihood on a log scale
(0.5 ≈ a tail probability of 1e-5 under the series' own history); the grey line is the likelihood before an episode's
later points are muted, the orange line the score that is thresholded.</p>
${svg}
<h2>Flagged points</h2>
${
  flagged.length
    ? `<table><thead><tr><th>timestamp</th><th>value</th><th>baseline</th><th>expected</th><th>deviation</th><th>z</th><th>driver</th><th>score</th></tr></thead><tbody>
${rows}
</tbody></table>`
    : '<p>None.</p>'
}
</body>
</html>
`;
}
