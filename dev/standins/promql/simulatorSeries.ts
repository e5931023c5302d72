// The series Azure Monitor managed Prometheus would hold for the simulated cluster, as raw scrape samples (one a
// minute): cAdvisor (container_cpu_usage_seconds_total, container_memory_working_set_bytes, CFS periods for
// containers with a CPU limit), kube-state-metrics (requests/limits, restarts, HPA replicas) and the applications'
// own HTTP metrics (http_requests_total by code, http_request_duration_seconds histogram). Managed Prometheus adds the
// `cluster` label to everything it scrapes (ama-metrics' external label), so a workspace can hold several clusters.
//
// Values come from the simulator's pure metrics model (shared/simulator/metricsModel.ts) for every minute, so
// incidents shape history exactly as they shape the live cluster; restarts and HPA replicas come from the cluster
// model of that minute (built lazily and cached, since only those series need it). Pods are the cluster's at the end
// of the queried span; a pod has samples only from its creation on.
//
// Counters start at 0 at the first sample the query fetches (as if every process started then): rate() and
// increase() are what a real counter gives, only raw counter values differ between queries.
import { buildClusterModel, memoryBytes } from '../../../shared/simulator/cluster/buildClusterModel.js';
import type { ClusterModel, PodModel } from '../../../shared/simulator/cluster/clusterModel.js';
import { hashString } from '../../../shared/simulator/cluster/seededRandom.js';
import { incidentEndMs, type Incident } from '../../../shared/simulator/incidents/incident.js';
import {
  activeIncidentsAt,
  computeMetricsAt,
  MINUTE_MS,
  type ServicesMetrics,
} from '../../../shared/simulator/metricsModel.js';
import type { SimulatedAksCluster } from '../../../shared/simulator/aks/aksCluster.js';
import { parseQuantity } from '../../../shared/kube/vocabulary/quantity.js';
import { matcherMatches, type Labels, type Matcher, type RawSeries, type SeriesStore } from './promqlSubset.js';

export interface SimulatedPrometheusCluster {
  seed: number;
  clusterName: string;
  clusterId: string;
  aks?: SimulatedAksCluster;
}

/** Upper bounds of the request-duration histogram: the Prometheus client libraries' default buckets. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Spread of request durations around the minute's typical latency (log-normal). */
const LATENCY_SIGMA = 0.5;
/** CFS enforcement periods per minute (the kernel's default 100 ms period). */
const CFS_PERIODS_PER_MINUTE = 600;

type Kind =
  | 'cpu'
  | 'memory'
  | 'cfsPeriods'
  | 'cfsThrottled'
  | 'requests'
  | 'limits'
  | 'restarts'
  | 'http'
  | 'bucket'
  | 'count'
  | 'hpaCurrent'
  | 'hpaDesired'
  | 'hpaMax'
  | 'hpaMin';

interface SeriesDef {
  labels: Labels;
  kind: Kind;
  pod?: PodModel;
  /** For requests/limits: the constant value; for http: the response code class; for buckets: the bound. */
  constant?: number;
  code?: string;
  le?: number;
  counter: boolean;
  fromMs: number;
}

// Abramowitz-Stegun 7.1.26: enough precision for bucket shares.
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const podJitter = (pod: PodModel) => 0.95 + 0.1 * ((hashString(pod.name) % 100) / 100);

