// Findings as the engine keeps them until the sweep ends: a large cluster yields hundreds of thousands (150,000 pods
// and 30,000 Deployments gave 306,301 in bench/sweep), and their text was most of the sweep's memory. Most of that
// text repeats from object to object with only the namespace and name changed ("Deployment team-0001/svc-000012 has
// no readiness probe", "kubectl -n team-0001 get deployment svc-000012 …"), so each message and evidence line is kept
// as a shared template with the object's namespace and name cut out, and put back when read. What a reader sees
// (property access, JSON) is the same text the analyzer wrote.
import type { FindingDraft } from './analyzer.js';
import { fingerprintOf } from './fingerprint.js';
import type { Finding, Severity } from './types.js';

/** Placeholders for the object's namespace and name; control characters no message or evidence line contains. */
const NS = '\u0001';
const NAME = '\u0002';

/**
 * The shared template strings of one sweep. Bounded: a check whose text varies per object (restart counts, event
 * messages) would otherwise fill it without sharing anything; past the bound new texts are kept as they are.
 */
export class TemplateTable {
  private readonly templates = new Map<string, string>();
  private readonly lists: ListNode = {};
  private listNodes = 0;
  /** Per check and text slot (message, evidence line i): the templates it used last, most recent first. */
  private readonly recent = new Map<string, Recent[][]>();
  /** The last namespace and name found free of placeholders (an object's findings come one after another). */
  private cleanNs: string | undefined;
  private cleanName: string | undefined;

  constructor(private readonly max = 50_000) {}

  get size(): number {
    return this.templates.size;
  }

  /**
   * A text with the object's namespace and name cut out, the template shared with every other object's. With a
   * `check`, the templates that check used last are tried first: a text that reads as one of them with this object's
   * namespace and name filled in gets it without being cut, scanned or hashed (most findings of a check on a large
   * cluster say the same thing about another object).
   */
  toTemplate(text: string, namespace: string | undefined, name: string, check?: string, slot = 0): Text {
    const ns = namespace ?? '';
    // A text (or name) that already holds a placeholder character could not be told apart from its template.
    if (!this.namesClean(ns, name)) return new Verbatim(flat(text));
    let recent: Recent[] | undefined;
    if (check !== undefined) {
      recent = this.recentFor(check, slot);
      for (let i = 0; i < recent.length; i++) {
        const r = recent[i]!;
        if (!readsAs(text, r, ns, name)) continue;
        if (i > 0) recent.copyWithin(1, 0, i)[0] = r;
        return r.template;
      }
    }
    if (hasPlaceholder(text)) return new Verbatim(flat(text));
    const t = cutOut(text, ns, name);
    let shared = this.templates.get(t);
    if (shared === undefined) {
      shared = flat(t);
      if (this.templates.size >= this.max) return shared;
      this.templates.set(shared, shared);
    }
    if (recent !== undefined) {
      if (recent.length >= RECENT) recent.pop();
      recent.unshift(recentOf(shared));
    }
    return shared;
  }

  /**
   * The evidence lines as templates, the list itself shared too (most objects of a check have the same lines): a
   * trie of maps keyed by template, so a lookup hashes no new string.
   */
  evidenceOf(lines: readonly string[], namespace: string | undefined, name: string, check?: string): readonly Text[] {
    if (lines.length === 0) return EMPTY;
    let node: ListNode | undefined = this.lists;
    const list: Text[] = [];
    for (let i = 0; i < lines.length; i++) {
      const t = this.toTemplate(lines[i]!, namespace, name, check, i + 1);
      list.push(t);
      if (node === undefined || typeof t !== 'string') {
        node = undefined;
        continue;
      }
      let next: ListNode | undefined = node.next?.get(t);
      if (next === undefined && this.listNodes < this.max) {
        next = {};
        (node.next ??= new Map()).set(t, next);
        this.listNodes++;
      }
      node = next;
    }
    if (node === undefined) return list;
    return (node.list ??= Object.freeze(list));
  }

  private namesClean(ns: string, name: string): boolean {
    if (ns === this.cleanNs && name === this.cleanName) return true;
    if (hasPlaceholder(name) || hasPlaceholder(ns)) return false;
    this.cleanNs = ns;
    this.cleanName = name;
    return true;
  }

  private recentFor(check: string, slot: number): Recent[] {
    let slots = this.recent.get(check);
    if (slots === undefined) this.recent.set(check, (slots = []));
    while (slots.length <= slot) slots.push([]);
    return slots[slot]!;
  }
}

/** Templates tried per check and slot before cutting: enough for the few variants of one check's text. */
const RECENT = 8;

/** A template, its parts (literal text, and the placeholders NS and NAME as parts of their own) and their counts. */
interface Recent {
  template: string;
  parts: readonly string[];
  literalLength: number;
  namespaces: number;
  names: number;
}

function recentOf(template: string): Recent {
  const parts: string[] = [];
  let literalLength = 0;
  let namespaces = 0;
  let names = 0;
  let from = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== NS && c !== NAME) continue;
    if (i > from) parts.push(template.slice(from, i));
    literalLength += i - from;
    parts.push(c);
    if (c === NS) namespaces++;
    else names++;
    from = i + 1;
  }
  if (from < template.length) parts.push(template.slice(from));
  literalLength += template.length - from;
  return { template, parts, literalLength, namespaces, names };
}

/**
 * Whether the template, with this namespace and name put in, reads exactly as the text. Then the template reads back
 * as the text (its literal parts hold no placeholder, nor do the namespace and name), whether or not cutting the text
 * would have given the same template. The length is compared first (no need to flatten the text for that), then
 * each part as a slice: V8 compares a slice by memory; `startsWith` with a position was several times slower.
 */
