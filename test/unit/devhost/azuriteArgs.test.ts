import { describe, expect, it } from '@jest/globals';
import { azuriteArgs } from '../../../dev/local/azurite.js';

describe('local Azurite', () => {
  it('runs with telemetry off, bound to loopback', () => {
    for (const location of [undefined, '.data/azurite']) {
      const args = azuriteArgs({ blob: 0, queue: 0, table: 0 }, location);
      expect(args).toContain('--disableTelemetry');
      expect(args.filter((a) => a === '127.0.0.1')).toHaveLength(3);
    }
  });
});
