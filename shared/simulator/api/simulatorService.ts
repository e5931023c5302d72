// What the simulator endpoints do, independent of Azure Functions: validate input with the shared schemas, read
// incidents from the store, compute metrics and anomalies, create and resolve incidents, and (closed loop) post the
// alert an incident would raise.
import { TooManyRequestsError } from '../../errors.js';
import { hostname } from 'node:os';
import type { z } from 'zod';
import type { AppConfig } from '../../config/config.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { IncidentStore } from '../incidents/incidentStore.js';
import { APP_VERSION, SERVICE_NAME } from '../../version.js';
import { buildIncidentAlert, postIncidentAlert } from '../alerts/incidentAlert.js';
import {
  readCurrentWithAnomalies,
  ANOMALY_THRESHOLD,
  DETECTOR_WINDOW_MINUTES,
  SIMULATOR_DETECTOR_OPTIONS,
} from '../anomaly/metricsAnomaly.js';
import { DEFAULT_ANOMALY_DETECTOR_OPTIONS } from '../../anomaly/anomalyDetector.js';
import { clusterNameOf } from '../cluster/clusterName.js';
import { INCIDENT_TYPES, viewIncident, type Incident, type IncidentView } from '../incidents/incident.js';
import { INCIDENT_KINDS } from '../incidents/registry.js';
import { activeIncidentsAt, computeMetricsAt, MINUTE_MS, systemWide, type ServicesMetrics } from '../metricsModel.js';
import { METRIC_NAMES, SERVICE_NAMES, SERVICES, type MetricName, type ServiceName } from '../services.js';
import {
  describeIssues,
  MAX_HISTORY_MINUTES,
  MAX_HISTORY_POINTS,
  simulateIncidentBodySchema,
  type currentMetricsSchema,
  type HistoryQuery,
  type IncidentsQuery,
  type historySchema,
  type simulateResponseSchema,
  type systemInfoSchema,
} from './schemas.js';

/** Active simulated incidents at most; POST /api/incidents/simulate answers 429 beyond. */
export const MAX_ACTIVE_INCIDENTS = 50;

export type CurrentMetrics = z.infer<typeof currentMetricsSchema>;
export type MetricsHistory = z.infer<typeof historySchema>;
export type SimulateResponse = z.infer<typeof simulateResponseSchema>;
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export interface SimulatorServiceDeps {
  config: AppConfig;
  store: IncidentStore;
  logger: Logger;
  now?: () => Date;
  /** When the process started (uptime in /system/info). */
  startedAt?: Date;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = describeIssues(r.error);
    throw new ValidationError(`Invalid ${what}: ${problems.join('; ')}`, { problems });
  }
  return r.data;
}

/** healthy / degraded / critical from what an operator would look at, not from the incident list. */
export function overallStatus(
  metrics: ServicesMetrics,
  baseline: ServicesMetrics,
  hasAnomaly: boolean,
): 'healthy' | 'degraded' | 'critical' {
  let status: 'healthy' | 'degraded' | 'critical' = hasAnomaly ? 'degraded' : 'healthy';
  for (const s of SERVICE_NAMES) {
    const m = metrics[s];
    const desired = SERVICES[s].replicas;
    if (
      m.error_rate >= 5 ||
      m.pod_count <= desired / 2 ||
      m.cpu_usage_percent >= 90 ||
      m.memory_usage_percent >= 92 ||
      m.latency_ms >= 4 * baseline[s].latency_ms
    ) {
      return 'critical';
    }
    if (
      m.error_rate >= 2 ||
      m.pod_count < desired ||
      m.cpu_usage_percent >= 80 ||
      m.memory_usage_percent >= 85 ||
      m.latency_ms >= 2 * baseline[s].latency_ms
    ) {
      status = 'degraded';
    }
  }
  return status;
}

