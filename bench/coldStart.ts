// bench/cold-start: how long a fresh Node process takes to load the app and register every function, for the
// esbuild bundle (dist/app.js, what is deployed) against the unbundled tsc build (build/functions/index.js, which
// resolves every dependency from node_modules). Each figure is the median of N fresh processes.
// Run: npm run bench:cold-start [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;

// The child provides @azure/functions-core (as the worker does), then times import + registration.
const probe = (entry: string) => `
const { createRequire } = await import('node:module');
const require = createRequire(${JSON.stringify(path.resolve('package.json'))});
const Module = require('node:module');
const core = require('@azure/functions-core');
const original = Module._load;
Module._load = function (r, p, m) { return r === '@azure/functions-core' ? core : original.call(this, r, p, m); };
const t0 = performance.now();
await import(${JSON.stringify(`file://${path.resolve(entry)}`)});
const t1 = performance.now();
process.stdout.write(JSON.stringify({ ms: t1 - t0, functions: core.__state.functions.length, rssMb: process.memoryUsage().rss / 1048576 }));
`;

interface Sample {
  ms: number;
  functions: number;
  rssMb: number;
  processMs: number;
}

function measure(entry: string): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe(entry)], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    const processMs = performance.now() - start;
    if (r.status !== 0) throw new Error(`loading ${entry} failed:\n${r.stderr}`);
    samples.push({ ...(JSON.parse(r.stdout) as Omit<Sample, 'processMs'>), processMs });
  }
  return samples;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const targets = [
  { name: 'bundle (dist/app.js)', entry: 'dist/app.js' },
  { name: 'unbundled (build/functions/index.js)', entry: 'build/functions/index.js' },
];
console.log(`cold start, median of ${runs} fresh processes (node ${process.version})`);
const results: Record<string, number> = {};
for (const t of targets) {
  if (!existsSync(t.entry)) {
    console.log(`${t.name}: missing — run \`npm run build\` and \`npm run build:unbundled\` first`);
    continue;
  }
  const s = measure(t.entry);
  results[t.name] = median(s.map((x) => x.ms));
  console.log(
    `${t.name.padEnd(40)} load+register ${median(s.map((x) => x.ms)).toFixed(1)} ms   whole process ${median(s.map((x) => x.processMs)).toFixed(1)} ms   functions ${s[0]?.functions}   rss ${median(s.map((x) => x.rssMb)).toFixed(0)} MB`,
  );
}
const [b, u] = [results[targets[0]!.name], results[targets[1]!.name]];
if (b !== undefined && u !== undefined) console.log(`bundle / unbundled load time: ${(b / u).toFixed(2)}×`);
