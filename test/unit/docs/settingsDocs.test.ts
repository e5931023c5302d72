import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { settingsSchema } from '../../../shared/config/config.js';

// One list of settings: the config schema. The README table and the example settings file must name every one,
// and nothing else (run `npm run docs` to regenerate them).
describe('settings documentation', () => {
  const names = Object.keys(settingsSchema.shape);

  it('README documents every setting the config module reads, and no others', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = /<!-- settings-table:start -->([\s\S]*)<!-- settings-table:end -->/.exec(readme)?.[1] ?? '';
    const documented = [...section.matchAll(/^\| `([^`]+)`\s*\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...names].sort());
  });

  it('local.settings.example.json lists every setting', () => {
    const example = JSON.parse(readFileSync('local.settings.example.json', 'utf8')) as {
      Values: Record<string, string>;
    };
    for (const name of names) expect(Object.keys(example.Values)).toContain(name);
  });
});
