import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../shared/config/config.js';
import { TooManyRequestsError } from '../../../shared/errors.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { createSimulatorService, MAX_ACTIVE_INCIDENTS } from '../../../shared/simulator/api/simulatorService.js';
import { createInMemoryIncidentStore } from '../../../shared/simulator/incidents/incidentStore.js';

describe('incident creation is bounded', () => {
  it(`answers 429 beyond ${MAX_ACTIVE_INCIDENTS} active incidents, and accepts again once one ends`, async () => {
    let t = Date.parse('2026-11-30T12:00:00Z');
    const store = createInMemoryIncidentStore();
    const service = createSimulatorService({
      config: loadConfig({ SIMULATOR_ALERT_WEBHOOK_URL: '' }),
      store,
      logger: createLogger({ sink: { info: () => undefined, warn: () => undefined, error: () => undefined } }),
      now: () => new Date(t),
    });
    const body = { type: 'memory_leak', service: 'payment-service', duration_minutes: 30 };
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_INCIDENTS; i++) ids.push((await service.simulate(body)).id);
    const refused = await service.simulate(body).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterMs).toBeGreaterThan(0);
    t += 1000;
    await service.resolve(ids[0]!);
    expect((await service.simulate(body)).id).toMatch(/^inc-/);
  });
});
