// ARM's request throttling as the local ARM applies it. Since 2024 Azure Resource Manager throttles with a token
// bucket per region, per security principal and per scope: subscription reads 250 tokens refilled at 25 per second,
// tenant reads the same ("Request limits and throttling", learn.microsoft.com/azure/azure-resource-manager/management/
// request-limits-and-throttling). Every answer carries the tokens left in `x-ms-ratelimit-remaining-subscription-reads`
// (or `-tenant-reads` for requests without a subscription); an empty bucket answers 429 with Retry-After, the seconds
// until a token is back. The stand-in keeps one bucket per scope (one principal and one region locally).

export interface ArmRateLimit {
  /** Bucket size (ARM: 250 reads). */
  bucket: number;
  /** Tokens added per second (ARM: 25 reads per second). */
  refillPerSecond: number;
}

/** ARM's published read limits; `npm start --clusters N` and the fleet bench use them. */
export const ARM_READ_LIMIT: ArmRateLimit = { bucket: 250, refillPerSecond: 25 };

export interface ThrottleVerdict {
  /** Undefined: allowed. Otherwise the Retry-After in whole seconds. */
  retryAfterSeconds?: number;
  headers: Record<string, string>;
}

export class ArmThrottle {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private throttled = 0;

  constructor(
    private readonly limit: () => ArmRateLimit | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one read token from the scope's bucket (`subscription:<id>` or `tenant`). */
  take(scope: { subscriptionId?: string }): ThrottleVerdict {
    const limit = this.limit();
    const header = scope.subscriptionId
      ? 'x-ms-ratelimit-remaining-subscription-reads'
      : 'x-ms-ratelimit-remaining-tenant-reads';
    if (!limit) return { headers: {} };
    const key = scope.subscriptionId ? `subscription:${scope.subscriptionId.toLowerCase()}` : 'tenant';
    const nowMs = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.bucket, atMs: nowMs };
    bucket.tokens = Math.min(limit.bucket, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * limit.refillPerSecond);
    bucket.atMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      this.throttled += 1;
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
      return { retryAfterSeconds: seconds, headers: { [header]: '0' } };
    }
    bucket.tokens -= 1;
    return { headers: { [header]: String(Math.floor(bucket.tokens)) } };
  }

  /** Requests answered 429 so far. */
  throttledCount(): number {
    return this.throttled;
  }
}
