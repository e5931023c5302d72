// bench/fleet: one full sweep period over a simulated fleet, the way it runs in Azure: the timer discovers every
// cluster through ARM (paging, ARM's read throttling on), enqueues one message per cluster, and the queue workers
// of one Functions host sweep them at host.json's queue concurrency. Everything is the real app (dist/app.js under
// the dev host, a child process), real SDK clients, over the wire to Azurite and the local Azure stand-ins.
//
//   node dist/bench/fleet.js --clusters 1000 [--timer-runs 2] [--timeout-minutes 20]
//
// --timer-runs 2 (default) fires the timer twice at once, as overlapping timer runs would: every cluster must still be
// swept exactly once. Storage transactions and ingestion calls are counted by proxies in front of Azurite and the
// Logs Ingestion stand-in; the worker's peak memory is its VmHWM. Prints figures, asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { TableClient } from '@azure/data-tables';
import { ensureLocalTls } from '../dev/tls.js';
import { freePort, startAzurite, type AzuriteInstance } from '../dev/local/azurite.js';
import { startLocalAzure, type LocalAzure } from '../dev/standins/localAzure.js';
import { ARM_READ_LIMIT } from '../dev/standins/armThrottle.js';
import { settingDefaults } from '../dev/host/settings.js';
import { startFleetServers, type FleetServers } from '../dev/fleet/fleetServers.js';
import { startCountingProxy, viaProxy, type CountingProxy } from '../dev/fleet/countingProxy.js';
import { fleetMembers, isSweepable, type FleetMember } from '../shared/simulator/aks/fleet.js';
import { readHostOptions } from '../dev/host/hostJson.js';
import type { SweepSummary } from '../shared/sweep/types.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10' },
    'timer-runs': { type: 'string', default: '2' },
    'timeout-minutes': { type: 'string', default: '20' },
  },
});
const N = Number(values.clusters);
const timerRuns = Number(values['timer-runs']);

interface Stack {
  azurite: AzuriteInstance;
  local: LocalAzure;
  fleet: FleetServers;
  proxies: Record<'blob' | 'queue' | 'table' | 'ingestion', CountingProxy>;
  worker: ChildProcess;
  appUrl: string;
  masterKey: string;
  dataDir: string;
  members: FleetMember[];
}

async function startStack(): Promise<Stack> {
  const tls = await ensureLocalTls('.data');
  setDefaultCACertificates([...getCACertificates('default'), tls.cert]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-fleet-'));
  const members = fleetMembers(N);
  const azurite = await startAzurite({ location: path.join(dataDir, 'azurite'), identity: tls });
  const late: { local?: LocalAzure } = {};
  const fleet = await startFleetServers({
    members,
    tlsDir: path.resolve('.data'),
    verifyToken: (t, a) => late.local?.verifyToken(t, a) ?? 'unauthorized',
  });
  const local = await startLocalAzure({
    tls,
    dataDir,
    clusters: fleet.clusters,
    faults: { arm: { rateLimit: ARM_READ_LIMIT, forbidClusterCredentials: fleet.forbidCredentials } },
  });
  late.local = local;
  const proxies = {
    blob: await startCountingProxy(azurite.serviceUris.blob, tls),
    queue: await startCountingProxy(azurite.serviceUris.queue, tls),
    table: await startCountingProxy(azurite.serviceUris.table, tls),
    ingestion: await startCountingProxy(local.logsIngestionEndpoint, tls),
  };
  const port = await freePort();
  const masterKey = randomBytes(24).toString('base64url');
  const identity = local.identities.userAssigned[0]!;
  const env: Record<string, string> = {
    ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
    ...settingDefaults(),
    // The bench fires the timer itself; its own schedule must not start a second period mid-run.
    SWEEP_SCHEDULE: '0 0 0 1 1 *',
    ...local.env,
    LOGS_INGESTION_ENDPOINT: proxies.ingestion.origin,
    RESULTS_SINK: 'loganalytics',
    AZURE_CLIENT_ID: identity.clientId,
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: identity.clientId,
    AzureWebJobsStorage__accountName: azurite.accountName,
    AzureWebJobsStorage__blobServiceUri: viaProxy(azurite.serviceUris.blob, proxies.blob),
    AzureWebJobsStorage__queueServiceUri: viaProxy(azurite.serviceUris.queue, proxies.queue),
    AzureWebJobsStorage__tableServiceUri: viaProxy(azurite.serviceUris.table, proxies.table),
    NODE_EXTRA_CA_CERTS: tls.certPath,
    AKS_AIOPS_PORT: String(port),
    AKS_AIOPS_DATA_DIR: dataDir,
    AKS_AIOPS_FUNCTION_KEY: randomBytes(24).toString('base64url'),
    AKS_AIOPS_MASTER_KEY: masterKey,
    LOG_LEVEL: 'warn',
  };
  delete env.AzureWebJobsStorage;
  const worker = spawn(process.execPath, [path.resolve('dist/dev/funcHost.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    worker.stdout?.on('data', (d: Buffer) => {
      if (out.includes('FUNCHOST_READY')) return;
      out += d.toString();
      if (out.includes('FUNCHOST_READY')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`dev host exited with ${code}\n${out}`)));
  });
  return { azurite, local, fleet, proxies, worker, appUrl: `http://127.0.0.1:${port}`, masterKey, dataDir, members };
}

