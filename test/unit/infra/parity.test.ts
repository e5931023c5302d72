// Bicep and Terraform describe the same deployment: same ARM resource types, same role definition ids, same app
// setting names, same outputs. A change to one without the other fails here.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { blockAfter, bicepOutputs, bicepResources, bicepRoleKeys, objectKeys, readBicepFiles, type BicepFile } from './bicepModel.js';
import { bicepCustomRoles, terraformCustomRoles } from './customRoles.js';
import { readTerraform, type TerraformModel } from './terraformModel.js';

const INFRA = path.resolve('infra');
const roleIds = JSON.parse(fs.readFileSync(path.join(INFRA, 'roles.json'), 'utf8')) as Record<string, string>;

/** How each side refers to a custom role definition (infra/customRoles.json key) in a role assignment. */
const CUSTOM_ROLE_REFERENCES: Record<string, { bicep: RegExp; terraform: string }> = {
  clusterReader: { bicep: /\bclusterReaderRoleName\b/, terraform: 'azurerm_role_definition.cluster_reader' },
  clusterScaler: { bicep: /\bclusterScalerRoleName\b/, terraform: 'azurerm_role_definition.cluster_scaler' },
};

/** azurerm resource type -> the ARM type it creates (azapi_resource carries its ARM type itself). */
const AZURERM_TO_ARM: Record<string, string | null> = {
  azurerm_resource_group: 'Microsoft.Resources/resourceGroups',
  azurerm_user_assigned_identity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  azurerm_log_analytics_workspace: 'Microsoft.OperationalInsights/workspaces',
  azurerm_storage_account: 'Microsoft.Storage/storageAccounts',
  azurerm_storage_container: 'Microsoft.Storage/storageAccounts/blobServices/containers',
  azurerm_application_insights: 'Microsoft.Insights/components',
  azurerm_service_plan: 'Microsoft.Web/serverfarms',
  azurerm_role_assignment: 'Microsoft.Authorization/roleAssignments',
  azurerm_role_definition: 'Microsoft.Authorization/roleDefinitions',
  azurerm_monitor_action_group: 'Microsoft.Insights/actionGroups',
  azurerm_monitor_scheduled_query_rules_alert_v2: 'Microsoft.Insights/scheduledQueryRules',
  azurerm_monitor_alert_prometheus_rule_group: 'Microsoft.AlertsManagement/prometheusRuleGroups',
  azurerm_application_insights_workbook: 'Microsoft.Insights/workbooks',
  // Terraform-only helpers, no Azure resource:
  random_string: null,
  random_uuid: null,
};

/** ARM types Bicep declares as separate resources that azurerm folds into another resource. */
const FOLDED_IN_TERRAFORM: Record<string, string> = {
  'Microsoft.Storage/storageAccounts/blobServices': 'implicit parent of azurerm_storage_container',
};

let bicep: BicepFile[];
let tf: TerraformModel;
beforeAll(async () => {
  bicep = readBicepFiles(INFRA);
  tf = await readTerraform(path.join(INFRA, 'terraform'));
});