/** The minutes a history query covers and its step, validated against the limits (400 with the reason). */
function historyWindow(
  q: HistoryQuery,
  t: Date,
): { fromMinute: number; toMinute: number; step: number; count: number } {
  if (q.minutes !== undefined && (q.from !== undefined || q.to !== undefined)) {
    throw new ValidationError('Invalid query: use either minutes or from/to, not both', {
      problems: ['minutes: cannot be combined with from/to'],
    });
  }
  const toMs = Math.min((q.to ?? t).getTime(), t.getTime());
  const toMinute = Math.floor(toMs / MINUTE_MS);
  const fromMinute = q.from ? Math.ceil(q.from.getTime() / MINUTE_MS) : toMinute - (q.minutes ?? 60);
  if (q.from && fromMinute > toMinute)
    throw new ValidationError('Invalid query: from must be before to', {
      problems: ['from: must be before to (and not in the future)'],
    });
  const span = toMinute - fromMinute;
  if (span > MAX_HISTORY_MINUTES) {
    throw new ValidationError(`Invalid query: the window is ${span} minutes; at most ${MAX_HISTORY_MINUTES}`, {
      problems: [`from: window longer than ${MAX_HISTORY_MINUTES} minutes`],
    });
  }
  const step = q.step ?? Math.max(1, Math.ceil((span + 1) / (MAX_HISTORY_POINTS / 2)));
  const count = Math.floor(span / step) + 1;
  if (count > MAX_HISTORY_POINTS) {
    throw new ValidationError(`Invalid query: step ${step} gives ${count} points; at most ${MAX_HISTORY_POINTS}`, {
      problems: [`step: must be at least ${Math.ceil((span + 1) / MAX_HISTORY_POINTS)} for this window`],
    });
  }
  return { fromMinute, toMinute, step, count };
}

/** Posts the incident's alert to SIMULATOR_ALERT_WEBHOOK_URL when set; the incident stands whatever the webhook says. */
async function deliverIncidentAlert(
  deps: SimulatorServiceDeps,
  incident: Incident,
  abortSignal: AbortSignal | undefined,
): Promise<SimulateResponse['alert']> {
  const url = deps.config.SIMULATOR_ALERT_WEBHOOK_URL;
  if (url) {
    const clusterId = deps.config.SIMULATOR_CLUSTER_ID;
    const payload = buildIncidentAlert(incident, {
      seed: deps.config.SIMULATOR_SEED,
      clusterId,
      clusterName: clusterNameOf(clusterId),
      region: deps.config.REGION_NAME,
    });
    const outcome = await postIncidentAlert(url, payload, { abortSignal });
    const fields = {
      incidentId: incident.id,
      alertId: payload.data.essentials.alertId,
      alertRule: payload.data.essentials.alertRule,
      httpStatus: outcome.status,
      error: outcome.error,
    };
    if (outcome.ok) deps.logger.info('incident alert delivered to the webhook', fields);
    else deps.logger.warn('incident alert could not be delivered; the incident stands', fields);
    return { delivered: outcome.ok, ...(outcome.status !== undefined ? { httpStatus: outcome.status } : {}) };
  }
  return undefined;
}