function storageCounts(stack: Stack): Record<string, number> {
  const c = (p: CountingProxy) => p.counts().requests;
  return { blob: c(stack.proxies.blob), queue: c(stack.proxies.queue), table: c(stack.proxies.table) };
}

/** Peak resident set of a process (VmHWM) in MB, Linux. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s), Linux. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** This process's children running `match` (Azurite), by scanning /proc. */
function childPids(match: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.split(') ')[1]?.split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(match))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

interface CpuSample {
  worker: number;
  azurite: number;
  bench: number;
}

function cpuSample(stack: Stack): CpuSample {
  const own = process.cpuUsage();
  return {
    worker: cpuSeconds(stack.worker.pid),
    azurite: childPids('azurite').reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    bench: (own.user + own.system) / 1e6,
  };
}

function ingestedBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'ingestion');
  try {
    return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function waitForPeriod(stack: Stack, deadline: number): Promise<number> {
  const claims = TableClient.fromConnectionString(stack.azurite.connectionString, 'sweepclaims');
  for (;;) {
    let done = 0;
    try {
      for await (const e of claims.listEntities<{ state: string }>({ queryOptions: { select: ['state'] } })) {
        if (e.state === 'done') done += 1;
      }
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    if (done >= stack.members.length || Date.now() > deadline) return done;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

async function readSweeps(stack: Stack): Promise<{ latest: SweepSummary[]; historyRows: Map<string, number> }> {
  const sweeps = TableClient.fromConnectionString(stack.azurite.connectionString, 'sweeps');
  const latest: SweepSummary[] = [];
  const historyRows = new Map<string, number>();
  for await (const e of sweeps.listEntities<{ summary: string; clusterId: string }>()) {
    if (e.partitionKey === 'latest') latest.push(JSON.parse(e.summary) as SweepSummary);
    else historyRows.set(e.clusterId.toLowerCase(), (historyRows.get(e.clusterId.toLowerCase()) ?? 0) + 1);
  }
  return { latest, historyRows };
}

async function main(): Promise<void> {
  const host = readHostOptions(path.resolve('host.json'));
  const loadBefore = loadavg();
  const setupStart = performance.now();
  const stack = await startStack();
  const setupS = (performance.now() - setupStart) / 1000;
  try {
    const before = storageCounts(stack);
    const cpuBefore = cpuSample(stack);
    const ingestBefore = stack.proxies.ingestion.counts();
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: timerRuns }, () =>
        // Overlapping runs of one scheduled occurrence (the dev host's {"input":"scheduled"}), not hand-started ones.
        fetch(`${stack.appUrl}/admin/functions/sweepTimer?code=${stack.masterKey}`, {
          method: 'POST',
          body: JSON.stringify({ input: 'scheduled' }),
        }),
      ),
    );
    const done = await waitForPeriod(stack, t0 + Number(values['timeout-minutes']) * 60_000);
    const detectedMs = Date.now() - t0;
    const after = storageCounts(stack);
    const ingestAfter = stack.proxies.ingestion.counts();
    const peakMb = peakRssMb(stack.worker.pid);
    const cpuAfter = cpuSample(stack);
    const cpu = {
      worker: Number((cpuAfter.worker - cpuBefore.worker).toFixed(1)),
      azurite: Number((cpuAfter.azurite - cpuBefore.azurite).toFixed(1)),
      standIns: Number((cpuAfter.bench - cpuBefore.bench).toFixed(1)),
    };
    const { latest, historyRows } = await readSweeps(stack);
    const lastFinish = Math.max(...latest.map((s) => Date.parse(s.finishedAt)));
    const wallS = (lastFinish - t0) / 1000;
    const durations = latest.map((s) => s.durationMs).sort((a, b) => a - b);
    const byId = new Map(latest.map((s) => [s.clusterId.toLowerCase(), s]));
    const sweepable = stack.members.filter(isSweepable);
    const unsweepable = stack.members.filter((m) => !isSweepable(m));
    const storage = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
    const storageTotal = Object.values(storage).reduce((a, b) => a + b, 0);
    const result = {
      clusters: N,
      subscriptions: new Set(stack.members.map((m) => m.subscriptionId)).size,
      queue: { batchSize: host.queues.batchSize, newBatchThreshold: host.queues.newBatchThreshold, timerRuns },
      wallSeconds: Number(wallS.toFixed(1)),
      clustersPerMinute: Number(((latest.length / wallS) * 60).toFixed(1)),
      sweepMs: { p50: percentile(durations, 50), p95: percentile(durations, 95), max: durations.at(-1) ?? 0 },
      claimsDone: done,
      summaries: latest.length,
      sweptExactlyOnce: stack.members.filter((m) => historyRows.get(m.id.toLowerCase()) === 1).length,
      sweptMoreThanOnce: stack.members.filter((m) => (historyRows.get(m.id.toLowerCase()) ?? 0) > 1).length,
      reachableComplete: sweepable.filter((m) => byId.get(m.id.toLowerCase())?.objectsScanned).length,
      reachable: sweepable.length,
      unreachableReported: unsweepable.filter((m) => (byId.get(m.id.toLowerCase())?.errors.length ?? 0) > 0).length,
      unreachable: unsweepable.length,
      storageTransactions: { ...storage, total: storageTotal, perCluster: Number((storageTotal / N).toFixed(1)) },
      logAnalytics: {
        calls: ingestAfter.requests - ingestBefore.requests,
        ingestedBytesPerCluster: Math.round(ingestedBytes(stack.dataDir) / N),
        wireBytesPerCluster: Math.round((ingestAfter.bodyBytes - ingestBefore.bodyBytes) / N),
      },
      armThrottled: stack.local.armThrottledRequests(),
      kubeApiRequests: stack.fleet.requestCount(),
      workerPeakRssMb: peakMb === undefined ? undefined : Math.round(peakMb),
      // CPU the period cost, by process: independent of how loaded the shared machine was.
      cpuSeconds: {
        ...cpu,
        workerPerCluster: Number((cpu.worker / N).toFixed(3)),
        total: Number((cpu.worker + cpu.azurite + cpu.standIns).toFixed(1)),
      },
      setupSeconds: Number(setupS.toFixed(1)),
      detectedAfterSeconds: Number((detectedMs / 1000).toFixed(1)),
      loadAverage: { before: loadBefore.map((l) => Number(l.toFixed(2))), after: loadavg().map((l) => l.toFixed(2)) },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    stack.worker.kill('SIGTERM');
    await new Promise((r) => stack.worker.once('exit', r));
    await Promise.all(Object.values(stack.proxies).map((p) => p.close()));
    await stack.local.close();
    await stack.fleet.close();
    await stack.azurite.stop();
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/fleet failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
