import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../../shared/errors.js';
import { readLatestSweep } from '../../../shared/sweep/sweepReadModel.js';
import type { FindingsRepository } from '../../../shared/sweep/findingsRepository.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1';

describe('GET /api/sweeps/latest query', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'refuses severity=%s (only own properties of the severity table are severities)',
    async (severity) => {
      // Validation runs before any storage read, so no store is needed to see the 400.
      const err = await readLatestSweep({} as FindingsRepository, { cluster: CLUSTER, severity }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).problems).toEqual([expect.stringContaining('severity')]);
    },
  );
});
