// `aks-aiops anomaly --csv FILE [--json] [--html FILE]`: runs the streaming anomaly detector over any
// timestamp,value series, as NAB's scorer and a person with an exported metric both use it.
import { readFile, writeFile } from 'node:fs/promises';
import { ValidationError } from '../../shared/errors.js';
import {
  ANOMALY_SCORE_THRESHOLD,
  AnomalyDetector,
  type AnomalyReadingDetail,
} from '../../shared/anomaly/anomalyDetector.js';
import { renderAnomalyReport } from '../../shared/anomaly/htmlReport.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops anomaly --csv FILE [--json] [--html FILE] [--threshold S]

Scores each point of a time series with the streaming anomaly detector from the points before it (robust level,
trend and learned daily/weekly profile; context novelty; anomaly likelihood). Input: CSV rows "timestamp,value" (a
header row is allowed; "-" reads stdin; timestamps without a zone are UTC). Output: CSV rows
"timestamp,value,anomaly_score" (score in [0,1): an anomaly likelihood on a log scale, ${ANOMALY_SCORE_THRESHOLD} ≈ a tail
probability of 1e-5; only the first point of an episode carries it), or a JSON array with --json.

  --csv FILE       input file ("-" for stdin)
  --json           write JSON: [{"timestamp","value","anomaly_score","anomaly","likelihood","baseline",...}]
  --html FILE      also write a self-contained HTML page (series, scores, threshold, flagged points)
  --threshold S    score at or above which a point is flagged in --json and --html (default ${ANOMALY_SCORE_THRESHOLD})

Exit codes: 0 scored, 2 bad input.`;

export interface SeriesRow {
  timestamp: string;
  value: number;
}

/** Parses "timestamp,value" CSV. A first row whose value is not a number is taken as a header. */
export function parseSeriesCsv(text: string): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length < 2)
      throw new ValidationError(`line ${i + 1}: expected "timestamp,value", got "${line.slice(0, 80)}"`);
    const value = Number(cells[1]);
    if (cells[1] === '' || !Number.isFinite(value)) {
      if (rows.length === 0 && i === lines.findIndex((l) => l.trim() !== '')) return; // header
      throw new ValidationError(`line ${i + 1}: value "${cells[1]}" is not a number`);
    }
    rows.push({ timestamp: cells[0] ?? '', value });
  });
  return rows;
}

/** Milliseconds since the epoch, or NaN. "YYYY-MM-DD HH:MM:SS" without a zone (NAB, many exports) is taken as UTC. */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  const isoLocal = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t);
  if (isoLocal) return Date.parse(`${t.replace(' ', 'T')}Z`);
  if (/^\d{9,13}(\.\d+)?$/.test(t)) {
    const x = Number(t);
    return x < 1e11 ? x * 1000 : x; // seconds or milliseconds since the epoch
  }
  return Date.parse(t);
}

export type ScoredRow = SeriesRow & { anomaly_score: number; detail: AnomalyReadingDetail };

export function scoreRows(rows: readonly SeriesRow[]): ScoredRow[] {
  const d = new AnomalyDetector();
  return rows.map((r) => {
    const detail = d.update(r.value, parseTimestamp(r.timestamp));
    return { ...r, anomaly_score: Math.round(detail.score * 1e6) / 1e6, detail };
  });
}

export const anomalyCommand = defineCommand({
  name: 'anomaly',
  summary: 'Score a timestamp,value CSV series with the streaming anomaly detector',
  usage: USAGE,
  options: {
    csv: { type: 'string' },
    json: { type: 'boolean', default: false },
    html: { type: 'string' },
    threshold: { type: 'string' },
  },
  async run({ values }, io) {
    if (!values.csv) throw new ValidationError('--csv FILE is required');
    let threshold = ANOMALY_SCORE_THRESHOLD;
    if (values.threshold !== undefined) {
      threshold = Number(values.threshold);
      if (!Number.isFinite(threshold) || threshold <= 0 || threshold >= 1)
        throw new ValidationError('--threshold must be a number between 0 and 1 (exclusive)');
    }
    let text: string;
    try {
      text = values.csv === '-' ? await readStdin() : await readFile(values.csv, 'utf8');
    } catch (err) {
      throw new ValidationError(`cannot read ${values.csv}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    const scored = scoreRows(parseSeriesCsv(text));
    if (values.html) {
      const page = renderAnomalyReport(
        scored.map((r) => ({
          timestamp: r.timestamp,
          value: r.value,
          score: r.detail.score,
          likelihood: r.detail.likelihood,
          expected: r.detail.baseline.expected,
          baselineKind: r.detail.baseline.kind,
          z: r.detail.baseline.z,
          driver: r.detail.driver,
        })),
        { title: `Anomaly report: ${values.csv === '-' ? 'stdin' : values.csv}`, threshold },
      );
      try {
        await writeFile(values.html, page);
      } catch (err) {
        throw new ValidationError(`cannot write ${values.html}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    }
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          scored.map(({ detail, ...r }) => ({
            ...r,
            anomaly: r.anomaly_score >= threshold,
            likelihood: Math.round(detail.likelihood * 1e6) / 1e6,
            driver: detail.driver,
            baseline: detail.baseline,
            newExtreme: detail.newExtreme,
          })),
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout.write('timestamp,value,anomaly_score\n');
      for (const r of scored) io.stdout.write(`${r.timestamp},${r.value},${r.anomaly_score}\n`);
    }
    return 0;
  },
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
