// Keeps ARM reads inside ARM's throttling instead of failing on it. ARM reports the reads left in the caller's token
// bucket on every answer (`x-ms-ratelimit-remaining-subscription-reads`, `-tenant-reads`) and answers 429 with
// Retry-After once it is empty ("Request limits and throttling", learn.microsoft.com/azure/azure-resource-manager/
// management/request-limits-and-throttling: "Retry-After ... the number of seconds your application should wait").
// This policy, on the wire side of the SDK's retry policy:
//   - slows down when the remaining reads fall below LOW_WATER (a delay growing as the bucket empties), shared by
//     every client of the process so concurrent discovery workers back off together;
//   - on 429 waits the Retry-After (capped) and sends again, up to MAX_THROTTLE_WAITS times, so a throttled
//     discovery takes longer instead of losing a subscription. Both waits honour the request's abort signal.
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

/** About one second of ARM's refill (25 reads per second). */
export const LOW_WATER = 25;
export const MAX_THROTTLE_WAITS = 20;
const MAX_RETRY_AFTER_MS = 60_000;

export interface PacingState {
  /** Reads left as last reported, per header (subscription or tenant scope). */
  remaining: Map<string, number>;
  throttled: number;
  pausedMs: number;
}

export function newPacingState(): PacingState {
  return { remaining: new Map(), throttled: 0, pausedMs: 0 };
}

/** One state per process: the bucket is per principal, and every client of the process shares the principal. */
export const PROCESS_PACING = newPacingState();

const HEADERS = ['x-ms-ratelimit-remaining-subscription-reads', 'x-ms-ratelimit-remaining-tenant-reads'];

function headerFor(request: PipelineRequest): string {
  return /\/subscriptions\/[^/?]+/i.test(new URL(request.url).pathname) ? HEADERS[0]! : HEADERS[1]!;
}

/** Delay before the next read when `remaining` reads are left: none above LOW_WATER, up to 1 s at 0. */
export function pacingDelayMs(remaining: number | undefined): number {
  if (remaining === undefined || remaining >= LOW_WATER) return 0;
  return Math.round(1000 * (1 - Math.max(0, remaining) / LOW_WATER));
}

export function retryAfterMs(response: PipelineResponse): number {
  const raw = response.headers.get('retry-after');
  const seconds = raw === undefined ? NaN : Number(raw);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const date = raw === undefined ? NaN : Date.parse(raw);
  return Number.isFinite(date) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - Date.now())) : 1000;
}

const aborted = (): Error => Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });

function wait(ms: number, signal: PipelineRequest['abortSignal']): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function armPacingPolicy(state: PacingState = PROCESS_PACING): PipelinePolicy {
  return {
    name: 'aksAiopsArmPacing',
    async sendRequest(request, next) {
      const header = headerFor(request);
      for (let attempt = 0; ; attempt++) {
        const delay = pacingDelayMs(state.remaining.get(header));
        state.pausedMs += delay;
        await wait(delay, request.abortSignal);
        const response = await next(request);
        const left = Number(response.headers.get(header));
        if (Number.isFinite(left)) state.remaining.set(header, left);
        if (response.status !== 429 || attempt >= MAX_THROTTLE_WAITS) return response;
        state.throttled += 1;
        const ms = retryAfterMs(response);
        state.pausedMs += ms;
        // The bucket is empty: the next request after the wait starts from zero, paced again.
        state.remaining.set(header, 0);
        await wait(ms, request.abortSignal);
      }
    },
  };
}
