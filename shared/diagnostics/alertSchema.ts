// The Azure Monitor common alert schema, as the action-group webhook delivers it. `essentials` is validated strictly
// enough to route and de-duplicate the alert; `alertContext` differs per monitoring service, so its variants are
// parsed leniently (unknown fields kept) and only the parts the diagnostics use are typed.
// Shapes: https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema
import { z } from 'zod';
import { ValidationError } from '../errors.js';

export const COMMON_ALERT_SCHEMA_ID = 'azureMonitorCommonAlertSchema';

/** What to tell a caller that posts a non-common-schema payload. */
export const ENABLE_COMMON_SCHEMA_HINT =
  'enable the common alert schema on the action group webhook action ("Enable the common alert schema" = Yes in the ' +
  'portal, or useCommonAlertSchema: true in ARM/Bicep/`az monitor action-group update --add-action webhook ... ' +
  'usecommonalertschema`)';

const text = (max: number) => z.string().max(max);
const nullableText = (max: number) => text(max).nullish();

/** Accepts ISO-8601 date-times as Azure writes them (7 fractional digits, `Z` or an offset). */
const dateTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time');

export const severitySchema = z.enum(['Sev0', 'Sev1', 'Sev2', 'Sev3', 'Sev4']);
export type AlertSeverity = z.infer<typeof severitySchema>;

export const essentialsSchema = z.looseObject({
  alertId: text(1024).min(1, 'must not be empty'),
  alertRule: text(1024).min(1, 'must not be empty'),
  alertRuleID: nullableText(2048),
  alertRuleId: nullableText(2048),
  severity: severitySchema.nullish(),
  signalType: nullableText(64),
  monitorCondition: z.enum(['Fired', 'Resolved']),
  monitoringService: nullableText(256),
  alertTargetIDs: z.array(text(2048)).max(1000).nullish(),
  configurationItems: z.array(text(2048)).max(1000).nullish(),
  originAlertId: nullableText(2048),
  firedDateTime: dateTime,
  resolvedDateTime: dateTime.nullish(),
  description: nullableText(65536),
  essentialsVersion: nullableText(32),
  alertContextVersion: nullableText(32),
  investigationLink: nullableText(4096),
});
export type AlertEssentials = z.infer<typeof essentialsSchema>;

