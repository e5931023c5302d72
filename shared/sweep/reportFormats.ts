// CI outputs of `aks-aiops sweep --file`: SARIF 2.1.0 (GitHub code scanning and Azure DevOps annotate the manifest
// lines of a pull request from it, as with kube-score's SARIF output) and JUnit XML (test tabs of CI systems).
// Rule ids are the catalogue's check ids: a stable contract. Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/
import path from 'node:path';
import { APP_VERSION } from '../version.js';
import { checkEntry } from './catalogue.js';
import { locationKey, type SourceLocation } from './dumpObjectSource.js';
import type { Finding, Severity } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', warning: 'warning', info: 'note' };

/** Where a finding points in the manifests: its object, or (namespace-level findings) the first object of that namespace. */
function locate(f: Finding, locations: ReadonlyMap<string, SourceLocation>): SourceLocation | undefined {
  const own = locations.get(locationKey(f.kind, f.namespace, f.name));
  if (own) return own;
  const ns = f.kind === 'Namespace' ? f.name : f.namespace;
  if (ns !== undefined) for (const [k, loc] of locations) if (k.split('/')[1] === ns) return loc;
  return undefined;
}

function uriOf(file: string, baseDir: string): string {
  return path.relative(baseDir, path.resolve(file)).split(path.sep).join('/');
}

export function toSarif(
  findings: readonly Finding[],
  locations: ReadonlyMap<string, SourceLocation>,
  baseDir: string,
): Record<string, unknown> {
  const ruleIds = [...new Set(findings.map((f) => f.check))].sort();
  const rules = ruleIds.map((id) => {
    const e = checkEntry(id);
    return {
      id,
      name: e?.title ?? id,
      shortDescription: { text: e?.title ?? id },
      fullDescription: { text: e?.why ?? id },
      help: { text: e?.fix ?? '' },
      ...(e?.docsUrl ? { helpUri: e.docsUrl } : {}),
      defaultConfiguration: { level: LEVEL[e?.severity ?? 'warning'] },
      properties: { tags: [e?.family ?? 'other'], ...(e?.aliases?.length ? { aliases: e.aliases } : {}) },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aks-aiops',
            version: APP_VERSION,
            rules,
          },
        },
        results: findings.map((f) => {
          const loc = locate(f, locations);
          const logical = `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
          return {
            ruleId: f.check,
            ruleIndex: index.get(f.check),
            level: LEVEL[f.severity],
            message: { text: `${f.message} Fix: ${f.remediation}` },
            locations: [
              {
                ...(loc
                  ? {
                      physicalLocation: {
                        artifactLocation: { uri: uriOf(loc.file, baseDir) },
                        region: { startLine: loc.line },
                      },
                    }
                  : {}),
                logicalLocations: [{ fullyQualifiedName: logical, kind: 'object' }],
              },
            ],
            partialFingerprints: { 'aksAiopsFinding/v1': f.fingerprint },
            properties: { severity: f.severity, evidence: f.evidence },
          };
        }),
      },
    ],
  };
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 forbids most control characters even escaped.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/**
 * One test suite per object, one test case per finding; findings at or above `failOn` are failures, the others pass
 * with their message as output (a CI run fails on the same findings as the exit code).
 */
export function toJUnit(
  findings: readonly Finding[],
  locations: ReadonlyMap<string, SourceLocation>,
  baseDir: string,
  isFailure: (f: Finding) => boolean,
): string {
  const byObject = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
    byObject.set(key, [...(byObject.get(key) ?? []), f]);
  }
  const failures = findings.filter(isFailure).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aks-aiops sweep" tests="${findings.length}" failures="${failures}">`,
  ];
  for (const [object, list] of byObject) {
    const loc = list[0] ? locate(list[0], locations) : undefined;
    const file = loc ? ` file="${xml(uriOf(loc.file, baseDir))}"` : '';
    lines.push(
      `  <testsuite name="${xml(object)}" tests="${list.length}" failures="${list.filter(isFailure).length}"${file}>`,
    );
    for (const f of list) {
      const attrs = `classname="${xml(object)}" name="${xml(f.check)}"${file}${loc ? ` line="${loc.line}"` : ''}`;
      const body = `${f.message}\n\nEvidence:\n${f.evidence.map((e) => `- ${e}`).join('\n')}\n\nFix: ${f.remediation}${f.docsUrl ? `\nDocs: ${f.docsUrl}` : ''}`;
      if (isFailure(f))
        lines.push(
          `    <testcase ${attrs}>`,
          `      <failure type="${f.severity}" message="${xml(f.message)}">${xml(body)}</failure>`,
          '    </testcase>',
        );
      else lines.push(`    <testcase ${attrs}>`, `      <system-out>${xml(body)}</system-out>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