function catalogue(model: ClusterModel): SeriesDef[] {
  const c = model.clusterName;
  const defs: SeriesDef[] = [];
  const base = (pod: PodModel, job: string, name: string): Labels => ({
    __name__: name,
    cluster: c,
    job,
    namespace: pod.namespace,
    pod: pod.name,
    container: pod.containerName,
  });
  for (const pod of model.pods) {
    if (pod.phase !== 'Running' && pod.phase !== 'Pending') continue;
    const from = pod.createdAtMs;
    const add = (labels: Labels, kind: Kind, counter: boolean, extra: Partial<SeriesDef> = {}) =>
      defs.push({ labels, kind, pod, counter, fromMs: from, ...extra });
    add(base(pod, 'cadvisor', 'container_cpu_usage_seconds_total'), 'cpu', true);
    add(base(pod, 'cadvisor', 'container_memory_working_set_bytes'), 'memory', false);
    const cpuLimit = parseQuantity(pod.limits.cpu);
    if (cpuLimit) {
      add(base(pod, 'cadvisor', 'container_cpu_cfs_periods_total'), 'cfsPeriods', true, { constant: cpuLimit });
      add(base(pod, 'cadvisor', 'container_cpu_cfs_throttled_periods_total'), 'cfsThrottled', true, {
        constant: cpuLimit,
      });
    }
    const ksm = (name: string, resource: string, unit: string, value: number | undefined, kind: Kind) => {
      if (value !== undefined)
        add({ ...base(pod, 'kube-state-metrics', name), resource, unit }, kind, false, { constant: value });
    };
    ksm('kube_pod_container_resource_requests', 'cpu', 'core', parseQuantity(pod.requests.cpu), 'requests');
    ksm('kube_pod_container_resource_requests', 'memory', 'byte', memoryBytes(pod.requests.memory), 'requests');
    ksm('kube_pod_container_resource_limits', 'cpu', 'core', cpuLimit, 'limits');
    ksm('kube_pod_container_resource_limits', 'memory', 'byte', memoryBytes(pod.limits.memory), 'limits');
    add(base(pod, 'kube-state-metrics', 'kube_pod_container_status_restarts_total'), 'restarts', false);
    if (pod.service && pod.owner.kind === 'ReplicaSet') {
      const app = (name: string): Labels => ({ ...base(pod, 'app', name), service: pod.service ?? '' });
      for (const code of ['200', '503']) add({ ...app('http_requests_total'), code }, 'http', true, { code });
      for (const le of [...LATENCY_BUCKETS, Infinity])
        add(
          { ...app('http_request_duration_seconds_bucket'), le: le === Infinity ? '+Inf' : String(le) },
          'bucket',
          true,
          {
            le,
          },
        );
      add(app('http_request_duration_seconds_count'), 'count', true);
    }
  }
  const hpa = (name: string, kind: Kind): SeriesDef => ({
    labels: {
      __name__: name,
      cluster: c,
      job: 'kube-state-metrics',
      namespace: 'production',
      horizontalpodautoscaler: 'api-gateway',
    },
    kind,
    counter: false,
    fromMs: model.createdAtMs ?? 0,
  });
  defs.push(
    hpa('kube_horizontalpodautoscaler_status_current_replicas', 'hpaCurrent'),
    hpa('kube_horizontalpodautoscaler_status_desired_replicas', 'hpaDesired'),
    hpa('kube_horizontalpodautoscaler_spec_max_replicas', 'hpaMax'),
    hpa('kube_horizontalpodautoscaler_spec_min_replicas', 'hpaMin'),
  );
  return defs;
}

/** Per-minute facts only the cluster model knows, cached: restarts per pod and the HPA's replicas. */
interface ModelFacts {
  restarts: Map<string, number>;
  hpa: { current: number; desired: number };
}

/**
 * Caches shared by every query of one endpoint, keyed by the minute and the incidents in effect then (a quiet minute
 * is the same whatever happened later). Bounded: cleared when full.
 */
export interface SeriesCaches {
  metrics: Map<string, ServicesMetrics>;
  facts: Map<string, ModelFacts>;
}
const CACHE_LIMIT = 20_000;