export const commonAlertSchema = z.object({
  schemaId: z.literal(COMMON_ALERT_SCHEMA_ID),
  data: z.looseObject({
    essentials: essentialsSchema,
    alertContext: z.record(z.string(), z.unknown()).nullish(),
    customProperties: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type CommonAlert = z.infer<typeof commonAlertSchema>;

// ---- alertContext variants (lenient: the documented samples disagree on casing and types) ----

const scalar = z.union([z.string(), z.number(), z.boolean()]).nullish();
const dimension = z.looseObject({ name: z.string(), value: scalar });

/** Metric alerts (static and dynamic thresholds, availability tests) and log alerts v2 share `condition.allOf[]`. */
export const conditionContextSchema = z.looseObject({
  conditionType: z.string().nullish(),
  condition: z
    .looseObject({
      windowSize: z.string().nullish(),
      windowStartTime: z.string().nullish(),
      windowEndTime: z.string().nullish(),
      allOf: z
        .array(
          z.looseObject({
            metricName: z.string().nullish(),
            metricNamespace: z.string().nullish(),
            searchQuery: z.string().nullish(),
            operator: z.string().nullish(),
            threshold: scalar,
            timeAggregation: z.string().nullish(),
            metricValue: scalar,
            dimensions: z.array(dimension).nullish(),
            webTestName: z.string().nullish(),
            linkToSearchResultsAPI: z.string().nullish(),
            event: z.array(z.array(dimension)).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const searchResultsSchema = z.looseObject({
  tables: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        columns: z.array(z.looseObject({ name: z.string(), type: z.string().nullish() })),
        rows: z.array(z.array(z.unknown())),
      }),
    )
    .nullish(),
});

/** Log search alerts v1 (Log Analytics and Application Insights): PascalCase fields, optional search results. */
export const logSearchV1ContextSchema = z.looseObject({
  SearchQuery: z.string(),
  SearchIntervalStartTimeUtc: z.string().nullish(),
  SearchIntervalEndtimeUtc: z.string().nullish(),
  ResultCount: scalar,
  Threshold: scalar,
  Operator: z.string().nullish(),
  WorkspaceId: z.string().nullish(),
  AffectedConfigurationItems: z.array(z.string()).nullish(),
  Dimensions: z.array(dimension).nullish(),
  SearchResults: searchResultsSchema.nullish(),
  AlertType: z.string().nullish(),
});

/** Prometheus alerts from Azure Monitor managed Prometheus. */
export const prometheusContextSchema = z.looseObject({
  expression: z.string(),
  expressionValue: scalar,
  interval: z.string().nullish(),
  for: z.string().nullish(),
  labels: z.record(z.string(), scalar).nullish(),
  annotations: z.record(z.string(), scalar).nullish(),
  ruleGroup: z.string().nullish(),
});

/** Activity log (administrative, policy, autoscale, security), resource health and service health. */
export const activityLogContextSchema = z.looseObject({
  operationName: z.string().nullish(),
  eventSource: scalar,
  level: scalar,
  status: z.string().nullish(),
  subStatus: z.string().nullish(),
  eventTimestamp: z.string().nullish(),
  caller: z.string().nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

export interface ParseAlertOptions {
  maxBytes: number;
  /** The request's Content-Type; JSON media types (and a missing header) are accepted. */
  contentType?: string | null;
}

function zodProblems(error: z.ZodError, limit = 20): string[] {
  return error.issues.slice(0, limit).map((i) => {
    const where = i.path.length > 0 ? i.path.map(String).join('.') : '(payload)';
    return `${where}: ${i.message}`;
  });
}

function isJsonContentType(contentType: string | null | undefined): boolean {
  if (contentType === undefined || contentType === null || contentType.trim() === '') return true;
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || media.endsWith('+json') || media === 'text/json';
}

/**
 * Parses a webhook body into a {@link CommonAlert}. Throws {@link ValidationError}: 413 when larger than
 * `maxBytes`, 400 when not JSON, not the common schema (with how to enable it) or missing essentials.
 */
export function parseCommonAlert(body: string | Uint8Array, options: ParseAlertOptions): CommonAlert {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (bytes > options.maxBytes) {
    throw new ValidationError(`Alert payload is ${bytes} bytes; the limit is ${options.maxBytes} bytes`, {
      tooLarge: true,
    });
  }
  if (!isJsonContentType(options.contentType)) {
    throw new ValidationError(`Content-Type must be application/json, got '${options.contentType}'`);
  }
  const raw = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (raw.trim() === '')
    throw new ValidationError('Alert payload is empty; expected a common alert schema JSON object');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ValidationError(`Alert payload is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValidationError('Alert payload must be a JSON object in the common alert schema');
  }
  const schemaId = (json as { schemaId?: unknown }).schemaId;
  if (schemaId !== COMMON_ALERT_SCHEMA_ID) {
    const got = schemaId === undefined ? 'no schemaId' : `schemaId ${JSON.stringify(schemaId).slice(0, 80)}`;
    throw new ValidationError(`Not the Azure Monitor common alert schema (${got}); ${ENABLE_COMMON_SCHEMA_HINT}`, {
      problems: [`schemaId: expected "${COMMON_ALERT_SCHEMA_ID}"`, ENABLE_COMMON_SCHEMA_HINT],
    });
  }
  const parsed = commonAlertSchema.safeParse(json);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    throw new ValidationError(`Invalid common alert schema payload: ${problems.join('; ')}`, { problems });
  }
  return parsed.data;
}
