// The layer rules (.dependency-cruiser.cjs) fail on a broken rule: dependency-cruiser's own CLI, as `npm run
// depcruise` runs it, over a small tree that breaks each rule once, and over one that breaks none.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = process.cwd();
const BIN = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(files: Record<string, string>): { status: number | null; violations: Violation[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'depcruise-'));
  try {
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const roots = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
    const run = (outputType: string) =>
      spawnSync(process.execPath, [BIN, ...roots, '--config', CONFIG, '--output-type', outputType], {
        cwd: dir,
        encoding: 'utf8',
      });
    // The `err` reporter is what `npm run depcruise` uses and what sets the exit code; `json` names the violations.
    const status = run('err').status;
    const out = JSON.parse(run('json').stdout) as { summary: { violations: Violation[] } };
    return { status, violations: out.summary.violations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A module whose export `name` is `imported` from `from`: enough for the cruiser to see the import. */
const importing = (name: string, imported: string, from: string) =>
  `import { ${imported} } from '${from}';\nexport const ${name} = ${imported};\n`;
const exporting = (name: string) => `export const ${name} = 1;\n`;

describe('dependency rules', () => {
  it('names every broken rule and exits non-zero', () => {
    const { status, violations } = cruise({
      'shared/sweep/types.ts': 'export type T = number;\n',
      'shared/sweep/usesSimulator.ts': importing('m', 'model', '../simulator/model.js'),
      'shared/simulator/model.ts': exporting('model'),
      'shared/kube/usesSweep.ts': "import type { T } from '../sweep/types.js';\nexport const t: T = 1;\n",
      'shared/kube/plain.ts': exporting('k'),
      'shared/config/usesKube.ts': importing('c', 'k', '../kube/plain.js'),
      'shared/diagnostics/usesAdapter.ts': importing('d', 'f', '../../functions/f.js'),
      'functions/f.ts': exporting('f'),
      'cli/main.ts': importing('c', 'tls', '../dev/tls.js'),
      'dev/tls.ts': exporting('tls'),
      'shared/anomaly/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
      'shared/anomaly/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    expect(status).not.toBe(0);
    const broken = new Set(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
    expect(broken).toEqual(
      new Set([
        'sweep-diagnostics-not-to-simulator: shared/sweep/usesSimulator.ts → shared/simulator/model.ts',
        'access-not-to-capabilities: shared/kube/usesSweep.ts → shared/sweep/types.ts',
        'platform-not-upwards: shared/config/usesKube.ts → shared/kube/plain.ts',
        'shared-not-to-adapters: shared/diagnostics/usesAdapter.ts → functions/f.ts',
        'adapters-not-to-dev: cli/main.ts → dev/tls.ts',
        // A cycle of type-only imports counts too.
        'no-circular: shared/anomaly/a.ts → shared/anomaly/b.ts',
      ]),
    );
  });

  it('passes imports that follow the layers', () => {
    const { status, violations } = cruise({
      'shared/config/config.ts': exporting('config'),
      'shared/kube/access.ts': importing('k', 'config', '../config/config.js'),
      'shared/sweep/sweep.ts': importing('s', 'k', '../kube/access.js'),
      'shared/simulator/sim.ts': importing('sim', 's', '../sweep/sweep.js'),
      'functions/sweeps.ts': importing('f', 's', '../shared/sweep/sweep.js'),
      'cli/main.ts': importing('c', 'sim', '../shared/simulator/sim.js'),
      'dev/start.ts': importing('d', 'f', '../functions/sweeps.js'),
    });
    expect(violations).toEqual([]);
    expect(status).toBe(0);
  });
});
