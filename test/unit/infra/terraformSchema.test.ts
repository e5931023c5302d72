// infra/terraform against the azurerm provider's own schema (offline, from @cdktf/provider-azurerm's jsii assembly):
// a misspelt resource type, argument or nested block, or a missing required one, fails here instead of at
// `terraform plan`. Value ranges the schema does not carry (PT1M minimum, Flex sizes) are in infra.test.ts.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { loadAzurermSchema, type ProviderSchema } from './azurermSchema.js';
import { checkAgainstSchema } from './terraformSchema.js';
import { readTerraform, type TerraformModel } from './terraformModel.js';

const DIR = path.resolve('infra/terraform');
let schema: ProviderSchema;
let tf: TerraformModel;

beforeAll(async () => {
  schema = loadAzurermSchema();
  tf = await readTerraform(DIR);
});

/** infra/terraform with one file's text edited, parsed like the real thing. */
async function withEdit(file: string, from: string | RegExp, to: string): Promise<string[]> {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  const files = { ...tf.files, [file]: await parse(file, edited) };
  return checkAgainstSchema(files, schema).problems;
}

describe('Terraform against the azurerm provider schema', () => {
  it('the schema is the azurerm 4.x provider and knows the resources used here', () => {
    expect(schema.providerVersion).toMatch(/^4\./);
    // versions.tf pins "~> 4.x": the schema must be of a version that constraint admits.
    const pinned = /source\s*=\s*"hashicorp\/azurerm"\s*\n\s*version\s*=\s*"~> 4\.(\d+)"/.exec(fs.readFileSync(path.join(DIR, 'versions.tf'), 'utf8'));
    expect(Number(schema.providerVersion.split('.')[1])).toBeGreaterThanOrEqual(Number(pinned![1]));
    expect(schema.resources.get('azurerm_monitor_action_group')?.blocks.has('webhook_receiver')).toBe(true);
    expect(schema.resources.get('azurerm_storage_account')?.attributes.get('account_tier')).toBe(true);
  });

  it('every azurerm resource and data source, argument and nested block in infra/terraform is in the schema', () => {
    const { problems, checked } = checkAgainstSchema(tf.files, schema);
    expect(problems).toEqual([]);
    const azurermInModel = [
      ...Object.entries(tf.resources).filter(([t]) => t.startsWith('azurerm_')).flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`)),
      ...Object.entries(tf.data).filter(([t]) => t.startsWith('azurerm_')).flatMap(([t, byName]) => Object.keys(byName).map((n) => `data.${t}.${n}`)),
    ];
    expect(checked.sort()).toEqual(azurermInModel.sort());
    expect(checked.length).toBeGreaterThan(15);
  });

  it('fails on a misspelt argument', async () => {
    expect(await withEdit('main.tf', 'account_replication_type', 'account_replicaton_type')).toEqual(
      expect.arrayContaining([
        'main.tf: azurerm_storage_account.app: unknown argument "account_replicaton_type"',
        'main.tf: azurerm_storage_account.app: missing required argument "account_replication_type"',
      ]),
    );
  });

  it('fails on a misspelt resource type', async () => {
    expect(await withEdit('functionapp.tf', 'resource "azurerm_service_plan"', 'resource "azurerm_app_service_plan_v2"')).toContain(
      'functionapp.tf: azurerm_app_service_plan_v2.app: unknown resource type',
    );
  });

  it('fails on an unknown argument inside a nested block and inside a dynamic block', async () => {
    expect(await withEdit('alerts.tf', 'number_of_evaluation_periods', 'evaluation_periods')).toEqual(
      expect.arrayContaining([expect.stringMatching(/criteria\.failing_periods: unknown argument "evaluation_periods"$/)]),
    );
    expect(await withEdit('alerts.tf', 'email_address           = email_receiver.value', 'email_addres            = email_receiver.value')).toEqual(
      expect.arrayContaining(['alerts.tf: azurerm_monitor_action_group.operators.email_receiver: unknown argument "email_addres"']),
    );
  });

  it('fails on a misspelt block and on a missing required block', async () => {
    expect(await withEdit('alerts.tf', /\n {2}criteria \{\n {4}query {19}= each\.value\.query\n/, '\n  criterion {\n    query                   = each.value.query\n')).toEqual(
      expect.arrayContaining([
        'alerts.tf: azurerm_monitor_scheduled_query_rules_alert_v2.app: unknown argument "criterion"',
        'alerts.tf: azurerm_monitor_scheduled_query_rules_alert_v2.app: missing required block "criteria"',
      ]),
    );
  });
});
