// Single Kubernetes event lines as people copy them out of a terminal, in every layout kubectl has printed since
// 2016, with or without their column header, tab- or space-separated:
//   describe (kubectl >= 1.14, kubectl/pkg/describe DescribeEvents):  Type  Reason  Age  From  Message
//   describe (kubectl 1.3-1.13):  FirstSeen  LastSeen  Count  From  SubObjectPath  Type  Reason  Message
//   get events (kubectl >= 1.14, printers/internalversion printEvent):  [NAMESPACE]  LAST SEEN  TYPE  REASON  OBJECT  MESSAGE
//   get events (kubectl <= 1.13):  [NAMESPACE]  LAST SEEN  FIRST SEEN  COUNT  NAME  KIND  SUBOBJECT  TYPE  REASON  SOURCE  MESSAGE
// The event type column is always `Normal` or `Warning` (core/v1 EventTypeNormal/EventTypeWarning), and the reason
// that follows it is one CamelCase word: the line is anchored there and the layout is told from what surrounds it.
import type { EventRecord } from '../evidence/snapshot.js';

export interface EventLine extends EventRecord {
  /** 1-based line number in the paste. */
  line: number;
  raw: string;
}

/** Columns are separated by tabs or by runs of 2+ spaces (kubectl's tabwriter pads with at least 2 spaces). */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .split(/\t+\s*|\s{2,}/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

const TYPE = /^(Normal|Warning)$/;
const REASON = /^[A-Z][A-Za-z0-9]+$/;
/** `84s`, `3m25s`, `<unknown>`, `2d`, `1m (x5 over 3m)`, `x5 over 3m`, `2019-05-02T11:04:00Z` */
const AGE =
  /^(<unknown>|<invalid>|\d+[smhdy][\dsmhdy]*|\d{4}-\d\d-\d\dT\S+|[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} .*)/;

/** The repeat count of an age column (`84s (x20 over 28m)`, `x5 over 3m`), 1 when not repeated. */
export function countOfAge(age: string | undefined): number {
  const m = /\bx(\d+) over\b/.exec(age ?? '');
  return m?.[1] ? Number(m[1]) : 1;
}

export const KIND_BY_PREFIX: Record<string, string> = {
  pod: 'Pod',
  pods: 'Pod',
  node: 'Node',
  nodes: 'Node',
  persistentvolumeclaim: 'PersistentVolumeClaim',
  pvc: 'PersistentVolumeClaim',
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

const KINDS = new Set(Object.values(KIND_BY_PREFIX));

/** True for a header line of any events layout (describe or get events, old or new). */
export function isEventsHeader(line: string): boolean {
  const t = line.trim();
  return (
    (/^(Type\s+Reason\s+Age\s+From\s+Message)$/.test(t) ||
      /^FirstSeen\s+LastSeen\s+Count\s+From\s+Sub[Oo]bjectPath\s+Type\s+Reason\s+Message$/.test(t) ||
      /^(NAMESPACE\s+)?LAST\s?SEEN\s+/.test(t)) &&
    /\bREASON\b|\bReason\b/.test(t)
  );
}

/** The dashes line under a describe table header. */
export function isDashes(line: string): boolean {
  return /^\s*-{2,}(\s+-{2,})*\s*$/.test(line);
}

/** Reads one event line of any layout; undefined when the line is not an event. */
export function parseEventLine(raw: string, line: number, namespaceColumn = false): EventLine | undefined {
  const cells = cellsOf(raw);
  const t = cells.findIndex((c) => TYPE.test(c));
  if (t < 0 || t + 1 >= cells.length) return undefined;
  const reason = cells[t + 1]!;
  if (!REASON.test(reason)) return undefined;
  const before = cells.slice(0, t);
  const after = cells.slice(t + 2);
  const base = { type: cells[t]!, reason, line, raw };
  if (t === 0) {
    // describe >= 1.14: Type Reason Age From Message. A message-only continuation has no age.
    const [age, from, ...message] = after;
    if (age === undefined) return undefined;
    if (!AGE.test(age) && from === undefined) return { ...base, message: age, count: 1, object: { name: '' } };
    return {
      ...base,
      age,
      count: countOfAge(age),
      source: from,
      message: message.join('  '),
      object: { name: '' },
    };
  }
  if (!AGE.test(before[namespaceColumn ? 1 : 0] ?? before[0] ?? '') && !AGE.test(before[1] ?? ''))
    // Neither the first nor the second cell is an age: not an event line (e.g. prose that says "Warning").
    return undefined;
  const slash = after[0]?.indexOf('/') ?? -1;
  if (after.length >= 2 && slash > 0 && KIND_BY_PREFIX[after[0]!.slice(0, slash).toLowerCase()] !== undefined) {
    // get events >= 1.14: [NAMESPACE] LAST SEEN TYPE REASON OBJECT MESSAGE
    const obj = after[0]!;
    const ns = before.length >= 2 && !AGE.test(before[0]!) ? before[0] : undefined;
    return {
      ...base,
      age: before[before.length - 1],
      count: countOfAge(before[before.length - 1]),
      object: {
        kind: KIND_BY_PREFIX[obj.slice(0, slash).toLowerCase()],
        name: obj.slice(slash + 1),
        namespace: ns,
      },
      message: after.slice(1).join('  '),
    };
  }
  // Old layouts start with two ages and a count; `get events` then has NAME and a CamelCase KIND, describe has FROM.
  const countAt = before.findIndex((c, i) => i >= 2 && /^\d+$/.test(c));
  const kindCell = countAt >= 0 ? before[countAt + 2] : undefined;
  if (countAt >= 0 && kindCell && (KINDS.has(kindCell) || /^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(kindCell))) {
    // get events <= 1.13: [NAMESPACE] LAST SEEN FIRST SEEN COUNT NAME KIND [SUBOBJECT] TYPE REASON SOURCE MESSAGE
    const ns = countAt >= 3 ? before[0] : undefined;
    const [source, ...message] = after;
    return {
      ...base,
      age: before[countAt - 2],
      count: Number(before[countAt]),
      object: {
        kind: kindCell,
        name: before[countAt + 1] ?? '',
        namespace: ns,
        fieldPath: before[countAt + 3],
      },
      source: source?.replace(/^\{|\}$/g, '').trim(),
      message: message.join('  '),
    };
  }
  // describe 1.3-1.13: FirstSeen LastSeen Count From [SubObjectPath] Type Reason Message
  const countCell = before[2];
  if (namespaceColumn) return undefined;
  return {
    ...base,
    age: before[1] ?? before[0],
    count: countCell && /^\d+$/.test(countCell) ? Number(countCell) : 1,
    source: before[3]?.replace(/^\{|\}$/g, '').trim(),
    object: { name: '', fieldPath: before[4] },
    message: after.join('  '),
  };
}
