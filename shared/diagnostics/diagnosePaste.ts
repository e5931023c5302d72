// Diagnosis of a paste (CLI `diagnose --file`, `POST /api/diagnose` with a paste): read it with the tolerant reader,
// run the engine, then make the answer honest about its input: every evidence item cites the input lines it comes
// from (`source: 'input'`, line numbers and text), the confidence is lower when the facts come from fragments, and
// the summary says what the paste did not show.
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import { diagnoseSnapshot } from './engine.js';
import type { ClusterSnapshot } from './evidence/snapshot.js';
import { parseDump, type ParsedDump } from './parse/parseDump.js';
import { randomUUID } from 'node:crypto';
import { eventEvidence, eventsFor, podEvents } from './rules/podFacts.js';
import type { Diagnosis, DiagnosisTarget, EvidenceItem } from './types.js';

export interface PasteDiagnosisOptions {
  target?: DiagnosisTarget;
  now?: () => Date;
  logTailLines?: number;
  id?: string;
}

/** How much a fragment's diagnosis is trusted relative to one from full objects, and per missing fact. */
const FRAGMENT_FACTOR = 0.85;
const MISSING_FACTOR = 0.95;

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').replace(/['"]/g, '').trim();

/** The quoted texts and `key=value` values of an evidence detail (see podFacts: details quote their source). */
function factsOf(detail: string): Array<{ text: string; key?: string }> {
  const out: Array<{ text: string; key?: string }> = [];
  // An event or log line is quoted whole at the end (`...: "<message>"`) and may hold quotes itself.
  const whole = /^([^"]*?): "(.*)"$/.exec(detail);
  if (whole?.[2]) {
    out.push({ text: whole[2] });
    detail = `${whole[1]}:`;
  }
  for (const m of detail.matchAll(/"((?:[^"\\]|\\.)*)"/g)) if (m[1]) out.push({ text: m[1] });
  const rest = detail.replace(/"((?:[^"\\]|\\.)*)"/g, '');
  const colon = rest.indexOf(': ');
  if (colon >= 0)
    for (const part of rest.slice(colon + 2).split(/, (?=[\w.#-]+=)/)) {
      const eq = part.indexOf('=');
      if (eq > 0) out.push({ key: part.slice(0, eq), text: part.slice(eq + 1).replace(/ \([^)]*\)$/, '') });
    }
  return out.filter((f) => f.text.trim() !== '');
}

/** Words of a field name that a describe or YAML line would also carry (`restartCount` -> restart, count). */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 4);
}

/** The input lines an evidence item's facts come from (at most 5). */
export function citeLines(e: EvidenceItem, lines: string[]): Array<{ line: number; text: string }> {
  const normalized = lines.map(norm);
  const hits = new Set<number>();
  // Several objects may share a value (two pods in CrashLoopBackOff): prefer the lines that name the subject.
  const subject = /^(?:pod [^/\s]+\/|node |pvc [^/\s]+\/)(\S+)/.exec(e.detail)?.[1];
  const named = subject && !subject.startsWith('<') ? norm(subject) : undefined;
  for (const f of factsOf(e.detail)) {
    const value = norm(f.text);
    // A long message may be wrapped in the paste: its first 60 characters are enough to find it.
    const probe = value.length > 60 ? value.slice(0, 60) : value;
    const words = f.key ? keyWords(f.key) : [];
    const matches = (l: string, i: number) => {
      if (hits.has(i)) return false;
      if (!l.includes(probe)) return false;
      if (probe.length >= 12 || words.length === 0) return true;
      const esc = probe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`(^|[^\\w])${esc}($|[^\\w])`).test(l) && words.some((w) => l.includes(w));
    };
    const onSubject = named ? normalized.findIndex((l, i) => l.includes(named) && matches(l, i)) : -1;
    const found = onSubject >= 0 ? onSubject : normalized.findIndex(matches);
    if (found >= 0) hits.add(found);
  }
  return [...hits]
    .sort((a, b) => a - b)
    .slice(0, 5)
    .map((i) => ({ line: i + 1, text: lines[i]!.trim() }));
}

