// ARM's token bucket in the local ARM, on an injected clock: 250 reads, 25 per second back (ARM's published limits).
import { describe, expect, it } from '@jest/globals';
import { ArmThrottle, ARM_READ_LIMIT } from '../../../dev/standins/armThrottle.js';
import { pacingDelayMs, LOW_WATER } from '../../../shared/azure/arm/armPacing.js';

describe('ArmThrottle', () => {
  it('empties the bucket, answers Retry-After until a token is back, and refills at the configured rate', () => {
    let now = 0;
    const throttle = new ArmThrottle(
      () => ARM_READ_LIMIT,
      () => now,
    );
    const sub = { subscriptionId: 'S1' };
    for (let i = 0; i < 250; i++) expect(throttle.take(sub).retryAfterSeconds).toBeUndefined();
    const empty = throttle.take(sub);
    expect(empty.retryAfterSeconds).toBe(1);
    expect(empty.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    // Another subscription and the tenant scope have their own buckets.
    expect(throttle.take({ subscriptionId: 's2' }).headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('249');
    expect(throttle.take({}).headers['x-ms-ratelimit-remaining-tenant-reads']).toBe('249');
    now += 1000;
    for (let i = 0; i < 25; i++) expect(throttle.take(sub).retryAfterSeconds).toBeUndefined();
    expect(throttle.take(sub).retryAfterSeconds).toBe(1);
    expect(throttle.throttledCount()).toBe(2);
  });

  it('sends no headers and never throttles without a limit', () => {
    const throttle = new ArmThrottle(() => undefined);
    expect(throttle.take({ subscriptionId: 's' })).toEqual({ headers: {} });
  });
});

describe('pacingDelayMs', () => {
  it('does not slow down with reads to spare, and up to a second as the bucket empties', () => {
    expect(pacingDelayMs(undefined)).toBe(0);
    expect(pacingDelayMs(LOW_WATER)).toBe(0);
    expect(pacingDelayMs(LOW_WATER / 2)).toBe(500);
    expect(pacingDelayMs(0)).toBe(1000);
  });
});
