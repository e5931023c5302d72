// The deployed bundle (dist/app.js, built by scripts/build.mjs before the tests run) carries no simulator server
// code: the simulated Kubernetes API, its object renderers and the cluster it serves run only under npm start and
// the CLI, never in the function app. The simulator endpoints themselves are in it (registered when SIMULATOR_ENABLED).
// esbuild's metafile (dist/app.meta.json) lists every source that contributed bytes to the bundle.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

const meta = JSON.parse(readFileSync('dist/app.meta.json', 'utf8')) as Metafile;
const bundled = Object.entries(meta.outputs['dist/app.js']?.inputs ?? {})
  .filter(([, v]) => v.bytesInOutput > 0)
  .map(([k]) => k);

/** Sources only the local host and the CLI may run. */
const SERVER_ONLY = [
  /^shared\/simulator\/kubeApi\//,
  /^shared\/simulator\/cluster\/(startSimulatedCluster|simulatedClusterSource|clusterObjects|largeCluster)\.ts$/,
  /^shared\/simulator\/localTls\.ts$/,
  /^dev\//,
  /^cli\//,
];

describe('dist/app.js', () => {
  it('is built from the function entry point with the simulator endpoints', () => {
    expect(meta.outputs['dist/app.js']?.entryPoint).toBe('functions/index.ts');
    expect(bundled).toContain('functions/simulator.ts');
    expect(bundled).toContain('shared/simulator/api/simulatorService.ts');
  });

  it('holds no simulator server, dev or CLI code', () => {
    expect(bundled.filter((f) => SERVER_ONLY.some((re) => re.test(f)))).toEqual([]);
  });
});