export function createSimulatorService(deps: SimulatorServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const seed = deps.config.SIMULATOR_SEED;
  const startedAt = deps.startedAt ?? new Date();

  return {
    async currentMetrics(options: { abortSignal?: AbortSignal } = {}): Promise<CurrentMetrics> {
      const t = now();
      const minute = Math.floor(t.getTime() / MINUTE_MS);
      const incidents = await deps.store.overlapping(
        new Date((minute - DETECTOR_WINDOW_MINUTES) * MINUTE_MS),
        t,
        options,
      );
      const { metrics, anomaly } = readCurrentWithAnomalies(seed, minute, incidents);
      const baseline = computeMetricsAt(seed, minute, []);
      return {
        timestamp: new Date(minute * MINUTE_MS).toISOString(),
        services: metrics,
        system_wide: systemWide(metrics),
        anomaly_detection: anomaly,
        overall_status: overallStatus(metrics, baseline, anomaly.has_anomaly),
        active_incidents: activeIncidentsAt(incidents, minute).length,
      };
    },

    async history(q: HistoryQuery, options: { abortSignal?: AbortSignal } = {}): Promise<MetricsHistory> {
      const { fromMinute, toMinute, step, count } = historyWindow(q, now());
      const services: ServiceName[] = q.service ? [q.service] : [...SERVICE_NAMES];
      const metrics: MetricName[] = q.metric ? [q.metric] : [...METRIC_NAMES];
      const incidents = await deps.store.overlapping(
        new Date(fromMinute * MINUTE_MS),
        new Date(toMinute * MINUTE_MS),
        options,
      );
      const series: Partial<
        Record<ServiceName, Partial<Record<MetricName, Array<{ timestamp: string; value: number }>>>>
      > = {};
      for (const s of services) series[s] = Object.fromEntries(metrics.map((m) => [m, []]));
      // Align to the step so that repeated queries return the same minutes.
      const first = toMinute - (count - 1) * step;
      for (let m = first; m <= toMinute; m += step) {
        const at = computeMetricsAt(seed, m, incidents);
        const timestamp = new Date(m * MINUTE_MS).toISOString();
        for (const s of services) for (const k of metrics) series[s]?.[k]?.push({ timestamp, value: at[s][k] });
      }
      return {
        from: new Date(first * MINUTE_MS).toISOString(),
        to: new Date(toMinute * MINUTE_MS).toISOString(),
        step_minutes: step,
        points: count,
        series: series as MetricsHistory['series'],
      };
    },

    async simulate(body: unknown, options: { abortSignal?: AbortSignal } = {}): Promise<SimulateResponse> {
      const input = parse(simulateIncidentBodySchema, body, 'incident');
      const kind = INCIDENT_KINDS[input.type];
      // Incident creation is bounded: every active incident costs every metrics and cluster read, so beyond the cap
      // the caller waits (429) for some to end. Concurrent creations may pass the check together: the cap is a bound
      // on growth, not an exact count.
      const active = await deps.store.list({ status: 'active', limit: MAX_ACTIVE_INCIDENTS, now: now(), ...options });
      if (active.items.length >= MAX_ACTIVE_INCIDENTS)
        throw new TooManyRequestsError(
          `${MAX_ACTIVE_INCIDENTS} incidents are active, the most the simulator runs at once: resolve some (POST /api/incidents/{id}/resolve) or wait for them to end`,
          { retryAfterMs: 60_000 },
        );
      const incident = await deps.store.create(
        {
          type: input.type,
          service: input.service,
          severity: input.severity,
          durationMinutes: input.duration_minutes ?? kind.defaultDurationMinutes,
          description: input.description ?? `${kind.summary} (${input.service})`,
          startedAt: now(),
        },
        options,
      );
      deps.logger.info('simulated incident started', {
        incidentId: incident.id,
        type: incident.type,
        service: incident.service,
        severity: incident.severity,
      });
      const view: SimulateResponse = viewIncident(incident, now());
      const alert = await deliverIncidentAlert(deps, incident, options.abortSignal);
      if (alert) view.alert = alert;
      return view;
    },

    async listIncidents(
      q: IncidentsQuery,
      options: { abortSignal?: AbortSignal } = {},
    ): Promise<{ items: IncidentView[]; continuation?: string }> {
      const t = now();
      const page = await deps.store.list({
        status: q.status,
        limit: q.limit ?? 20,
        continuationToken: q.continuation,
        now: t,
        abortSignal: options.abortSignal,
      });
      return {
        items: page.items.map((i) => viewIncident(i, t)),
        ...(page.continuationToken ? { continuation: page.continuationToken } : {}),
      };
    },

    async resolve(id: string, options: { abortSignal?: AbortSignal } = {}): Promise<IncidentView> {
      if (!/^inc-[0-9a-z]+-[0-9a-f]{8}$/.test(id)) throw new NotFoundError(`incident '${id}' not found`);
      const t = now();
      const incident = await deps.store.resolve(id, t, options);
      deps.logger.info('simulated incident resolved', { incidentId: id });
      return viewIncident(incident, t);
    },

    systemInfo(): SystemInfo {
      const t = now();
      const c = deps.config;
      return {
        service: SERVICE_NAME,
        version: APP_VERSION,
        runtime: { node: process.version, platform: `${process.platform}/${process.arch}` },
        region: c.REGION_NAME ?? 'local',
        instance: c.WEBSITE_INSTANCE_ID ?? hostname(),
        started_at: startedAt.toISOString(),
        uptime_seconds: Math.round((t.getTime() - startedAt.getTime()) / 1000),
        simulated_services: [...SERVICE_NAMES],
        incident_types: [...INCIDENT_TYPES],
        metrics: [...METRIC_NAMES],
        configuration: {
          seed: c.SIMULATOR_SEED,
          cluster_id: c.SIMULATOR_CLUSTER_ID,
          alert_webhook: c.SIMULATOR_ALERT_WEBHOOK_URL ? 'configured' : 'off',
          storage: c.storage.kind === 'identity' ? 'managed identity' : 'connection string',
          metric_resolution_seconds: 60,
          anomaly_threshold: ANOMALY_THRESHOLD,
          detector_window_minutes: DETECTOR_WINDOW_MINUTES,
          detector: { ...DEFAULT_ANOMALY_DETECTOR_OPTIONS, ...SIMULATOR_DETECTOR_OPTIONS },
          log_level: c.LOG_LEVEL,
        },
      };
    },
  };
}

export type SimulatorService = ReturnType<typeof createSimulatorService>;
