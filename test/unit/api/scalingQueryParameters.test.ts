// The scaling read routes document their ?cluster= parameter in the OpenAPI document, as the handlers read it
// (optional for the schedule list, required for the plan).
import { describe, expect, it } from '@jest/globals';
import { buildApiDocument } from '../../../shared/api/openApiDocument.js';

type Doc = {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required: boolean }> }>>;
};

describe('scaling query parameters in the OpenAPI document', () => {
  const doc = buildApiDocument({ simulatorEnabled: false }) as unknown as Doc;
  const clusterParam = (path: string) =>
    doc.paths[path]?.get?.parameters?.find((p) => p.in === 'query' && p.name === 'cluster');

  it('lists cluster as optional for the schedules and required for the plan', () => {
    expect(clusterParam('/scaling/schedules')).toMatchObject({ required: false });
    expect(clusterParam('/scaling/plan')).toMatchObject({ required: true });
  });
});
