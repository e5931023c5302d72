// `aks-aiops sweep` through runCli: offline dumps (a folder of List YAML, typed-List JSON and multi-document
// YAML; a single file) and a live cluster through a kubeconfig written by the simulated API server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../cli/main.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { captureCliIo } from '../../support/cliIo.js';

const DUMPS = path.resolve('test/fixtures/sweep/dumps');

describe('aks-aiops sweep on dump files', () => {
  it('sweeps a folder and exits 1 for critical findings, printing a table', async () => {
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', DUMPS], c.io);
    expect(code).toBe(1);
    const out = c.out();
    expect(out).toMatch(/^Score \d+ \([A-F]\) · 6 objects · \d+ findings/);
    expect(out).toContain('pod.crash-loop');
    expect(out).toContain('Pod shop/web-6d4cf56db6-7xkq2');
    expect(out).toContain('deployment.replicas-not-ready');
    expect(out).toContain('node.cordoned');
    expect(out).toContain('bestpractice.latest-tag');
    // Progress goes to stderr only on a terminal.
    expect(c.err()).toBe('');
  });

  it('prints JSON with score, counts and sorted findings', async () => {
    const c = captureCliIo();
    const code = await runCli(['sweep', '--file', DUMPS, '--output', 'json', '--fail-on', 'none'], c.io);
    expect(code).toBe(0);
    const json = JSON.parse(c.out()) as {
      score: number;
      grade: string;
      counts: Record<string, number>;
      findings: { severity: string; check: string; fingerprint: string }[];
    };
    expect(json.findings[0]?.severity).toBe('critical');
    expect(json.counts.critical).toBeGreaterThan(0);
    expect(json.findings.every((f) => /^[0-9a-f]{32}$/.test(f.fingerprint))).toBe(true);
  });

  it('honours --fail-on and --namespace on a single file', async () => {
    const nodesOnly = captureCliIo();
    expect(await runCli(['sweep', '--file', path.join(DUMPS, 'nodes.yaml')], nodesOnly.io)).toBe(0);
    expect(nodesOnly.out()).toContain('node.cordoned');
    expect(
      await runCli(['sweep', '--file', path.join(DUMPS, 'nodes.yaml'), '--fail-on', 'info'], captureCliIo().io),
    ).toBe(1);
    const ns = captureCliIo();
    await runCli(['sweep', '--file', DUMPS, '--namespace', 'shop', '--output', 'json'], ns.io);
    const json = JSON.parse(ns.out()) as { findings: { kind: string }[] };
    expect(json.findings.some((f) => f.kind === 'Node')).toBe(false);
  });

  it('writes progress to stderr when it is a terminal', async () => {
    const c = captureCliIo(true);
    await runCli(['sweep', '--file', DUMPS], c.io);
    // The dumps' ConfigMap is read now (sensitive-data checks); nothing is left unread.
    expect(c.err()).toContain('read 3 file(s); 0 object(s) of kinds no analyzer reads');
  });

  it.each([
    [['sweep', '--output', 'xml', '--file', DUMPS], /--output must be table, json, html, sarif or junit/],
    [['sweep', '--fail-on', 'sometimes', '--file', DUMPS], /--fail-on must be/],
    [['sweep', '--file', '/nonexistent/dumps'], /no such file or folder/],
    // JSON, but not a dump: a perfect score for it would be a lie.
    [['sweep', '--file', path.resolve('host.json')], /no Kubernetes objects/],
    [['sweep', '--file', DUMPS, '--context', 'x'], /cannot be combined/],
    [['sweep', '--bogus'], /Unknown option '--bogus'/],
    [['sweep', '--kubeconfig', '/nonexistent/config'], /no such file/],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const c = captureCliIo();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
  });
});

describe('aks-aiops sweep on a live cluster', () => {
  let server: KubeApiServer;
  let dir: string;
  beforeAll(async () => {
    const tls = await ensureLocalTls('.data');
    server = await startKubeApiServer({
      source: createStaticKubeSource([
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'aks-nodepool1-1' },
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'Unknown',
                reason: 'NodeStatusUnknown',
                message: 'Kubelet stopped posting node status.',
              },
            ],
          },
        },
      ]),
      tls,
      token: 'cli-token',
    });
    dir = await mkdtemp(path.join(tmpdir(), 'sweep-cli-'));
    await server.writeKubeconfig(path.join(dir, 'config'), { token: 'cli-token' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists through the kubeconfig and exits 1 on the NotReady node', async () => {
    const c = captureCliIo();
    const code = await runCli(['sweep', '--kubeconfig', path.join(dir, 'config')], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(1);
    expect(c.out()).toContain('node.not-ready');
    expect(c.out()).toContain('Kubelet stopped posting node status.');
  });

  it('rejects an unknown context naming the ones available', async () => {
    const c = captureCliIo();
    expect(await runCli(['sweep', '--kubeconfig', path.join(dir, 'config'), '--context', 'nope'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--context nope: not in the kubeconfig \(contexts: /);
  });
});
