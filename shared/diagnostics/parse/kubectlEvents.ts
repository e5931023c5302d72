// `kubectl get events` text (any layout, see eventLines.ts) as event records: the events part of the paste reader,
// for callers that hold only an events table.
import type { EventRecord } from '../evidence/snapshot.js';
import { isDashes, isEventsHeader, parseEventLine } from './eventLines.js';

export function parseKubectlEvents(text: string, defaultNamespace?: string): EventRecord[] {
  const out: EventRecord[] = [];
  let namespaceColumn = false;
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((line, i) => {
      if (isEventsHeader(line)) {
        namespaceColumn = /^\s*NAMESPACE\b/.test(line);
        return;
      }
      if (isDashes(line)) return;
      const e = parseEventLine(line, i + 1, namespaceColumn);
      if (!e) return;
      const { line: _line, raw: _raw, ...record } = e;
      if (record.object.namespace === undefined && record.object.kind !== 'Node' && defaultNamespace)
        record.object = { ...record.object, namespace: defaultNamespace };
      out.push(record);
    });
  return out;
}
