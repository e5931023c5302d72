// Issue 10 point 6: `aks-aiops diagnose --kubeconfig` against a Kubernetes API that accepts connections and never
// answers. The process (the real bundle, dist/cli.js) must exit once its --timeout runs out: before the fix the
// requests never received the abort signal, so the process printed its timeout and lived on until the sockets gave
// up (302 s for a 120 s timeout). The API stays hung until afterAll, so an exit proves the sockets were closed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { OOM_POD, scenarioLogs, scenarioObjects } from './scenario.js';

let kube: KubeApiServer;
let release: () => void = () => undefined;
const hung = new Promise<void>((r) => (release = r));
let open = 0;
const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'cli-abort-')), 'kubeconfig');

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  kube = await startKubeApiServer({
    source: createStaticKubeSource(scenarioObjects(), { logs: scenarioLogs() }),
    tls,
    token: 'cli-abort-token',
    beforeRequest: async () => {
      open++;
      await hung;
    },
  });
  await kube.writeKubeconfig(kubeconfig, { token: 'cli-abort-token' });
});
afterAll(async () => {
  release();
  await kube.close();
});

describe('aks-aiops diagnose --kubeconfig against a hung API', () => {
  it('exits when its timeout runs out, while the API is still hung', async () => {
    const child = spawn(
      process.execPath,
      [
        path.resolve('dist/cli.js'),
        'diagnose',
        '--kubeconfig',
        kubeconfig,
        '--pod',
        `shop/${OOM_POD}`,
        '--timeout',
        '2',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(open).toBeGreaterThan(0);
    expect(code).toBe(2);
    expect(stderr).toMatch(/aks-aiops diagnose: .*(timeout|time budget|aborted)/i);
  }, 60_000);
});
