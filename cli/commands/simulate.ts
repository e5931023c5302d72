// `aks-aiops simulate serve`: serves the simulated AKS cluster (or a generated large cluster) as a Kubernetes API over
// HTTPS and writes a kubeconfig that kubectl and `aks-aiops sweep --kubeconfig` can use.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureLocalTls } from '../../shared/simulator/localTls.js';
import { getConfig } from '../../shared/config/config.js';
import { ValidationError } from '../../shared/errors.js';
import { createLargeClusterSource } from '../../shared/simulator/cluster/largeCluster.js';
import { startSimulatedCluster } from '../../shared/simulator/cluster/startSimulatedCluster.js';
import { startKubeApiServer } from '../../shared/simulator/kubeApi/kubeApiServer.js';
import { createInMemoryIncidentStore } from '../../shared/simulator/incidents/incidentStore.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops simulate serve [--nodes N --pods N] [--failing-share F] [--seed S]
                              [--port P] [--kubeconfig PATH] [--no-storage]

Serves a simulated AKS cluster as a Kubernetes API over HTTPS on 127.0.0.1 and prints the path of a kubeconfig for it
(kubectl --kubeconfig PATH get pods -A; aks-aiops sweep --kubeconfig PATH). Runs until interrupted (Ctrl+C).

Without --nodes/--pods: the simulator's cluster (4 services, AKS node pools, kube-system), following the incidents
stored in Table storage (AzureWebJobsStorage; Azurite locally), so POST /api/incidents/simulate shows up in it.
With --nodes and --pods: a generated large cluster for benchmarks (e.g. --nodes 5000 --pods 150000).

  --nodes N           large-cluster mode: number of nodes
  --pods N            large-cluster mode: number of pods
  --failing-share F   large-cluster mode: share of failing pods, 0..1 (default 0.03)
  --seed S            seed (default: SIMULATOR_SEED)
  --port P            port (default: a free one)
  --kubeconfig PATH   where to write the kubeconfig (default: .data/simulator/kubeconfig)
  --no-storage        simulator cluster without Table storage (healthy baseline only)

Settings: SIMULATOR_SEED, SIMULATOR_CLUSTER_ID, AzureWebJobsStorage.`;

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'Serve the simulated AKS cluster (or a large generated one) as a Kubernetes API',
  usage: USAGE,
  subcommand: {
    names: ['serve'],
    problem: (given) =>
      given === undefined ? 'missing subcommand: serve' : `unknown subcommand '${given}' (expected: serve)`,
  },
  options: {
    nodes: { type: 'string' },
    pods: { type: 'string' },
    'failing-share': { type: 'string' },
    seed: { type: 'string' },
    port: { type: 'string' },
    kubeconfig: { type: 'string' },
    'no-storage': { type: 'boolean', default: false },
  },
  async run({ values }, io) {
    const nodes = int('nodes', values.nodes, 1, 100_000);
    const pods = int('pods', values.pods, 0, 5_000_000);
    const port = int('port', values.port, 1, 65535);
    if ((nodes === undefined) !== (pods === undefined)) throw new ValidationError('--nodes and --pods go together');
    let failingShare: number | undefined;
    if (values['failing-share'] !== undefined) {
      failingShare = Number(values['failing-share']);
      if (!Number.isFinite(failingShare) || failingShare < 0 || failingShare > 1)
        throw new ValidationError('--failing-share must be a number from 0 to 1');
    }
    const config = getConfig();
    const seed = int('seed', values.seed, -2147483648, 2147483647) ?? config.SIMULATOR_SEED;
    const tls = await ensureLocalTls('.data');
    const kubeconfigPath = path.resolve(values.kubeconfig ?? path.join('.data', 'simulator', 'kubeconfig'));
    await mkdir(path.dirname(kubeconfigPath), { recursive: true });

    let close: () => Promise<void>;
    let url: string;
    if (nodes !== undefined && pods !== undefined) {
      const source = createLargeClusterSource({ nodes, pods, failingShare, seed });
      const server = await startKubeApiServer({ source, tls, port });
      await server.writeKubeconfig(kubeconfigPath);
      close = () => server.close();
      url = server.url;
      io.stderr.write(
        `large cluster: ${nodes} nodes, ${pods} pods, ${Math.round((failingShare ?? 0.03) * 100)}% failing (seed ${seed})\n`,
      );
    } else {
      let warned = false;
      const cluster = await startSimulatedCluster({
        config: { ...config, SIMULATOR_SEED: seed },
        tls,
        port,
        ...(values['no-storage'] ? { incidentStore: createInMemoryIncidentStore() } : {}),
        onRefreshError: (err) => {
          if (warned) return;
          warned = true;
          io.stderr.write(
            `warning: cannot read incidents from storage (${err instanceof Error ? err.message : String(err)}); serving the healthy baseline\n`,
          );
        },
      });
      await cluster.writeKubeconfig(kubeconfigPath);
      close = () => cluster.close();
      url = cluster.url;
      io.stderr.write(`simulated AKS cluster ${cluster.clusterName} (seed ${seed})\n`);
    }
    io.stderr.write(
      `Kubernetes API at ${url}\n  kubectl --kubeconfig ${kubeconfigPath} get pods -A\n  aks-aiops sweep --kubeconfig ${kubeconfigPath}\n`,
    );
    io.stdout.write(`${kubeconfigPath}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await close();
    return 0;
  },
});
