// Compact findings must read exactly as the analyzer wrote them, whatever the namespace and name look like.
import { describe, expect, it } from '@jest/globals';
import { CompactFinding, TemplateTable, plainFinding } from '../../../shared/sweep/compactFinding.js';
import { finalizeFindings } from '../../../shared/sweep/analyzeObjects.js';
import type { FindingDraft } from '../../../shared/sweep/analyzer.js';
import { CLUSTER } from './sweepTestKit.js';

function draft(namespace: string | undefined, name: string, extra = ''): FindingDraft {
  const where = namespace ? `${namespace}/${name}` : name;
  return {
    check: 'bestpractice.readiness-probe-missing',
    severity: 'warning',
    kind: 'Deployment',
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    message: `Deployment ${where} has containers without a readiness probe (readinessProbe): app.${extra}`,
    evidence: [
      `kubectl${namespace ? ` -n ${namespace}` : ''} get deployment ${name} -o jsonpath='{.spec}' → (not set)`,
      `kubectl describe deployment ${name}`,
    ],
    remediation: 'Add a readinessProbe.',
    docsUrl: 'https://kubernetes.io/docs/',
  };
}

describe('CompactFinding', () => {
  it.each([
    ['team-0001', 'svc-000012'],
    // The name inside the namespace, the namespace inside the name, one-letter names inside every word.
    ['shop', 'shop-web'],
    ['shop-web-prod', 'web'],
    ['a', 'e'],
    [undefined, 'aks-pool1-vmss000001'],
    ['ns', 'name'],
    // Overlapping and identical namespace and name.
    ['ab', 'ba'],
    ['web', 'web'],
    ['aba', 'bab'],
  ])('reads back the text as written (namespace %s, name %s)', (ns, name) => {
    const d = draft(ns, name);
    const f = new CompactFinding(d, new TemplateTable());
    expect(f.message).toBe(d.message);
    expect(f.evidence).toEqual(d.evidence);
    expect(f.namespace).toBe(ns);
    expect('namespace' in f).toBe(ns !== undefined);
  });

  it('keeps a text holding a placeholder character verbatim', () => {
    const d = draft('shop', 'web', ' \u0001\u0002 odd');
    const f = new CompactFinding(d, new TemplateTable());
    expect(f.message).toBe(d.message);
    const odd = new CompactFinding({ ...draft('shop', 'web'), name: 'w\u0002b' }, new TemplateTable());
    expect(odd.name).toBe('w\u0002b');
    expect(odd.message).toBe(draft('shop', 'web').message);
  });

  it('shares one template among objects whose text differs only by namespace and name', () => {
    const table = new TemplateTable();
    const fs = Array.from({ length: 100 }, (_, i) => new CompactFinding(draft(`team-${i}`, `svc-${i}`), table));
    // Message and the two evidence lines.
    expect(table.size).toBe(3);
    expect(fs[99]!.evidence).toEqual(draft('team-99', 'svc-99').evidence);
  });

  it("reuses a check's recent templates only where they read back as the text", () => {
    const table = new TemplateTable();
    const texts: [string, string, string][] = [
      ['a1', 'x', 'Deployment a1/x uses image web:1'],
      // The name also stands in the template's literal text: the template still reads back as this text.
      ['a2', 'web', 'Deployment a2/web uses image web:1'],
      // Same length as the template filled in, other words.
      ['a3', 'y', 'Deployment a3/y uses image web:2'],
      ['a4', 'zz', 'Deployment a4/zz uses image web:1'],
      // Cluster-scoped: no namespace to put in.
      [undefined as unknown as string, 'n1', 'Deployment n1 uses image web:1'],
      ['a\u0002', 'q', 'Deployment a\u0002/q uses image web:1'],
      ['a5', 'x', 'Deployment a5/x uses image web:1'],
    ];
    for (const [ns, name, message] of texts) {
      const d = { ...draft(ns, name), message, evidence: [`kubectl -n ${ns} get deployment ${name}`, message] };
      const f = new CompactFinding(d, table);
      expect(f.message).toBe(message);
      expect(f.evidence).toEqual(d.evidence);
    }
    // web:1 and web:2 (the namespace and name filled in differ, the templates do not), one per other slot, and the
    // cluster-scoped message.
    expect(table.size).toBe(5);
  });

  it('stops sharing past its bound and still reads back every text', () => {
    const table = new TemplateTable(2);
    const fs = Array.from({ length: 5 }, (_, i) => {
      const d = draft('shop', 'web', ` restarts ${i}`);
      return { d, f: new CompactFinding(d, table) };
    });
    expect(table.size).toBe(2);
    for (const { d, f } of fs) expect(f.message).toBe(d.message);
  });

  it('serialises to the plain finding and refuses edits to its evidence', () => {
    const [f] = finalizeFindings(CLUSTER, [draft('shop', 'web')]);
    const plain = plainFinding(f!);
    expect(JSON.parse(JSON.stringify(f))).toEqual(plain);
    expect(plain).toEqual({ ...draft('shop', 'web'), clusterId: CLUSTER, fingerprint: f!.fingerprint });
    expect(() => f!.evidence.push('more')).toThrow(TypeError);
  });

  it('merges the evidence of two reports of the same check on the same object', () => {
    const a = draft('shop', 'web');
    const b = { ...a, evidence: [a.evidence[1]!, 'kubectl -n shop get events'] };
    const findings = finalizeFindings(CLUSTER, [a, b]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toEqual([...a.evidence, 'kubectl -n shop get events']);
  });
});
