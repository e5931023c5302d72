// The simulator API's inputs and outputs as zod schemas: handlers validate with them and /openapi.json is generated
// from them, so the documentation cannot drift from what is enforced.
import { z } from 'zod';
import { INCIDENT_TYPES, SEVERITIES } from '../incidents/incident.js';
import { METRIC_NAMES, SERVICE_NAMES } from '../services.js';

const list = (values: readonly string[]) => values.join(', ');

export const MAX_HISTORY_MINUTES = 7 * 24 * 60;
export const MAX_HISTORY_POINTS = 1000;

export const incidentTypeSchema = z.enum(INCIDENT_TYPES, { error: `type must be one of: ${list(INCIDENT_TYPES)}` });
export const serviceNameSchema = z.enum(SERVICE_NAMES, { error: `service must be one of: ${list(SERVICE_NAMES)}` });
export const metricNameSchema = z.enum(METRIC_NAMES, { error: `metric must be one of: ${list(METRIC_NAMES)}` });
export const severitySchema = z.enum(SEVERITIES, { error: `severity must be one of: ${list(SEVERITIES)}` });

export const simulateIncidentBodySchema = z
  .strictObject(
    {
      type: incidentTypeSchema.describe('Incident type.'),
      service: serviceNameSchema.describe('Service the incident hits.'),
      severity: severitySchema.default('medium').describe('Scales the effect; default medium.'),
      duration_minutes: z
        .number({ error: 'duration_minutes must be a number' })
        .int({ error: 'duration_minutes must be a whole number' })
        .min(1, { error: 'duration_minutes must be at least 1' })
        .max(1440, { error: 'duration_minutes must be at most 1440' })
        .optional()
        .describe('Minutes until it ends by itself (1-1440); default depends on the type.'),
      description: z
        .string()
        .max(500, { error: 'description must be at most 500 characters' })
        .optional()
        .describe('Free text shown with the incident.'),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.join(', ')}` : undefined) },
  )
  .describe('An incident to simulate.');
export type SimulateIncidentBody = z.infer<typeof simulateIncidentBodySchema>;

const positiveIntText = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be a positive whole number` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `${name} must be between 1 and ${max}` });

const isoTime = (name: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), { error: `${name} must be an ISO 8601 date-time` })
    .transform((s) => new Date(s));

export const historyQuerySchema = z
  .strictObject(
    {
      service: serviceNameSchema.optional().describe('Only this service (default: all four).'),
      metric: metricNameSchema.optional().describe('Only this metric (default: all six).'),
      minutes: positiveIntText('minutes', MAX_HISTORY_MINUTES)
        .optional()
        .describe(`Window ending now, in minutes (default 60, at most ${MAX_HISTORY_MINUTES}).`),
      from: isoTime('from').optional().describe('Window start (ISO 8601); use with `to` instead of `minutes`.'),
      to: isoTime('to').optional().describe('Window end (ISO 8601); default now.'),
      step: positiveIntText('step', 1440)
        .optional()
        .describe(`Minutes between points (default: the smallest keeping at most ${MAX_HISTORY_POINTS / 2} points).`),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? `unknown query parameter(s): ${iss.keys.join(', ')}` : undefined,
    },
  )
  .describe('History query.');
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const incidentsQuerySchema = z
  .strictObject(
    {
      status: z
        .enum(['active', 'resolved'], { error: 'status must be one of: active, resolved' })
        .optional()
        .describe('Filter by status.'),
      limit: positiveIntText('limit', 100).optional().describe('Page size, 1-100 (default 20).'),
      continuation: z.string().min(1).optional().describe('Token from the previous page.'),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? `unknown query parameter(s): ${iss.keys.join(', ')}` : undefined,
    },
  )
  .describe('Incident list query.');
export type IncidentsQuery = z.infer<typeof incidentsQuerySchema>;

// ---- responses (documentation; the service builds these shapes) ----

export const serviceMetricsSchema = z.object({
  cpu_usage_percent: z.number().describe('CPU per pod, % of one core.'),
  memory_usage_percent: z.number().describe('Memory per pod, % of the container limit.'),
  latency_ms: z.number().describe('Request latency including downstream calls, ms.'),
  request_rate: z.number().describe('Requests per second.'),
  error_rate: z.number().describe('Failed requests, % of requests.'),
  pod_count: z.number().int().describe('Ready pods.'),
});

export const anomalyDetectionSchema = z.object({
  has_anomaly: z.boolean(),
  anomaly_score: z.number().min(0).max(1).describe('Highest score of any series at this minute.'),
  threshold: z.number(),
  service: serviceNameSchema.describe('Service of the highest-scoring series.'),
  metric: metricNameSchema.describe('Metric of the highest-scoring series.'),
  anomalies: z.array(
    z.object({ service: serviceNameSchema, metric: metricNameSchema, score: z.number(), value: z.number() }),
  ),
});

export const currentMetricsSchema = z.object({
  timestamp: z.string().describe('The minute these metrics describe (metrics have 1-minute resolution).'),
  services: z.object(
    Object.fromEntries(SERVICE_NAMES.map((s) => [s, serviceMetricsSchema])) as Record<
      (typeof SERVICE_NAMES)[number],
      typeof serviceMetricsSchema
    >,
  ),
  system_wide: z.object({
    total_cpu_usage_percent: z.number(),
    total_memory_usage_percent: z.number(),
    average_latency_ms: z.number(),
    total_requests_per_second: z.number(),
    active_connections: z.number().int(),
  }),
  anomaly_detection: anomalyDetectionSchema,
  overall_status: z.enum(['healthy', 'degraded', 'critical']),
  active_incidents: z.number().int(),
});

export const incidentSchema = z.object({
  id: z.string(),
  type: incidentTypeSchema,
  service: serviceNameSchema,
  severity: severitySchema,
  status: z.enum(['active', 'resolved']),
  startedAt: z.string(),
  endsAt: z.string(),
  resolvedAt: z.string().optional(),
  durationMinutes: z.number().int(),
  description: z.string(),
  createdAt: z.string(),
});

export const simulateResponseSchema = incidentSchema.extend({
  alert: z
    .object({ delivered: z.boolean(), httpStatus: z.number().int().optional() })
    .optional()
    .describe('Present when SIMULATOR_ALERT_WEBHOOK_URL is set.'),
});

export const incidentPageSchema = z.object({ items: z.array(incidentSchema), continuation: z.string().optional() });

export const historySchema = z.object({
  from: z.string(),
  to: z.string(),
  step_minutes: z.number().int(),
  points: z.number().int(),
  series: z.record(
    serviceNameSchema,
    z.record(metricNameSchema, z.array(z.object({ timestamp: z.string(), value: z.number() }))),
  ),
});

export const systemInfoSchema = z.object({
  service: z.string(),
  version: z.string(),
  runtime: z.object({ node: z.string(), platform: z.string() }),
  region: z.string(),
  instance: z.string(),
  started_at: z.string(),
  uptime_seconds: z.number(),
  simulated_services: z.array(serviceNameSchema),
  incident_types: z.array(incidentTypeSchema),
  metrics: z.array(metricNameSchema),
  configuration: z.record(z.string(), z.unknown()),
});

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.array(z.string()).optional(),
});

/** Turns zod issues into the messages a caller can act on (each names the field and the valid values). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = i.path.length > 0 ? i.path.join('.') : '';
    if (i.message.startsWith(where) || where === '') return i.message;
    if (i.code === 'invalid_type' && i.input === undefined) return `${where} is required`;
    return `${where}: ${i.message}`;
  });
}
