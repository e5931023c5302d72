// The function app's one composition root: the stores, the results sink and the diagnostics runtime every trigger
// group uses, built from the configuration, once per configuration (getConfig() is cached; after
// resetConfigForTesting() a changed environment gets a fresh set). Trigger files ask it and never build or cache
// their own. Table-backed stores open (create their tables) on first use; a failed open is retried by the next call.
import { getConfig, type AppConfig } from '../shared/config/config.js';
import { getDiagnosticsRuntime, type DiagnosticsRuntime } from '../shared/diagnostics/diagnosticsRuntime.js';
import { createResultsSink } from '../shared/results/createResultsSink.js';
import { BatchingResultsSink } from '../shared/results/batchingResultsSink.js';
import type { ResultsSink } from '../shared/results/resultsSink.js';
import { TableScheduleStore, type ScheduleStore } from '../shared/scaling/scheduleStore.js';
import { createTableIncidentStore, type IncidentStore } from '../shared/simulator/incidents/incidentStore.js';
import type { FindingsRepository } from '../shared/sweep/findingsRepository.js';
import { FindingsStore } from '../shared/sweep/findingsStore.js';
import { SweepClaims } from '../shared/sweep/sweepClaims.js';

export interface AppServices {
  config: AppConfig;
  findings(): Promise<FindingsRepository>;
  /** The per-period sweep claims (one row per cluster): a cluster is swept at most once per period. */
  sweepClaims(): Promise<SweepClaims>;
  schedules(): Promise<ScheduleStore>;
  incidents(): IncidentStore;
  /** One per process: concurrent sweeps' rows share Logs Ingestion calls up to the 1 MB limit. */
  resultsSink(): ResultsSink;
  diagnostics(): DiagnosticsRuntime;
}

/** A value built on first use; a rejected promise is forgotten so the next call tries again. */
function lazy<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    if (value) return value.v;
    const v = build();
    value = { v };
    if (v instanceof Promise) v.catch(() => (value = undefined));
    return v;
  };
}

function buildServices(config: AppConfig): AppServices {
  return {
    config,
    findings: lazy(() => FindingsStore.open(config)),
    sweepClaims: lazy(() => SweepClaims.open(config)),
    schedules: lazy(() => TableScheduleStore.open(config)),
    incidents: lazy(() => createTableIncidentStore(config)),
    resultsSink: lazy(() => new BatchingResultsSink(createResultsSink(config))),
    diagnostics: () => getDiagnosticsRuntime(config),
  };
}

const built = new WeakMap<AppConfig, AppServices>();

/** The services of the current configuration. */
export function appServices(config: AppConfig = getConfig()): AppServices {
  let services = built.get(config);
  if (!services) built.set(config, (services = buildServices(config)));
  return services;
}