/** What a full object would show that the paste does not, for the diagnosed subject. */
export function missingFacts(snapshot: ClusterSnapshot, d: Diagnosis): string[] {
  const missing: string[] = [];
  const t = d.target;
  if (t.pod) {
    const pod: V1Pod | undefined = snapshot.pods.find((p) => p.metadata?.name === t.pod);
    if (!pod) return missing;
    if (pod.metadata?.name === '<pod>') missing.push('no pod name');
    if (!pod.metadata?.namespace) missing.push('no namespace');
    const s = pod.status ?? {};
    // An unscheduled pod has no container status to miss.
    if (!s.containerStatuses?.length && !s.initContainerStatuses?.length && d.rootCause !== 'failed_scheduling')
      missing.push('no container status');
    else if (s.containerStatuses?.some((c) => !c.name)) missing.push('no container names');
    if (!s.phase) missing.push('no pod phase');
    if (podEvents(snapshot, pod).length === 0) missing.push('no events');
  } else if (t.node) {
    const node = snapshot.nodes.find((n) => n.metadata?.name === t.node);
    if (node && !node.status?.conditions?.length) missing.push('no node conditions');
    if (node && eventsFor(snapshot, 'Node', t.node).length === 0) missing.push('no node events');
  } else if (t.pvc) {
    const pvc = snapshot.pvcs.find((p) => p.metadata?.name === t.pvc);
    if (pvc && !pvc.status?.phase) missing.push('no claim phase');
  }
  return missing;
}

/** Cites the input in each evidence item and adjusts confidence and summary to what the paste held. */
export function annotatePasteDiagnosis(d: Diagnosis, parsed: ParsedDump): Diagnosis {
  const evidence = d.evidence
    // A status line with no field the paste gave (`pod x container y: `) says nothing: drop it.
    .filter((e) => !/: ?$/.test(e.detail))
    .map((e): EvidenceItem => {
      const cited = citeLines(e, parsed.lines);
      return cited.length > 0 ? { ...e, source: 'input', lines: cited } : e;
    });
  const allMissing = missingFacts(parsed.snapshot, d);
  // Without the container status the paste cannot tell whether the failure is still there.
  let state = d.state;
  let base = d.summary;
  if (allMissing.includes('no container status') && state === 'recovered') {
    state = 'unknown';
    base = base.replace(' It has recovered since.', '');
  }
  let confidence = d.confidence;
  if (parsed.fragment) confidence *= FRAGMENT_FACTOR;
  confidence *= MISSING_FACTOR ** Math.min(allMissing.length, 4);
  const summary = allMissing.length > 0 ? `${base} Not in the paste: ${allMissing.join(', ')}.` : base;
  return {
    ...d,
    evidence: evidence.length > 0 ? evidence : d.evidence,
    state,
    confidence: Math.round(confidence * 100) / 100,
    summary,
  };
}

/** Reads a paste and diagnoses it. Throws ValidationError (400) when the text has no Kubernetes signal. */
export function diagnosePaste(text: string, options: PasteDiagnosisOptions = {}): Diagnosis {
  const parsed = parseDump(text, { now: options.now?.() });
  const { snapshot } = parsed;
  const subjects = snapshot.pods.length + snapshot.nodes.length + snapshot.pvcs.length;
  if (subjects === 0 && !options.target?.pod && !options.target?.node)
    return annotatePasteDiagnosis(eventsOnly(snapshot, options), parsed);
  const d = diagnoseSnapshot(snapshot, {
    target: options.target ?? {},
    logTailLines: options.logTailLines,
    now: options.now,
    id: options.id,
  });
  return annotatePasteDiagnosis(d, parsed);
}

/**
 * Events about objects the rules do not diagnose (a ReplicaSet's FailedCreate, a Deployment's rollout): no root
 * cause is claimed, the warnings are reported as the evidence there is.
 */
function eventsOnly(snapshot: ClusterSnapshot, options: PasteDiagnosisOptions): Diagnosis {
  const now = options.now ?? (() => new Date());
  const started = now().toISOString();
  const warnings = snapshot.events.filter((e) => e.type === 'Warning');
  const shown = (warnings.length > 0 ? warnings : snapshot.events).slice(0, 5);
  const objects = [...new Set(shown.map((e) => `${e.object.kind ?? 'object'} ${e.object.name}`))];
  return {
    id: options.id ?? `dg-${randomUUID()}`,
    target: { namespace: shown[0]?.object.namespace },
    rootCause: 'unknown',
    confidence: 0,
    summary: `The paste holds only events about ${objects.join(', ')}: no pod, node or claim to diagnose.`,
    evidence: shown.map((e) =>
      eventEvidence(
        e,
        `${(e.object.kind ?? 'object').toLowerCase()} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`,
      ),
    ),
    recommendations: [
      'Read the warnings above; paste the pods they concern (`kubectl get pods`, `kubectl describe pod`) for a diagnosis.',
    ],
    state: 'unknown',
    firings: 1,
    startedAt: started,
    finishedAt: now().toISOString(),
  };
}
