// `aks-aiops anomaly --csv FILE --html report.html`: the page is self-contained (inline SVG, no script, no remote
// resource) and shows the series, the scores, the threshold and the flagged points with their explanation.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../../cli/main.js';

const sink = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

describe('aks-aiops anomaly --html', () => {
  it('writes a self-contained page with the series, the threshold and the flagged spike', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'anomaly-html-'));
    const csv = path.join(dir, 'series.csv');
    const rows = ['timestamp,value'];
    for (let i = 0; i < 600; i++) {
      const t = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      rows.push(`${t},${i === 500 ? 95 : 40 + ((i * 7919) % 11) - 5}`);
    }
    await writeFile(csv, `${rows.join('\n')}\n`);
    const html = path.join(dir, 'report.html');
    const io = { stdout: sink(), stderr: sink(), interactive: false };
    expect(await runCli(['anomaly', '--csv', csv, '--html', html, '--threshold', '0.5'], io)).toBe(0);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).toContain('class="threshold"');
    expect(page).toContain('<polyline class="series"');
    // The spike is the one flagged point, with the baseline it broke.
    expect(page.match(/<circle class="flag"/g)).toHaveLength(1);
    expect(page).toContain('<td>2026-11-01 08:20:00</td><td>95</td>');
    // Nothing to fetch: no script and no remote URL apart from the SVG namespace.
    expect(page).not.toMatch(/<script|<link|src=/i);
    expect(page.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
  });

  it('exits 2 for a threshold outside (0,1)', async () => {
    const io = { stdout: sink(), stderr: sink(), interactive: false };
    expect(await runCli(['anomaly', '--csv', 'x.csv', '--threshold', '7'], io)).toBe(2);
  });
});
