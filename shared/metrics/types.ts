// One metric series as every reader returns it, whatever the source (Container Insights tables through Log
// Analytics, Azure Monitor managed Prometheus through PromQL, AKS platform metrics through Azure Monitor metrics).
// The sweep's anomaly findings, the diagnoses' metric evidence and the rightsizing recommendations all read this
// shape, so a new source is one reader file, not a change in three capabilities.

export type MetricSourceKind = 'container-insights' | 'prometheus' | 'platform-metrics';

/** What the series is about: a workload (namespace + controller name), one pod, or a node. */
export interface MetricSubject {
  kind: 'workload' | 'pod' | 'node' | 'cluster';
  namespace?: string;
  name: string;
  container?: string;
  /** The workload's Kubernetes kind (Deployment, StatefulSet, DaemonSet, Job…), when the source knows it. */
  workloadKind?: string;
}

export interface MetricPoint {
  /** Epoch milliseconds of the sample (irregular spacing and gaps are allowed). */
  t: number;
  v: number;
}

export interface MetricSeries {
  /** Stable metric name, kebab-case: becomes the check id `anomaly.<metric>` (e.g. `memory-working-set`). */
  metric: string;
  unit: 'cores' | 'bytes' | 'percent' | 'count' | 'seconds' | 'per-second' | 'ratio';
  subject: MetricSubject;
  source: MetricSourceKind;
  /** A query the user can paste to reproduce the series: KQL for Log Analytics, PromQL for Prometheus, or the
   * metrics REST path for platform metrics. */
  query: string;
  points: MetricPoint[];
  /** Related limits for context (e.g. the container's CPU request and limit), when the source knows them. */
  reference?: { request?: number; limit?: number; capacity?: number };
}

export interface MetricReadOptions {
  abortSignal?: AbortSignal;
}

/** A reader of one source for one cluster and window. Readers never throw for "no data": they return []. */
export interface MetricReader {
  source: MetricSourceKind;
  read(clusterId: string, window: { from: Date; to: Date }, options?: MetricReadOptions): Promise<MetricSeries[]>;
}
