// The preprovision hook refuses a location where Flex Consumption is not offered, asking Azure for the list. Run
// here against a stand-in `az` on PATH that prints what `az functionapp list-flexconsumption-locations --query
// "[].name" -o tsv` prints (one ARM location name a line).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.resolve('scripts/check-location.sh');

function run(location: string, az: { names?: string[]; fails?: boolean } | undefined) {
  const bin = mkdtempSync(path.join(tmpdir(), 'fake-az-'));
  if (az) {
    const body = az.fails ? 'echo "Please run az login" >&2; exit 1' : `printf '%s\\n' ${(az.names ?? []).join(' ')}`;
    writeFileSync(path.join(bin, 'az'), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, 'az'), 0o755);
  }
  const result = spawnSync('/bin/sh', [script], {
    env: { PATH: `${bin}:/usr/bin:/bin`, AZURE_LOCATION: location },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

describe('scripts/check-location.sh (azd preprovision)', () => {
  const offered = ['eastus', 'northeurope', 'westeurope', 'swedencentral'];

  it('accepts an offered location, in either spelling', () => {
    expect(run('westeurope', { names: offered }).status).toBe(0);
    expect(run('West Europe', { names: offered }).status).toBe(0);
  });

  it('refuses a location without Flex Consumption and lists the ones that have it', () => {
    const r = run('brazilsoutheast', { names: offered });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not offered in 'brazilsoutheast'");
    expect(r.stderr).toContain('swedencentral');
  });

  it('never blocks azd when it cannot ask: no Azure CLI, or not signed in', () => {
    const missing = run('westeurope', undefined);
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain('Azure CLI not found');
    const signedOut = run('westeurope', { fails: true });
    expect(signedOut.status).toBe(0);
    expect(signedOut.stderr).toContain('could not list');
  });

  it('is wired as the preprovision hook for both shells', () => {
    const azureYaml = readFileSync('azure.yaml', 'utf8');
    expect(azureYaml).toMatch(/preprovision:\s+posix:\s+shell: sh\s+run: \.\/scripts\/check-location\.sh/);
    expect(azureYaml).toMatch(/windows:\s+shell: pwsh\s+run: \.\/scripts\/check-location\.ps1/);
  });
});
