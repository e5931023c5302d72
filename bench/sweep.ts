// bench/sweep: how close the streaming sweep gets to the cost of merely fetching and parsing the same pages.
//
//   node dist/bench/sweep.js                 150,000 pods, 5,000 nodes (issue 4 §Performance)
//   node dist/bench/sweep.js small           15,000 pods, 500 nodes, for quick runs
//   node dist/bench/sweep.js --pods N --nodes M [--runs R] [--page-size P]
//
// A child process serves the simulated large cluster over HTTPS on loopback (so its CPU and memory are not
// counted); each measurement runs in its own fresh child so peak RSS is that run's alone:
//   floor: list every resource the sweep lists, same page size, concurrency and prefetch, JSON.parse each page,
//          nothing else;
//   sweep: the real engine (every analyzer, event index, finalisation, scoring) over the same lists.
// Prints wall times and their ratio (target ≤ 1.15, issue 14), the CPU time (user + system) of each measuring child
// and its ratio (the steadier figure on a shared, loaded machine), and the sweep's peak RSS (target ≤ 400 MB), each
// run's and their median / maximum, with the load average at the end. No assertions.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureLocalTls } from '../dev/tls.js';
import { startKubeApiServer } from '../shared/simulator/kubeApi/kubeApiServer.js';
import { createLargeClusterSource } from '../shared/simulator/cluster/largeCluster.js';
import { analyzeObjects } from '../shared/sweep/analyzeObjects.js';
import { ANALYZERS } from '../shared/sweep/analyzers/index.js';
import { DEFAULT_SWEEP_SETTINGS } from '../shared/sweep/analyzer.js';
import { CATALOGUE } from '../shared/sweep/catalogue.js';
import { summarizeFindings } from '../shared/sweep/summarize.js';
import { createKubeObjectSource } from '../shared/kube/kubeObjectSource.js';
import { getJsonWithRetries } from '../shared/kube/listPages.js';
import { KUBE_RESOURCES, listPath, type ResourceKey } from '../shared/kube/resources.js';

const { values, positionals } = parseArgs({
  options: {
    pods: { type: 'string' },
    nodes: { type: 'string' },
    runs: { type: 'string', default: '1' },
    'page-size': { type: 'string', default: '500' },
    serve: { type: 'boolean', default: false },
    measure: { type: 'string' },
    kubeconfig: { type: 'string' },
    seed: { type: 'string', default: '7' },
  },
  allowPositionals: true,
});
const small = positionals[0] === 'small';
const pods = Number(values.pods ?? (small ? 15_000 : 150_000));
const nodes = Number(values.nodes ?? (small ? 500 : 5_000));
const pageSize = Number(values['page-size']);
const self = fileURLToPath(import.meta.url);

/** The resources the sweep lists, in the order and with the concurrency the engine uses. */
function sweptResources(): ResourceKey[] {
  const keys = new Set<ResourceKey>(ANALYZERS.flatMap((a) => a.resources));
  keys.delete('events');
  return [...keys].sort((a, b) => (a === 'pods' ? -1 : b === 'pods' ? 1 : 0));
}

interface ListBody {
  metadata?: { continue?: string };
  items?: unknown[];
}

async function floorList(kc: KubeConfig, key: ResourceKey): Promise<number> {
  const resource = KUBE_RESOURCES[key];
  const pathFor = (token?: string) => {
    const q = new URLSearchParams({ limit: String(pageSize) });
    if (token) q.set('continue', token);
    if (resource.fieldSelector) q.set('fieldSelector', resource.fieldSelector);
    return `${listPath(resource)}?${q.toString()}`;
  };
  let objects = 0;
  let next: Promise<ListBody> | undefined = getJsonWithRetries<ListBody>(kc, pathFor(), resource, {});
  while (next) {
    const body: ListBody = await next;
    const token = body.metadata?.continue || undefined;
    next = token ? getJsonWithRetries<ListBody>(kc, pathFor(token), resource, {}) : undefined;
    objects += body.items?.length ?? 0;
  }
  return objects;
}

