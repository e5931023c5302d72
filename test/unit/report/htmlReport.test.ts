// `--output html` of `aks-aiops sweep` and `aks-aiops diagnose`: one self-contained file, findings by namespace and
// check with evidence and fix, and cluster data escaped (a waiting message is free text an attacker may control).
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../cli/main.js';
import { escapeHtml, renderDiagnosisHtml } from '../../../shared/report/htmlReport.js';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import { captureCliIo } from '../../support/cliIo.js';

const PAYLOAD = `<script>alert("x")</script><img src=x onerror='alert(1)'>`;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureCliIo();
  const code = await runCli(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** No markup a browser would act on beyond our own: no script, no element with an event handler, no external URL. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<[^>]+\son\w+=/i);
  expect(html).not.toMatch(/(src|href)=["']?(?!https?:\/\/)[a-z]+:/i);
  expect(html).not.toMatch(/<link|@import|url\(/i);
}

function waitingPodDump(dir: string): string {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'web',
          ready: false,
          restartCount: 0,
          image: 'nginx:1.27',
          imageID: '',
          state: { waiting: { reason: 'CreateContainerConfigError', message: `secret "db" not found ${PAYLOAD}` } },
        },
      ],
    },
  };
  const file = path.join(dir, 'pods.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod] }));
  return file;
}

describe('aks-aiops sweep --output html', () => {
  it('writes one self-contained report: score, grade, findings by namespace and check, evidence and fix', async () => {
    const r = await cli('sweep', '--file', path.resolve('test/fixtures/sweep/dumps'), '--output', 'html');
    expect(r.code).toBe(1); // the dumps have critical findings; the exit code does not depend on the format
    expect(r.out.startsWith('<!doctype html>')).toBe(true);
    expect(r.out).toMatch(/<span class="grade grade-[A-F]"/);
    expect(r.out).toMatch(/Score \d+/);
    expect(r.out).toMatch(/<section class="ns"><h2>shop/);
    expect(r.out).toContain('<strong>Fix:</strong>');
    expect(r.out).toMatch(/<pre>kubectl |<pre>[a-z]+\//);
    expectInert(r.out);
  });

  it('escapes what the cluster says: a waiting message with markup is shown as text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'html-report-'));
    const r = await cli('sweep', '--file', waitingPodDump(dir), '--output', 'html', '--fail-on', 'none');
    expect(r.code).toBe(0);
    expect(r.out).toContain('CreateContainerConfigError');
    expect(r.out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expectInert(r.out);
  });

  it('rejects an unknown format naming the valid ones', async () => {
    const r = await cli('sweep', '--file', path.resolve('test/fixtures/sweep/dumps'), '--output', 'pdf');
    expect(r.code).toBe(2);
    expect(r.err).toContain('table, json, html, sarif or junit');
  });
});

describe('aks-aiops diagnose --output html', () => {
  it('renders a diagnosis from a case file', async () => {
    const r = await cli(
      'diagnose',
      '--file',
      path.resolve('test/fixtures/diagnostics/104-oom-describe.yaml'),
      '--output',
      'html',
    );
    expect(r.out.startsWith('<!doctype html>')).toBe(true);
    expect(r.out).toContain('oom_killed');
    expect(r.out).toContain('<h2>Evidence</h2>');
    expectInert(r.out);
  });

  it('escapes every field and drops links that are not http(s)', () => {
    const d: Diagnosis = {
      id: PAYLOAD,
      target: { namespace: PAYLOAD, pod: PAYLOAD },
      // A stored row from a newer version may carry a cause this one does not know: it must still be escaped.
      rootCause: PAYLOAD as Diagnosis['rootCause'],
      confidence: 0.5,
      summary: PAYLOAD,
      evidence: [{ source: PAYLOAD, detail: PAYLOAD, reproduce: `kubectl logs ${PAYLOAD}` }],
      recommendations: [PAYLOAD],
      state: 'unknown',
      firings: 1,
      startedAt: PAYLOAD,
      finishedAt: PAYLOAD,
      alertId: PAYLOAD,
    };
    const html = renderDiagnosisHtml(d);
    expectInert(html);
    expect(html.split(escapeHtml(PAYLOAD)).length).toBeGreaterThan(8);
  });
});
