// Offline parsing of `kubectl get events` tables, current (`LAST SEEN TYPE REASON OBJECT MESSAGE`, optionally with a
// NAMESPACE column from -A) and older (`LAST SEEN FIRST SEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE`).
import type { EventRecord } from '../evidence/snapshot.js';

const HEADER = /^(NAMESPACE\s+)?LAST SEEN\s+/;

export function looksLikeEventsTable(text: string): boolean {
  return text.split('\n').some((l) => HEADER.test(l.trim()) && /\bREASON\b/.test(l) && /\bMESSAGE\b/.test(l));
}

const KIND_BY_PREFIX: Record<string, string> = {
  pod: 'Pod',
  node: 'Node',
  persistentvolumeclaim: 'PersistentVolumeClaim',
  replicaset: 'ReplicaSet',
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  job: 'Job',
  cronjob: 'CronJob',
  service: 'Service',
  persistentvolume: 'PersistentVolume',
  horizontalpodautoscaler: 'HorizontalPodAutoscaler',
};

function columnsOf(header: string): Array<{ name: string; start: number }> {
  const cols: Array<{ name: string; start: number }> = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m; m = re.exec(header)) cols.push({ name: m[0], start: m.index });
  return cols;
}

/** Parses every events table in the text; rows before a header or after a blank line are ignored. */
export function parseKubectlEvents(text: string, defaultNamespace?: string): EventRecord[] {
  const out: EventRecord[] = [];
  let cols: Array<{ name: string; start: number }> | undefined;
  let offset = 0;
  for (const rawLine of text.replace(/\r\n/g, '\n').split('\n')) {
    const trimmedStart = rawLine.search(/\S/);
    if (trimmedStart < 0) {
      cols = undefined;
      continue;
    }
    if (HEADER.test(rawLine.trim()) && /\bREASON\b/.test(rawLine)) {
      offset = trimmedStart;
      cols = columnsOf(rawLine.slice(offset));
      continue;
    }
    if (!cols) continue;
    const line = rawLine.slice(Math.min(offset, trimmedStart));
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      const end = i + 1 < cols!.length ? cols![i + 1]!.start : line.length;
      row[c.name] = line.slice(c.start, end).trim();
    });
    const type = row.TYPE ?? '';
    if (type !== 'Normal' && type !== 'Warning') continue;
    let kind: string | undefined;
    let name = '';
    if (row.OBJECT !== undefined) {
      const [prefix, ...rest] = row.OBJECT.split('/');
      kind = KIND_BY_PREFIX[(prefix ?? '').toLowerCase()] ?? prefix;
      name = rest.join('/');
    } else {
      kind = row.KIND;
      name = row.NAME ?? '';
    }
    const count = Number(row.COUNT ?? /\(x(\d+) over/.exec(row['LAST SEEN'] ?? '')?.[1] ?? 1) || 1;
    out.push({
      type,
      reason: row.REASON ?? '',
      message: row.MESSAGE ?? '',
      count,
      object: { kind, name, namespace: row.NAMESPACE ?? (kind === 'Node' ? undefined : defaultNamespace) },
      source: row.SOURCE,
      age: row['LAST SEEN'],
    });
  }
  return out;
}
