// Regenerates the README's settings table and local.settings.example.json from the config schema
// (dist/dev/printSettings.js, built by `npm run build`). A test fails when they drift: run `npm run docs`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const table = execFileSync(process.execPath, ['dist/dev/printSettings.js', '--markdown'], { encoding: 'utf8' });
const json = execFileSync(process.execPath, ['dist/dev/printSettings.js', '--json'], { encoding: 'utf8' });
const readme = readFileSync('README.md', 'utf8');
const updated = readme.replace(
  /<!-- settings-table:start -->[\s\S]*<!-- settings-table:end -->/,
  `<!-- settings-table:start -->\n${table}<!-- settings-table:end -->`,
);
writeFileSync('README.md', updated);
writeFileSync('local.settings.example.json', json);
// docs/sweeps.md: the check table and the Popeye/Polaris/kube-score mapping, from shared/sweep/catalogue.ts.
writeFileSync(
  'docs/sweeps.md',
  execFileSync(process.execPath, ['dist/dev/printSweepDocs.js', 'docs/sweeps.md'], { encoding: 'utf8' }),
);
