// `aks-aiops anomaly --csv FILE [--json]`: runs the simulator's streaming detector over any timestamp,value series.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError } from '../../errors.js';
import {
  ANOMALY_THRESHOLD,
  StreamingDetector,
  type DetectorOptions,
} from '../../simulator/anomaly/streamingDetector.js';
import type { CliCommand } from './types.js';

const USAGE = `Usage: aks-aiops anomaly --csv FILE [--json] [--period N] [--threshold Z]

Scores each point of a time series with the streaming anomaly detector (robust level + trend, optional seasonal
profile) from the points before it. Input: CSV rows "timestamp,value" (a header row is allowed; "-" reads stdin).
Output: CSV rows "timestamp,value,anomaly_score" (score in [0,1]; >= ${ANOMALY_THRESHOLD} is anomalous), or a JSON
array with --json.

  --csv FILE       input file ("-" for stdin)
  --json           write JSON: [{"timestamp","value","anomaly_score","anomaly"}]
  --period N       seasonal period in points (e.g. 1440 for a daily cycle of 1-minute points); default none
  --threshold Z    standardised deviation scored 0.5 (default 7)

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

export function scoreRows(
  rows: SeriesRow[],
  options: DetectorOptions = {},
): Array<SeriesRow & { anomaly_score: number }> {
  const d = new StreamingDetector(options);
  return rows.map((r) => ({ ...r, anomaly_score: Math.round(d.update(r.value) * 10000) / 10000 }));
}

export const anomalyCommand: CliCommand = {
  name: 'anomaly',
  summary: 'Score a timestamp,value CSV series with the streaming anomaly detector',
  usage: USAGE,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          csv: { type: 'string' },
          json: { type: 'boolean', default: false },
          period: { type: 'string' },
          threshold: { type: 'string' },
        },
        strict: true,
      }));
    } catch (err) {
      throw new ValidationError(err instanceof Error ? err.message : String(err));
    }
    if (!values.csv) throw new ValidationError('--csv FILE is required');
    const options: DetectorOptions = {};
    if (values.period !== undefined) {
      const p = Number(values.period);
      if (!Number.isInteger(p) || p < 2)
        throw new ValidationError('--period must be a whole number of points, at least 2');
      options.seasonPeriod = p;
    }
    if (values.threshold !== undefined) {
      const z = Number(values.threshold);
      if (!Number.isFinite(z) || z <= 0) throw new ValidationError('--threshold must be a positive number');
      options.zThreshold = z;
    }
    let text: string;
    try {
      text = values.csv === '-' ? await readStdin() : await readFile(values.csv, 'utf8');
    } catch (err) {
      throw new ValidationError(`cannot read ${values.csv}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    const scored = scoreRows(parseSeriesCsv(text), options);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          scored.map((r) => ({ ...r, anomaly: r.anomaly_score >= ANOMALY_THRESHOLD })),
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
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
