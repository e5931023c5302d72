// The four simulated services, their baselines and who calls whom (a latency spike travels to the callers).

export const SERVICE_NAMES = ['api-gateway', 'user-service', 'payment-service', 'notification-service'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const METRIC_NAMES = [
  'cpu_usage_percent',
  'memory_usage_percent',
  'latency_ms',
  'request_rate',
  'error_rate',
  'pod_count',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface ServiceProfile {
  name: ServiceName;
  /** Requests per second at the daily mean. */
  baseRequestRate: number;
  /** CPU % at idle and added per request/s per pod. */
  cpuIdle: number;
  cpuPerRps: number;
  /** Memory % of the container limit at steady state. */
  memoryBase: number;
  /** p50-ish latency at mean load, ms. */
  baseLatencyMs: number;
  /** Error rate in percent of requests. */
  baseErrorRate: number;
  replicas: number;
  /** Services this one calls synchronously. */
  calls: ServiceName[];
  image: string;
  port: number;
  cpuRequest: string;
  memoryRequest: string;
  memoryLimit: string;
}

export const SERVICES: Record<ServiceName, ServiceProfile> = {
  'api-gateway': {
    name: 'api-gateway',
    baseRequestRate: 420,
    cpuIdle: 6,
    cpuPerRps: 0.28,
    memoryBase: 41,
    baseLatencyMs: 38,
    baseErrorRate: 0.25,
    replicas: 3,
    calls: ['user-service', 'payment-service'],
    image: 'acraiopsdemo.azurecr.io/api-gateway:3.8.2',
    port: 8080,
    cpuRequest: '250m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
  },
  'user-service': {
    name: 'user-service',
    baseRequestRate: 260,
    cpuIdle: 5,
    cpuPerRps: 0.3,
    memoryBase: 48,
    baseLatencyMs: 22,
    baseErrorRate: 0.15,
    replicas: 2,
    calls: [],
    image: 'acraiopsdemo.azurecr.io/user-service:2.14.0',
    port: 8080,
    cpuRequest: '200m',
    memoryRequest: '384Mi',
    memoryLimit: '768Mi',
  },
  'payment-service': {
    name: 'payment-service',
    baseRequestRate: 95,
    cpuIdle: 8,
    cpuPerRps: 0.55,
    memoryBase: 55,
    baseLatencyMs: 120,
    baseErrorRate: 0.3,
    replicas: 2,
    calls: ['notification-service'],
    image: 'acraiopsdemo.azurecr.io/payment-service:5.2.1',
    port: 8080,
    cpuRequest: '300m',
    memoryRequest: '512Mi',
    memoryLimit: '1Gi',
  },
  'notification-service': {
    name: 'notification-service',
    baseRequestRate: 70,
    cpuIdle: 4,
    cpuPerRps: 0.35,
    memoryBase: 36,
    baseLatencyMs: 65,
    baseErrorRate: 0.4,
    replicas: 2,
    calls: [],
    image: 'acraiopsdemo.azurecr.io/notification-service:1.9.4',
    port: 8080,
    cpuRequest: '100m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
  },
};

/** Services that call `service`, directly or through others (they see its latency). */
export function callersOf(service: ServiceName): ServiceName[] {
  const out: ServiceName[] = [];
  const visit = (target: ServiceName) => {
    for (const s of SERVICE_NAMES) {
      if (SERVICES[s].calls.includes(target) && !out.includes(s)) {
        out.push(s);
        visit(s);
      }
    }
  };
  visit(service);
  return out;
}

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}

export function isMetricName(value: unknown): value is MetricName {
  return typeof value === 'string' && (METRIC_NAMES as readonly string[]).includes(value);
}
