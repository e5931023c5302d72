// The parts of host.json the dev host honours, with the Functions host's own defaults.
import { readFileSync } from 'node:fs';

export interface QueueHostOptions {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  messageEncoding: 'base64' | 'none';
}

export interface HostOptions {
  routePrefix: string;
  queues: QueueHostOptions;
  functionTimeoutMs: number;
}

/** "hh:mm:ss" (optionally "d.hh:mm:ss") to milliseconds. */
export function parseTimeSpan(value: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`host.json: '${value}' is not a TimeSpan (hh:mm:ss)`);
  const [, d, h, min, s, frac] = m;
  return (
    ((Number(d ?? 0) * 24 + Number(h)) * 3600 + Number(min) * 60 + Number(s)) * 1000 +
    (frac ? Math.round(Number(`0.${frac}`) * 1000) : 0)
  );
}

export function readHostOptions(hostJsonPath: string): HostOptions {
  const json = JSON.parse(readFileSync(hostJsonPath, 'utf8')) as {
    extensions?: { http?: { routePrefix?: string }; queues?: Record<string, unknown> };
    functionTimeout?: string;
  };
  const q = json.extensions?.queues ?? {};
  return {
    routePrefix: json.extensions?.http?.routePrefix ?? 'api',
    functionTimeoutMs: json.functionTimeout ? parseTimeSpan(json.functionTimeout) : 30 * 60 * 1000,
    queues: {
      batchSize: Number(q.batchSize ?? 16),
      newBatchThreshold: Number(q.newBatchThreshold ?? Math.floor(Number(q.batchSize ?? 16) / 2)),
      maxDequeueCount: Number(q.maxDequeueCount ?? 5),
      visibilityTimeoutMs: typeof q.visibilityTimeout === 'string' ? parseTimeSpan(q.visibilityTimeout) : 0,
      maxPollingIntervalMs: typeof q.maxPollingInterval === 'string' ? parseTimeSpan(q.maxPollingInterval) : 60000,
      messageEncoding: q.messageEncoding === 'none' ? 'none' : 'base64',
    },
  };
}