export function createSeriesCaches(): SeriesCaches {
  return { metrics: new Map(), facts: new Map() };
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/**
 * A SeriesStore over the simulated cluster for `incidents` (every incident that overlaps the queried span), as of
 * `nowMs` (no sample is ever later than now).
 */
export function createSimulatorSeriesStore(
  cluster: SimulatedPrometheusCluster,
  incidents: readonly Incident[],
  nowMs: number,
  caches: SeriesCaches = createSeriesCaches(),
): SeriesStore {
  const id = { seed: cluster.seed, clusterName: cluster.clusterName, clusterId: cluster.clusterId, aks: cluster.aks };
  const activeKey = (active: readonly Incident[]) => active.map((i) => `${i.id}:${i.resolvedAt ?? ''}`).join(',');
  const metricsAt = (minute: number) => {
    const active = activeIncidentsAt(incidents, minute);
    return cached(caches.metrics, `${minute}|${activeKey(active)}`, () =>
      computeMetricsAt(cluster.seed, minute, active),
    );
  };
  const factsAt = (minute: number): ModelFacts => {
    const t = minute * MINUTE_MS + 30_000;
    // Restarts and scaling follow the incidents in effect; a quiet minute is the cluster's baseline, which only
    // changes with the pods themselves (one model per catalogue, not per minute).
    const active = incidents.filter((i) => Date.parse(i.startedAt) <= t && incidentEndMs(i) > t);
    const key = active.length === 0 ? `quiet|${catalogueMinute}` : `${minute}|${activeKey(active)}`;
    return cached(caches.facts, key, () => {
      const model = buildClusterModel(id, active.length === 0 ? catalogueMinute * MINUTE_MS : t, active);
      return {
        restarts: new Map(model.pods.map((p) => [p.name, active.length === 0 ? 0 : p.restartCount])),
        hpa: { current: model.hpa.currentReplicas, desired: model.hpa.desiredReplicas },
      };
    });
  };
  let catalogueMinute = 0;

  const value = (def: SeriesDef, minute: number): number => {
    const pod = def.pod;
    const m = pod?.service ? metricsAt(minute)[pod.service] : undefined;
    const j = pod ? podJitter(pod) : 1;
    switch (def.kind) {
      case 'cpu':
        return (m ? (m.cpu_usage_percent / 100) * j : (pod?.usage.cpuMillis ?? 0) / 1000) * 60;
      case 'memory':
        return m && pod
          ? (m.memory_usage_percent / 100) * memoryBytes(pod.limits.memory) * j
          : (pod?.usage.memoryBytes ?? 0);
      case 'cfsPeriods':
        return CFS_PERIODS_PER_MINUTE;
      case 'cfsThrottled': {
        // The share of periods in which the container ran out of quota grows as usage nears the limit.
        const cores = m ? (m.cpu_usage_percent / 100) * j : (pod?.usage.cpuMillis ?? 0) / 1000;
        const ratio = cores / (def.constant ?? Infinity);
        return CFS_PERIODS_PER_MINUTE * Math.min(1, Math.max(0, (ratio - 0.6) / 0.4));
      }
      case 'requests':
      case 'limits':
        return def.constant ?? 0;
      case 'restarts':
        return factsAt(minute).restarts.get(pod?.name ?? '') ?? 0;
      case 'hpaCurrent':
        return factsAt(minute).hpa.current;
      case 'hpaDesired':
        return factsAt(minute).hpa.desired;
      case 'hpaMax':
        return 10;
      case 'hpaMin':
        return 3;
      case 'http':
      case 'bucket':
      case 'count': {
        if (!m || !pod?.service) return 0;
        const perPod = (m.request_rate * 60) / Math.max(1, m.pod_count);
        const errors = Math.min(1, m.error_rate / 100);
        if (def.kind === 'http') return def.code === '200' ? perPod * (1 - errors) : perPod * errors;
        if (def.kind === 'count' || def.le === Infinity) return perPod;
        const median = m.latency_ms / 1000;
        return perPod * normalCdf((Math.log(def.le ?? 0) - Math.log(median)) / LATENCY_SIGMA);
      }
    }
  };

  let catalogueAt: { minute: number; defs: SeriesDef[] } | undefined;
  return (metric: string | undefined, matchers: Matcher[], fromMs: number, toMs: number): RawSeries[] => {
    const end = Math.min(toMs, nowMs);
    const endMinute = Math.floor(end / MINUTE_MS);
    catalogueMinute = endMinute;
    if (catalogueAt?.minute !== endMinute) {
      const model = buildClusterModel(
        id,
        end,
        incidents.filter((i) => Date.parse(i.startedAt) <= end),
      );
      catalogueAt = { minute: endMinute, defs: catalogue(model) };
    }
    const all: Matcher[] = metric ? [{ name: '__name__', op: '=', value: metric }, ...matchers] : matchers;
    const out: RawSeries[] = [];
    for (const def of catalogueAt.defs) {
      if (!all.every((mt) => matcherMatches(mt, def.labels[mt.name] ?? ''))) continue;
      const samples: Array<[number, number]> = [];
      let total = 0;
      const first = Math.floor(Math.max(fromMs, def.fromMs) / MINUTE_MS);
      for (let minute = first; minute <= endMinute; minute++) {
        // Scrapes land 15 s into the minute (ama-metrics scrapes on its own schedule, not on the minute).
        const t = minute * MINUTE_MS + 15_000;
        if (t < fromMs || t > end) continue;
        const v = value(def, minute);
        total = def.counter ? total + v : v;
        samples.push([t, total]);
      }
      if (samples.length > 0) out.push({ labels: def.labels, samples });
    }
    return out;
  };
}
