// The recommendations' KQL (shared/scaling/usageHistory.ts) validated by Microsoft's Kusto language service against
// the Container insights schemas, and a typo in one of them caught, so the check can fail.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { USAGE_QUERY_SAMPLES } from '../../../shared/scaling/usageHistory.js';
import { KqlValidator, loadWorkspaceSchemas } from './kqlValidator.js';

let workspace: KqlValidator;
beforeAll(() => {
  workspace = new KqlValidator(loadWorkspaceSchemas());
});

describe('usage history queries', () => {
  it.each(Object.entries(USAGE_QUERY_SAMPLES))('%s binds against the Container insights tables', (_name, query) => {
    expect(workspace.diagnose(query)).toEqual([]);
  });

  it('a misspelled counter column fails', () => {
    const broken = USAGE_QUERY_SAMPLES.containerUsage.replace('CounterValue', 'CounterValu');
    expect(workspace.diagnose(broken).length).toBeGreaterThan(0);
  });
});