async function measure(mode: string, kubeconfigPath: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const started = performance.now();
  let objects = 0;
  let findings = 0;
  let score = 0;
  if (mode === 'floor') {
    objects = await floorList(kc, 'events');
    const queue = sweptResources();
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
          const n = await floorList(kc, k);
          objects += n;
        }
      }),
    );
  } else {
    const result = await analyzeObjects(createKubeObjectSource(kc, { limit: pageSize }), {
      clusterId: 'bench',
      analyzers: ANALYZERS,
      settings: { ...DEFAULT_SWEEP_SETTINGS, now: new Date() },
      // Every check on, the opt-in ones too: the figure is the cost of the whole catalogue.
      policy: {
        checks: Object.fromEntries(CATALOGUE.filter((c) => c.optIn).map((c) => [c.id, { enabled: true }])),
        exemptions: [],
      },
    });
    if (result.errors.length > 0) throw new Error(result.errors.join('; '));
    objects = result.objectsScanned;
    findings = result.findings.length;
    score = summarizeFindings(result.findings, result.objectsByNamespace, { new: 0, resolved: 0 }).score;
  }
  const ms = performance.now() - started;
  // CPU time of this child alone (user + system), from its start: the machine is shared, and wall time under load
  // measures the neighbours as much as the sweep. Both children pay the same start-up (module load, TLS setup).
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ mode, ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, objects, findings, score })}\n`,
  );
}

async function serve(): Promise<void> {
  const source = createLargeClusterSource({ nodes, pods, failingShare: 0.03, seed: Number(values.seed) });
  const server = await startKubeApiServer({ source, tls: await ensureLocalTls('.data'), host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ kubeconfig: server.kubeconfig() })}\n`);
  process.stdin.resume();
  await once(process.stdin, 'end');
  await server.close();
}

function seconds(ms: number | string | undefined): string {
  return (Number(ms) / 1000).toFixed(2);
}

async function runChild(args: string[]): Promise<Record<string, number | string>> {
  const child = spawn(process.execPath, [self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  await once(child, 'exit');
  return JSON.parse(line) as Record<string, number | string>;
}

async function orchestrate(): Promise<void> {
  const server = spawn(
    process.execPath,
    [self, '--serve', '--pods', String(pods), '--nodes', String(nodes), '--seed', String(values.seed)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sweep-'));
  const kubeconfig = path.join(dir, 'config');
  await writeFile(kubeconfig, (JSON.parse(first) as { kubeconfig: string }).kubeconfig);
  try {
    console.log(
      `bench/sweep: ${pods.toLocaleString('en')} pods, ${nodes.toLocaleString('en')} nodes, page size ${pageSize}, ${values.runs} run(s)`,
    );
    // Warm the server's caches and the TLS path once so neither measurement pays for it.
    await runChild(['--measure', 'floor', '--kubeconfig', kubeconfig, '--page-size', String(pageSize)]);
    const floors: number[] = [];
    const sweeps: number[] = [];
    const floorCpus: number[] = [];
    const sweepCpus: number[] = [];
    let rss = 0;
    let last: Record<string, number | string> = {};
    for (let i = 0; i < Number(values.runs); i++) {
      const f = await runChild(['--measure', 'floor', '--kubeconfig', kubeconfig, '--page-size', String(pageSize)]);
      const s = await runChild(['--measure', 'sweep', '--kubeconfig', kubeconfig, '--page-size', String(pageSize)]);
      floors.push(Number(f.ms));
      sweeps.push(Number(s.ms));
      floorCpus.push(Number(f.cpuMs));
      sweepCpus.push(Number(s.cpuMs));
      rss = Math.max(rss, Number(s.maxRssMb));
      last = s;
      console.log(
        `  run ${i + 1}: floor ${seconds(f.ms)} s, CPU ${seconds(f.cpuMs)} s (${f.objects} objects, peak RSS ${Number(f.maxRssMb).toFixed(0)} MB) · sweep ${seconds(s.ms)} s, CPU ${seconds(s.cpuMs)} s (peak RSS ${Number(s.maxRssMb).toFixed(0)} MB)`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const floor = median(floors);
    const sweep = median(sweeps);
    console.log(
      `sweep wall time  ${(sweep / 1000).toFixed(2)} s  (${last.objects} objects scored, ${last.findings} findings, score ${last.score})`,
    );
    console.log(`floor            ${(floor / 1000).toFixed(2)} s  (paged fetch + JSON.parse of the same pages)`);
    console.log(`ratio            ${(sweep / floor).toFixed(2)}×  (wall time; target ≤ 1.15×)`);
    const floorCpu = median(floorCpus);
    const sweepCpu = median(sweepCpus);
    console.log(
      `CPU time         sweep ${seconds(sweepCpu)} s, floor ${seconds(floorCpu)} s: ${(sweepCpu / floorCpu).toFixed(2)}×  (user + system of each measuring child)`,
    );
    console.log(
      `load average     ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(`sweep peak RSS   ${rss.toFixed(0)} MB  (largest of the runs; target ≤ 400 MB)`);
  } finally {
    server.stdin.end();
    await once(server, 'exit');
    await rm(dir, { recursive: true, force: true });
  }
}

if (values.serve) await serve();
else if (values.measure) await measure(values.measure, values.kubeconfig ?? '');
else await orchestrate();