function readsAs(text: string, r: Recent, ns: string, name: string): boolean {
  if (text.length !== r.literalLength + r.namespaces * ns.length + r.names * name.length) return false;
  let at = 0;
  for (const p of r.parts) {
    const s = p === NS ? ns : p === NAME ? name : p;
    const end = at + s.length;
    if (text.slice(at, end) !== s) return false;
    at = end;
  }
  return true;
}

/** A node of the evidence-list trie: the shared list ending here, and the nodes one line longer. */
interface ListNode {
  list?: readonly Text[];
  next?: Map<string, ListNode>;
}

/**
 * The text with each occurrence of the namespace or the name replaced by its placeholder, scanning left to right
 * (at one position, the longer of the two wins). Any such cut reads back exactly: each placeholder stands for the
 * characters it replaced. One pass, and no copy at all for a text that names neither.
 */
function cutOut(text: string, namespace: string, name: string): string {
  let out = '';
  let from = 0;
  let atName = name ? text.indexOf(name) : -1;
  let atNs = namespace ? text.indexOf(namespace) : -1;
  while (atName >= 0 || atNs >= 0) {
    const useName =
      atNs < 0 || (atName >= 0 && (atName < atNs || (atName === atNs && name.length >= namespace.length)));
    const at = useName ? atName : atNs;
    out += text.slice(from, at) + (useName ? NAME : NS);
    from = at + (useName ? name.length : namespace.length);
    if (atName >= 0 && atName < from) atName = text.indexOf(name, from);
    if (atNs >= 0 && atNs < from) atNs = text.indexOf(namespace, from);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** A text kept as written (it could not be told apart from a template); rare, so boxed. */
class Verbatim {
  constructor(readonly text: string) {}
}
type Text = string | Verbatim;

function hasPlaceholder(s: string): boolean {
  return s.includes(NS) || s.includes(NAME);
}

/**
 * The string, flattened: V8 keeps template literals as ropes of their parts until something needs them flat, and
 * converting to a number flattens first. The result goes to a variable nothing reads so it is not dropped as dead.
 */
let flattenSink = 0;
function flat(s: string): string {
  flattenSink = Number(s) || flattenSink;
  return s;
}

function fromTemplate(t: Text, namespace: string | undefined, name: string): string {
  if (typeof t !== 'string') return t.text;
  // Namespace first: the template was made by cutting the name, then the namespace, out of the text.
  return t.replaceAll(NS, namespace ?? '').replaceAll(NAME, name);
}

const EMPTY: readonly Text[] = Object.freeze([]);

/**
 * A finding whose message and evidence are expanded from shared templates when read. Reading `evidence` gives a
 * frozen array: the engine is the only writer (merging duplicates), through `addEvidence`.
 */
export class CompactFinding implements Finding {
  check: string;
  severity: Severity;
  kind: string;
  // Declared only: set when present, so a cluster-scoped finding has no `namespace` key at all (as before).
  declare namespace?: string;
  name: string;
  remediation: string;
  declare docsUrl?: string;
  clusterId = '';
  fingerprint = '';
  private messageTemplate: Text;
  private evidenceTemplates: readonly Text[];

  /** With a cluster id, stamped and fingerprinted at once (the engine: hashing as findings come spreads the work). */
  constructor(d: FindingDraft, table: TemplateTable, clusterId?: string) {
    this.check = d.check;
    this.severity = d.severity;
    this.kind = d.kind;
    if (d.namespace !== undefined) this.namespace = d.namespace;
    this.name = d.name;
    this.remediation = d.remediation;
    if (d.docsUrl !== undefined) this.docsUrl = d.docsUrl;
    this.messageTemplate = table.toTemplate(d.message, d.namespace, d.name, d.check);
    this.evidenceTemplates = table.evidenceOf(d.evidence, d.namespace, d.name, d.check);
    if (clusterId !== undefined) this.stamp(clusterId);
  }

  /** Sets the cluster id and the fingerprint that derives from it. */
  stamp(clusterId: string): void {
    if (this.fingerprint && this.clusterId === clusterId) return;
    this.clusterId = clusterId;
    this.fingerprint = fingerprintOf(this);
  }

  get message(): string {
    return fromTemplate(this.messageTemplate, this.namespace, this.name);
  }

  get evidence(): string[] {
    // Frozen so a caller that tries to append learns it at once instead of losing the line silently.
    return Object.freeze(this.evidenceTemplates.map((t) => fromTemplate(t, this.namespace, this.name))) as string[];
  }

  /** Appends the lines not already there (the engine merging two reports of the same check on the same object). */
  addEvidence(lines: readonly string[], table: TemplateTable): void {
    const have = new Set(this.evidence);
    const added: Text[] = [];
    for (const e of lines) {
      if (have.has(e)) continue;
      have.add(e);
      added.push(table.toTemplate(e, this.namespace, this.name));
    }
    if (added.length > 0) this.evidenceTemplates = [...this.evidenceTemplates, ...added];
  }

  /** The plain finding: what JSON output, the results sink and Table storage see. */
  toJSON(): Finding {
    return plainFinding(this);
  }
}

/** A plain-object copy of a finding, every field read (a CompactFinding's text expanded). */
export function plainFinding(f: Finding): Finding {
  const out: Finding = {
    check: f.check,
    severity: f.severity,
    kind: f.kind,
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    name: f.name,
    message: f.message,
    evidence: [...f.evidence],
    remediation: f.remediation,
    ...(f.docsUrl !== undefined ? { docsUrl: f.docsUrl } : {}),
    clusterId: f.clusterId,
    fingerprint: f.fingerprint,
  };
  return out;
}