describe('Bicep and Terraform parity', () => {
  it('declare the same ARM resource types', () => {
    const fromBicep = new Set(bicepResources(bicep).filter((r) => !r.existing).map((r) => r.type));
    for (const folded of Object.keys(FOLDED_IN_TERRAFORM)) fromBicep.delete(folded);
    const fromTf = new Set<string>();
    for (const [type, byName] of Object.entries(tf.resources)) {
      if (type === 'azapi_resource') {
        for (const r of Object.values(byName)) fromTf.add(String(r.type).split('@')[0]!);
        continue;
      }
      expect({ type, known: type in AZURERM_TO_ARM }).toEqual({ type, known: true });
      const arm = AZURERM_TO_ARM[type];
      if (arm) fromTf.add(arm);
    }
    expect([...fromTf].sort()).toEqual([...fromBicep].sort());
  });

  it('assign the same role definition ids', () => {
    const tfKeys = new Set<string>();
    for (const ra of Object.values(tf.resources.azurerm_role_assignment ?? {})) {
      for (const m of String(ra.role_definition_id).matchAll(/local\.role_ids\.(\w+)/g)) tfKeys.add(m[1]!);
    }
    const ids = (keys: Iterable<string>) => [...keys].map((k) => roleIds[k] ?? `unknown role key ${k}`).sort();
    expect(ids(bicepRoleKeys(bicep))).toEqual(ids(tfKeys));
  });

  it('assign the same custom roles, as many times', () => {
    // Assignment declarations per custom role: Bicep per module file (one per scope kind), Terraform per resource block.
    const bicepAssignments = (ref: RegExp) =>
      bicep.flatMap((f) => f.code.split(/^(?=resource )/m))
        .filter((d) => /^resource \w+ 'Microsoft\.Authorization\/roleAssignments@/.test(d) && new RegExp(`roleDefinitionId:[^\\n]*${ref.source}`).test(d)).length;
    const tfAssignments = (ref: string) =>
      Object.values(tf.resources.azurerm_role_assignment ?? {}).filter((ra) => String(ra.role_definition_id).includes(ref)).length;
    for (const [key, ref] of Object.entries(CUSTOM_ROLE_REFERENCES)) {
      const counts = { key, bicep: bicepAssignments(ref.bicep), terraform: tfAssignments(ref.terraform) };
      expect(counts.bicep).toBeGreaterThan(0);
      expect(counts.terraform).toBeGreaterThan(0);
      // Bicep splits subscription and resource group scopes into two modules; Terraform covers both with one for_each.
      expect({ key, bicep: counts.bicep }).toEqual({ key, bicep: 2 });
      expect({ key, terraform: counts.terraform }).toEqual({ key, terraform: 1 });
    }
  });

  it('define the same custom roles with the same permissions (data actions resolved from what each side loads)', () => {
    const shape = (roles: ReturnType<typeof bicepCustomRoles>) =>
      roles
        .map(({ roleName, actions, dataActions, notDataActions }) => ({
          roleName,
          actions: [...actions].sort(),
          dataActions: [...dataActions].sort(),
          notDataActions: [...notDataActions].sort(),
        }))
        .sort((a, b) => String(a.roleName).localeCompare(String(b.roleName)));
    const fromBicep = shape(bicepCustomRoles(bicep));
    const fromTf = shape(terraformCustomRoles(tf, path.join(INFRA, 'terraform')));
    expect(fromBicep.length).toBeGreaterThan(0);
    for (const r of fromBicep) expect(r.dataActions.length + r.actions.length).toBeGreaterThan(0);
    expect(fromTf).toEqual(fromBicep);
  });

  it('set the same app setting names', () => {
    const fn = bicep.find((f) => f.file.endsWith('functionApp.bicep'))!;
    const fromBicep = objectKeys(blockAfter(fn.code, /var appSettings = {/)!).sort();
    expect(Object.keys(tf.locals.app_settings as object).sort()).toEqual(fromBicep);
  });

  it('export the same outputs', () => {
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!;
    expect([...tf.outputs].sort()).toEqual(bicepOutputs(main.code).sort());
  });

  it('load the same shared KQL, rule and workbook files', () => {
    const shared = ['tables.json', 'roles.json', 'customRoles.json', 'containerInsightsAlerts.json', 'prometheusRules.json', 'workbook/aksAiops.workbook.json', 'kql/transform.kql'];
    const bicepCode = bicep.map((f) => f.code).join('\n');
    const tfCode = JSON.stringify(tf.files);
    for (const file of shared) {
      expect({ file, bicep: bicepCode.includes(file) }).toEqual({ file, bicep: true });
      expect({ file, terraform: tfCode.includes(file) }).toEqual({ file, terraform: true });
    }
    for (const kql of fs.readdirSync(path.join(INFRA, 'kql'))) {
      const base = kql.replace(/\.kql$/, '');
      // Terraform builds the Container Insights file names from the rule list; Bicep names each file.
      expect({ kql, bicep: bicepCode.includes(kql) }).toEqual({ kql, bicep: true });
      expect({ kql, terraform: tfCode.includes(kql) || (base.startsWith('alert-ci-') && tfCode.includes('each.value.rule.query}.kql')) }).toEqual({ kql, terraform: true });
    }
  });
});
