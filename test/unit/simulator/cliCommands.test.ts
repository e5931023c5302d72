// The CLI commands through runCli, as a user runs them: output format, exit codes and error messages.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../cli/main.js';
import { captureCliIo } from '../../support/cliIo.js';

const fixture = path.resolve('test/fixtures/simulator/series-with-spike.csv');

describe('aks-aiops anomaly', () => {
  it('writes timestamp,value,anomaly_score rows and flags the injected spike (rows 200-204) only', async () => {
    const c = captureCliIo();
    expect(await runCli(['anomaly', '--csv', fixture], c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(241);
    const flagged = lines
      .slice(1)
      .map((l, i) => (Number(l.split(',')[2]) >= 0.5 ? i : -1))
      .filter((i) => i >= 0);
    expect(flagged[0]).toBe(200);
    expect(flagged.every((i) => i >= 200 && i < 205)).toBe(true);
  });

  it('writes JSON with --json', async () => {
    const c = captureCliIo();
    expect(await runCli(['anomaly', '--csv', fixture, '--json'], c.io)).toBe(0);
    const rows = JSON.parse(c.out()) as Array<{
      timestamp: string;
      value: number;
      anomaly_score: number;
      anomaly: boolean;
    }>;
    expect(rows[200]).toMatchObject({ timestamp: '2026-11-18T03:20:00.000Z', anomaly: true });
  });

  it('exits 2 with a message naming the line for a bad value, and for a missing --csv', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'anomaly-'));
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,abc\n');
    let c = captureCliIo();
    expect(await runCli(['anomaly', '--csv', bad], c.io)).toBe(2);
    expect(c.err()).toContain('line 3: value "abc" is not a number');
    c = captureCliIo();
    expect(await runCli(['anomaly'], c.io)).toBe(2);
    expect(c.err()).toContain('--csv FILE is required');
    c = captureCliIo();
    expect(await runCli(['anomaly', '--csv', path.join(dir, 'missing.csv')], c.io)).toBe(2);
    expect(c.err()).toContain('cannot read');
  });
});

describe('aks-aiops simulate', () => {
  it('exits 2 for a missing or unknown subcommand and for bad flags', async () => {
    let c = captureCliIo();
    expect(await runCli(['simulate'], c.io)).toBe(2);
    expect(c.err()).toContain('missing subcommand: serve');
    c = captureCliIo();
    expect(await runCli(['simulate', 'serve', '--nodes', '10'], c.io)).toBe(2);
    expect(c.err()).toContain('--nodes and --pods go together');
    c = captureCliIo();
    expect(await runCli(['simulate', 'serve', '--nodes=0', '--pods', '5'], c.io)).toBe(2);
    expect(c.err()).toContain('--nodes must be a whole number from 1 to 100000');
  });
});
