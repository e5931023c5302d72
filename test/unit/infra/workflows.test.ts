// GitHub Actions: pull requests run the same CI as locally; main deploys with azd through OIDC federation, with no
// secret anywhere in the repository.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

// action-validator (WebAssembly, offline): the workflow JSON schema GitHub's runner accepts (SchemaStore
// github-workflow.json) plus its own checks, e.g. that path globs match files.
type ValidationState = { errors: Array<{ code: string; path?: string; title: string; detail?: string }> };
const actionValidator = createRequire(import.meta.url)('@action-validator/core') as { validateWorkflow(src: string): ValidationState };

type Step = { uses?: string; run?: string; with?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { steps: Step[]; needs?: string }> };

const read = (name: string) => {
  const text = fs.readFileSync(`.github/workflows/${name}`, 'utf8');
  return { text, wf: parse(text) as Workflow };
};
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);

describe('workflows', () => {
  it('every workflow is valid for GitHub Actions (action-validator)', () => {
    const files = fs.readdirSync('.github/workflows').filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect({ f, errors: actionValidator.validateWorkflow(read(f).text).errors }).toEqual({ f, errors: [] });
  });

  it('the validator rejects a misspelt key and a wrongly typed value', () => {
    const { text } = read('pr.yml');
    expect(actionValidator.validateWorkflow(text.replace('runs-on:', 'run-on:')).errors).not.toEqual([]);
    expect(actionValidator.validateWorkflow(text.replace(/timeout-minutes: \d+/, 'timeout-minutes: soon')).errors).not.toEqual([]);
  });

  it('pull requests run .ci/run', () => {
    const { wf } = read('pr.yml');
    expect(Object.keys(wf.on)).toContain('pull_request');
    expect(steps(wf).some((s) => s.run?.trim() === 'bash .ci/run')).toBe(true);
    expect(fs.existsSync('.ci/run')).toBe(true);
  });

  it('main deploys with azd after CI, signed in with OIDC federated credentials', () => {
    const { wf } = read('deploy.yml');
    expect(wf.on).toHaveProperty('push', { branches: ['main'] });
    expect(wf.permissions?.['id-token']).toBe('write');
    expect(wf.jobs.deploy?.needs).toBe('ci');
    const all = steps(wf);
    const login = all.find((s) => s.uses?.startsWith('azure/login@'));
    expect(login?.with).toMatchObject({ 'client-id': expect.stringContaining('vars.'), 'tenant-id': expect.stringContaining('vars.') });
    expect(login?.with).not.toHaveProperty('creds');
    expect(all.some((s) => s.run?.includes('--federated-credential-provider github'))).toBe(true);
    expect(all.some((s) => s.run?.includes('azd provision'))).toBe(true);
    expect(all.some((s) => s.run?.includes('azd deploy'))).toBe(true);
  });

  it('no workflow reads a secret', () => {
    for (const f of fs.readdirSync('.github/workflows')) {
      expect({ f, secrets: /\$\{\{\s*secrets\./.test(read(f).text) }).toEqual({ f, secrets: false });
    }
  });

  it('deployment parameters azd reads from the environment are passed by the deploy workflow', () => {
    const params = fs.readFileSync('infra/main.parameters.json', 'utf8');
    const { text } = read('deploy.yml');
    for (const m of params.matchAll(/\$\{(AKS_AIOPS_[A-Z_]+)/g)) expect({ v: m[1], passed: text.includes(`${m[1]!}:`) }).toEqual({ v: m[1], passed: true });
  });
});
