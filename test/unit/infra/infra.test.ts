// Static checks of infra/ (Bicep for azd, Terraform for terraform apply): the resources, roles and settings issue 6
// asks for are declared, app settings are names the app actually reads, and nothing grants more than reading.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { settingsSchema } from '../../../shared/config/config.js';
import { RESULT_TABLES } from '../../../shared/results/resultsSink.js';
import { parseTableSchemas } from '../../../shared/results/tableSchemas.js';
import { KUBE_RESOURCES, dataActionFor } from '../../../shared/kube/resources.js';
import { blockAfter, bicepOutputs, bicepResources, bicepRoleKeys, objectKeys, readBicepFiles, type BicepFile } from './bicepModel.js';
import { bicepCustomRoles, terraformCustomRoles } from './customRoles.js';
import { readTerraform, type TerraformModel } from './terraformModel.js';

const INFRA = path.resolve('infra');
const readJson = <T>(p: string): T => JSON.parse(fs.readFileSync(path.join(INFRA, p), 'utf8')) as T;
const roleIds = readJson<Record<string, string>>('roles.json');
const platformSettings = Object.keys(readJson<{ settings: Record<string, string> }>('platformAppSettings.json').settings);
const schemaKeys = Object.keys(settingsSchema.shape);

// Built-in roles that would let the app read Secrets, write to clusters or change Azure resources.
const FORBIDDEN_ROLES: Record<string, string> = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'AKS Cluster Admin Role': '0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8',
  'AKS RBAC Admin': '3498e952-d568-435e-9b2c-8d77e338d7f7',
  'AKS RBAC Cluster Admin': 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  'AKS RBAC Writer': 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb',
  'AKS Contributor Role': 'ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Log Analytics Contributor': '92aaf0da-9dab-42b6-94a3-d43ce8d16293',
};

const REQUIRED_ROLES = [
  'monitoringMetricsPublisher',
  'storageBlobDataOwner',
  'storageQueueDataContributor',
  'storageTableDataContributor',
  'reader',
  'aksClusterUser',
  'aksRbacReader',
  'logAnalyticsReader',
];

/** `%NAME%` references in trigger bindings: the Functions host resolves them from app settings, not from defaults. */
function bindingSettingReferences(): string[] {
  const names = new Set<string>();
  for (const f of fs.readdirSync('functions').filter((f) => f.endsWith('.ts'))) {
    for (const m of fs.readFileSync(path.join('functions', f), 'utf8').matchAll(/'%([A-Za-z0-9_]+)%'/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

type CustomRole = { roleName: string; description: string; dataActions: string[]; actions?: string[] };
const customRoles = readJson<Record<string, CustomRole>>('customRoles.json');
// Microsoft's published data actions of Azure Kubernetes Service RBAC Reader (built-in roles, Containers).
const rbacReaderDataActions = (
  JSON.parse(fs.readFileSync('test/fixtures/infra/aksRbacReaderDataActions.json', 'utf8')) as { dataActions: string[] }
).dataActions;
/** Kubernetes reads the app makes: every resource a sweep lists, plus what diagnostics read (shared/diagnostics/evidence/kubeEvidence.ts). */
const APP_KUBE_READS = [
  ...Object.values(KUBE_RESOURCES).map((r) => dataActionFor(r)),
  'Microsoft.ContainerService/managedClusters/nodes/read',
  'Microsoft.ContainerService/managedClusters/storage.k8s.io/storageclasses/read',
  'Microsoft.ContainerService/managedClusters/metrics.k8s.io/pods/read',
];

let bicep: BicepFile[];
let tf: TerraformModel;
const bicepText = () => bicep.map((f) => f.code).join('\n');
const tfText = () => JSON.stringify(tf.files);

beforeAll(async () => {
  bicep = readBicepFiles(INFRA);
  tf = await readTerraform(path.join(INFRA, 'terraform'));
});

describe('shared infra data', () => {
  it('infra/tables.json (Bicep and Terraform load it; shared/results/tableSchemas.ts reads it) declares every result table', () => {
    expect(Object.keys(parseTableSchemas(readJson('tables.json')))).toEqual([...RESULT_TABLES]);
  });

  it('grants every role the app needs and none that reads Secrets or writes', () => {
    expect(Object.keys(roleIds).sort()).toEqual([...REQUIRED_ROLES].sort());
    const everything = `${bicepText()}\n${tfText()}\n${JSON.stringify(roleIds)}`.toLowerCase();
    for (const [name, id] of Object.entries(FORBIDDEN_ROLES)) expect({ name, present: everything.includes(id) }).toEqual({ name, present: false });
  });

  it('every platform setting is documented in docs/deploy.md', () => {
    const doc = fs.readFileSync('docs/deploy.md', 'utf8');
    for (const s of platformSettings) expect({ s, documented: doc.includes(s) }).toEqual({ s, documented: true });
    for (const s of platformSettings) expect(schemaKeys).not.toContain(s);
  });
});

/** ISO 8601 duration (days/hours/minutes/seconds, as Azure Monitor takes them) in seconds; NaN when not one. */
function isoDurationSeconds(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return NaN;
  const [d, h, min, sec] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return ((d * 24 + h) * 60 + min) * 60 + sec;
}

// Constraints Azure enforces that no schema here carries (the provider schema has types, not ranges).
describe('values Azure accepts', () => {
  type PromRule = { alert: string; for: string; severity: number };
  const rules = readJson<PromRule[]>('prometheusRules.json');

  it('every Prometheus alert rule has a "for" of at least PT1M (Azure rejects less, and "for" cannot be left out)', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      const seconds = isoDurationSeconds(r.for);
      expect({ alert: r.alert, for: r.for, ok: seconds >= 60 }).toEqual({ alert: r.alert, for: r.for, ok: true });
    }
  });

  it('the duration check itself rejects PT0M, PT30S and garbage', () => {
    expect(isoDurationSeconds('PT0M')).toBe(0);
    expect(isoDurationSeconds('PT30S')).toBe(30);
    expect(isoDurationSeconds('PT15M')).toBe(900);
    expect(isoDurationSeconds('15m')).toBeNaN();
    expect(isoDurationSeconds('PT')).toBeNaN();
  });

  it('Flex Consumption instance memory is one of the sizes Azure offers, the same in Bicep and Terraform', () => {
    // Flex Consumption instance sizes: 512, 2048 and 4096 MB (Azure Functions Flex Consumption plan docs).
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    const allowed = /@allowed\(\[([^\]]+)\]\)\s*param instanceMemoryMB int = (\d+)/.exec(main)!;
    const sizes = allowed[1]!.split(',').map((v) => Number(v.trim()));
    expect(sizes.every((s) => [512, 2048, 4096].includes(s))).toBe(true);
    expect(sizes).toContain(Number(allowed[2]));
    expect(tf.variables.instance_memory_mb!.validation[0].condition).toBe(`\${contains([${sizes.join(', ')}], var.instance_memory_mb)}`);
    // Flex Consumption: maximum instance count 40..1000.
    expect(main).toMatch(/@minValue\(40\)\s*@maxValue\(1000\)\s*param maximumInstanceCount int = 100/);
  });

  it('log alert rules evaluate at PT1M or more and look back at least one evaluation period', () => {
    const periods = [...bicepText().matchAll(/evaluationFrequency:\s*'([^']+)'\s*windowSize:\s*'([^']+)'/g)];
    expect(periods.length).toBeGreaterThan(0);
    for (const [, freq, window] of periods) {
      expect(isoDurationSeconds(freq!)).toBeGreaterThanOrEqual(60);
      expect(isoDurationSeconds(window!)).toBeGreaterThanOrEqual(isoDurationSeconds(freq!));
    }
  });
});

describe('Bicep (azd)', () => {
  it('declares the Flex Consumption app: FC1, Node 22, 2048 MB by default, user-assigned identity', () => {
    const code = bicepText();
    expect(code).toMatch(/sku:\s*{\s*tier:\s*'FlexConsumption',\s*name:\s*'FC1'\s*}/);
    expect(code).toMatch(/runtime:\s*{\s*name:\s*'node',\s*version:\s*'22'\s*}/);
    expect(code).toMatch(/param instanceMemoryMB int = 2048/);
    expect(code).toMatch(/instanceMemoryMB:\s*instanceMemoryMB/);
    expect(code).toMatch(/type:\s*'UserAssigned'/);
    expect(code).toMatch(/authentication:\s*{\s*type:\s*'UserAssignedIdentity'/);
  });

  it('turns storage shared keys and App Insights local auth off', () => {
    const code = bicepText();
    expect(code).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(code).toMatch(/DisableLocalAuth:\s*true/);
  });

  it('sets only app settings the config module reads or the platform documents, incl. every %SETTING% binding', () => {
    const fn = bicep.find((f) => f.file.endsWith('functionApp.bicep'))!;
    const keys = objectKeys(blockAfter(fn.code, /var appSettings = {/)!);
    expect(keys.length).toBeGreaterThan(10);
    const unknown = keys.filter((k) => !schemaKeys.includes(k) && !platformSettings.includes(k));
    expect(unknown).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([
      'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId', 'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri', 'AzureWebJobsStorage__blobServiceUri', 'RESULTS_SINK',
      'LOGS_INGESTION_ENDPOINT', 'LOGS_DCR_IMMUTABLE_ID', 'AZURE_CLIENT_ID', ...bindingSettingReferences(),
    ]));
    expect(keys).not.toContain('FUNCTIONS_WORKER_RUNTIME'); // not allowed on Flex Consumption: runtime is in functionAppConfig
    expect(fn.code).toMatch(/RESULTS_SINK:\s*'loganalytics'/);
  });

  it('declares the DCR (kind Direct) with one stream per table and a transformKql, and the three tables', () => {
    const code = bicepText();
    expect(code).toMatch(/kind:\s*'Direct'/);
    expect(code).toMatch(/streamDeclarations:\s*toObject\(tables/);
    expect(code).toMatch(/transformKql:\s*transformKql/);
    expect(code).toMatch(/loadJsonContent\('\.\.\/tables\.json'\)/);
    expect(code).toMatch(/dcr\.properties\.endpoints\.logsIngestion/);
    const types = bicepResources(bicep).filter((r) => !r.existing).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining([
      'Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Storage/storageAccounts',
      'Microsoft.Insights/components', 'Microsoft.OperationalInsights/workspaces', 'Microsoft.OperationalInsights/workspaces/tables',
      'Microsoft.Insights/dataCollectionRules', 'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Authorization/roleAssignments', 'Microsoft.Insights/actionGroups', 'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.AlertsManagement/prometheusRuleGroups', 'Microsoft.Insights/workbooks',
    ]));
  });

  it('assigns each required role, each with a comment saying what needs it', () => {
    expect([...bicepRoleKeys(bicep)].sort()).toEqual([...REQUIRED_ROLES].sort());
    for (const f of bicep) {
      const raw = fs.readFileSync(f.file, 'utf8').split('\n');
      raw.forEach((line, i) => {
        if (/^resource \w+ 'Microsoft\.Authorization\/roleAssignments@/.test(line)) {
          expect({ file: f.file, line: i + 1, commented: /^\s*\/\//.test(raw[i - 1] ?? '') }).toEqual({ file: f.file, line: i + 1, commented: true });
        }
      });
    }
  });

  it('creates the webhook action group without reading host keys; the rules point at it', () => {
    const alerts = bicep.find((f) => f.file.endsWith('alerts.bicep'))!.code;
    // listKeys during provision failed a first `azd up` (no host yet); the azd hooks wire the receiver after deploy.
    expect(bicepText()).not.toMatch(/listKeys\(/);
    expect(blockAfter(alerts, /resource webhookActionGroup 'Microsoft\.Insights\/actionGroups@[^']+' = \{/)).not.toContain('webhookReceivers');
    expect(alerts).toMatch(/actions:\s*\[{\s*actionGroupId:\s*webhookActionGroup\.id\s*}\]/);
    const ci = bicep.find((f) => f.file.endsWith('containerInsightsAlerts.bicep'))!.code;
    expect(ci).toMatch(/actionGroups:\s*\[actionGroupId\]/);
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    expect(main).toMatch(/output AZURE_ACTION_GROUP_ID string = alerts\.outputs\.webhookActionGroupId/);
  });

  it('sets AzureWebJobsStorage__accountName with the service URIs (host start-up race, azure-functions-host#11787)', () => {
    const fn = bicep.find((f) => f.file.endsWith('functionApp.bicep'))!;
    expect(fn.code).toMatch(/AzureWebJobsStorage__accountName:\s*storageAccountName/);
    expect(objectKeys(blockAfter(fn.code, /var appSettings = {/)!)).not.toContain('AzureWebJobsStorage');
  });

  it('puts the DCR in the results workspace region (an existing workspace may be elsewhere)', () => {
    const monitoring = bicep.find((f) => f.file.endsWith('monitoring.bicep'))!.code;
    expect(monitoring).toMatch(/resource dcr 'Microsoft\.Insights\/dataCollectionRules@[^']+' = \{\s*name:\s*dcrName\s*location:\s*dcrLocation/);
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    expect(main).toMatch(/dcrLocation:\s*createWorkspace \? location : reference\(existingLogAnalyticsWorkspaceId, '[^']+', 'Full'\)\.location/);
  });

  it('outputs are azd style (UPPER_SNAKE) and names default from a resourceToken', () => {
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    const outputs = bicepOutputs(main);
    expect(outputs).toEqual(expect.arrayContaining(['LOGS_INGESTION_ENDPOINT', 'LOGS_DCR_IMMUTABLE_ID', 'AZURE_FUNCTION_APP_NAME']));
    for (const o of outputs) expect(o).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(main).toMatch(/param resourceToken string = toLower\(uniqueString\(/);
    const params = readJson<{ parameters: Record<string, unknown> }>('main.parameters.json').parameters;
    for (const name of Object.keys(params)) expect(main).toMatch(new RegExp(`^param ${name} `, 'm'));
  });
});

describe('Terraform', () => {
  const res = (type: string, name: string) => tf.resources[type]?.[name];

  it('every .tf file parses', () => {
    const names = fs.readdirSync(path.join(INFRA, 'terraform')).filter((f) => f.endsWith('.tf'));
    expect(names.length).toBeGreaterThan(5);
    expect(Object.keys(tf.files).sort()).toEqual(names.sort());
  });

  it('declares the Flex Consumption app: FC1, Node 22, 2048 MB by default, user-assigned identity', () => {
    expect(res('azurerm_service_plan', 'app')).toMatchObject({ sku_name: 'FC1', os_type: 'Linux' });
    // Created as the Bicep creates it: azurerm_function_app_flex_consumption always writes AzureWebJobsStorage.
    expect(tf.resources.azurerm_function_app_flex_consumption).toBeUndefined();
    const app = res('azapi_resource', 'app')!;
    expect(app.type).toMatch(/^Microsoft\.Web\/sites@/);
    const config = app.body.properties.functionAppConfig;
    expect(config.runtime).toEqual({ name: 'node', version: '22' });
    expect(config.deployment.storage.authentication.type).toBe('UserAssignedIdentity');
    expect(config.scaleAndConcurrency.instanceMemoryMB).toBe('${var.instance_memory_mb}');
    expect(tf.variables.instance_memory_mb!.default).toBe(2048);
    expect(app.identity[0].type).toBe('UserAssigned');
  });

  it('turns storage shared keys and App Insights local auth off', () => {
    expect(res('azurerm_storage_account', 'app')).toMatchObject({ shared_access_key_enabled: false });
    expect(res('azurerm_application_insights', 'app')).toMatchObject({ local_authentication_disabled: true });
  });

  it('sets only app settings the config module reads or the platform documents, incl. every %SETTING% binding', () => {
    const keys = Object.keys(tf.locals.app_settings as object);
    expect(keys.filter((k) => !schemaKeys.includes(k) && !platformSettings.includes(k))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining(['RESULTS_SINK', 'LOGS_INGESTION_ENDPOINT', 'LOGS_DCR_IMMUTABLE_ID', ...bindingSettingReferences()]));
    // The app holds no AzureWebJobsStorage at all (neither blank nor key-based): the settings PUT is exactly these.
    expect(keys).not.toContain('AzureWebJobsStorage');
    expect(keys).toContain('AzureWebJobsStorage__accountName');
    const settings = res('azapi_resource', 'app_settings')!;
    expect(settings).toMatchObject({ type: expect.stringMatching(/^Microsoft\.Web\/sites\/config@/), name: 'appsettings', parent_id: '${azapi_resource.app.id}' });
    expect(settings.body).toEqual({ properties: '${local.app_settings}' });
  });

  it('reads existing workspaces by resource id and puts the DCR in the results workspace region', () => {
    expect(res('azapi_resource', 'dcr')!.location).toBe('${local.workspace_location}');
    expect(tf.locals.workspace_location).toContain('data.azapi_resource.existing_workspace[0].location');
    expect(tf.data.azapi_resource?.existing_workspace).toMatchObject({ resource_id: '${var.existing_log_analytics_workspace_id}' });
    // Container Insights workspaces may be in other subscriptions than the provider's: no azurerm lookup by name.
    expect(tf.data.azurerm_log_analytics_workspace).toBeUndefined();
    expect(tf.data.azapi_resource?.container_insights).toMatchObject({ resource_id: '${var.container_insights_workspace_ids[0]}' });
    expect(tf.locals.app_settings.LOG_ANALYTICS_WORKSPACE_ID).toContain('data.azapi_resource.container_insights[0].output.properties.customerId');
  });

  it('declares the DCR (kind Direct) with streams from tables.json and a transformKql, and the three tables', () => {
    const dcr = res('azapi_resource', 'dcr')!;
    expect(dcr.type).toMatch(/^Microsoft\.Insights\/dataCollectionRules@/);
    expect(dcr.body.kind).toBe('Direct');
    expect(JSON.stringify(dcr.body.properties.streamDeclarations)).toContain('local.tables');
    expect(JSON.stringify(dcr.body.properties.dataFlows)).toContain('local.transform_kql');
    expect(res('azapi_resource', 'custom_tables')!.type).toMatch(/^Microsoft\.OperationalInsights\/workspaces\/tables@/);
    expect(tf.locals.tables).toContain('../tables.json');
  });

  it('assigns each required role by id, least privilege', () => {
    const used = new Set<string>();
    for (const ra of Object.values(tf.resources.azurerm_role_assignment ?? {})) {
      const m = /local\.role_ids\.(\w+)/.exec(String(ra.role_definition_id));
      if (m) used.add(m[1]!);
      expect(ra.principal_id).toBe('${azurerm_user_assigned_identity.app.principal_id}');
    }
    expect([...used].sort()).toEqual([...REQUIRED_ROLES].sort());
  });

  it('creates the webhook action group without its receiver and reads no host key (none in the state)', () => {
    const group = res('azurerm_monitor_action_group', 'webhook')!;
    expect(group.webhook_receiver).toBeUndefined();
    expect(group.lifecycle[0].ignore_changes).toEqual(['${webhook_receiver}']);
    expect(tf.data.azurerm_function_app_host_keys).toBeUndefined();
    expect(tfText()).not.toMatch(/host_keys|listKeys|default_function_key/);
    expect(JSON.stringify(res('azurerm_monitor_alert_prometheus_rule_group', 'recommended'))).toContain('azurerm_monitor_action_group.webhook.id');
    expect(JSON.stringify(res('azurerm_monitor_scheduled_query_rules_alert_v2', 'container_insights'))).toContain('azurerm_monitor_action_group.webhook.id');
    expect(tf.outputs).toContain('AZURE_ACTION_GROUP_ID');
  });

  it('passes subscription_id to the providers (azurerm 4.x requires it)', () => {
    const providers = Object.assign({}, ...Object.values(tf.files).map((f) => f.provider ?? {})) as Record<string, Array<Record<string, unknown>>>;
    expect(providers.azurerm![0]!.subscription_id).toBe('${var.subscription_id}');
    expect(providers.azapi![0]!.subscription_id).toBe('${var.subscription_id}');
    expect(tf.variables.subscription_id).toBeDefined();
    expect(tf.variables.subscription_id!.default).toBeUndefined(); // required
    expect(fs.readFileSync(path.join(INFRA, 'terraform', 'terraform.tfvars.example'), 'utf8')).toMatch(/^subscription_id\s*=/m);
  });
});

describe('custom role "aks-aiops Kubernetes cluster reader"', () => {
  const clusterReader = () => customRoles.clusterReader!;

  it('grants only reads of Kubernetes objects: no Secrets, no writes, deletes, escalation or wildcards', () => {
    expect(clusterReader().roleName).toBe('aks-aiops Kubernetes cluster reader');
    expect(clusterReader().dataActions.length).toBeGreaterThan(0);
    for (const role of Object.values(customRoles)) {
      for (const action of role.dataActions ?? []) {
        expect({ action, read: /^Microsoft\.ContainerService\/managedClusters\/[a-z0-9.]+(\/[a-z0-9.]+)?\/read$/.test(action) }).toEqual({ action, read: true });
        expect(action.toLowerCase()).not.toContain('secret');
        expect(action).not.toContain('*');
      }
    }
  });

  it('covers every Kubernetes read of the app that RBAC Reader lacks, and nothing RBAC Reader already grants or the app does not read', () => {
    const missing = APP_KUBE_READS.filter((a) => !rbacReaderDataActions.includes(a));
    expect([...new Set(missing)].sort()).toEqual([...clusterReader().dataActions].sort());
    // The cluster-scoped objects the issue names: nodes, storage classes, ingress classes, webhook configurations.
    expect(clusterReader().dataActions).toEqual(expect.arrayContaining([
      'Microsoft.ContainerService/managedClusters/nodes/read',
      'Microsoft.ContainerService/managedClusters/storage.k8s.io/storageclasses/read',
      'Microsoft.ContainerService/managedClusters/networking.k8s.io/ingressclasses/read',
      'Microsoft.ContainerService/managedClusters/admissionregistration.k8s.io/validatingwebhookconfigurations/read',
      'Microsoft.ContainerService/managedClusters/admissionregistration.k8s.io/mutatingwebhookconfigurations/read',
    ]));
    for (const r of Object.values(KUBE_RESOURCES).filter((r) => !r.namespaced)) expect(clusterReader().dataActions).toContain(dataActionFor(r));
  });

  it('Bicep defines it from customRoles.json (data actions only) and assigns it wherever RBAC Reader is assigned, under the same condition', () => {
    const defs = bicepCustomRoles(bicep).filter((d) => d.roleName === clusterReader().roleName);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({ roleName: clusterReader().roleName, actions: [], notDataActions: [] });
    expect([...defs[0]!.dataActions].sort()).toEqual([...clusterReader().dataActions].sort());
    const roleModule = bicep.find((f) => f.file.endsWith('clusterReaderRole.bicep'))!.code;
    expect(roleModule).toMatch(/^targetScope = 'subscription'/m);
    expect(roleModule).toMatch(/roleName:\s*'\$\{customRoles\.clusterReader\.roleName\} \(\$\{resourceToken\}\)'/); // unique per tenant
    expect(roleModule).toMatch(/assignableScopes:\s*assignableScopes/);
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    // Assignable exactly where the AKS read roles go (clusterRoleScope), created only when there is such a scope.
    expect(main).toMatch(/var clusterRoleScopes = clusterRoleScope == 'subscription' \? map\(discoverySubscriptions, [^)]*\) : map\(csv\.clusterGroups, /);
    expect(main).toMatch(/module clusterReaderRole 'modules\/clusterReaderRole\.bicep' = if \(!empty\(clusterRoleScopes\)\) \{[^}]*assignableScopes:\s*clusterRoleScopes/);
    let assigningFiles = 0;
    for (const f of bicep) {
      const rbacReader = /^resource aksRbacReader 'Microsoft\.Authorization\/roleAssignments@[^']+' = (if \((\w+)\) )?\{/m.exec(f.code);
      const declarations = f.code.split(/^(?=resource )/m);
      const custom = declarations.find((d) => /^resource \w+ 'Microsoft\.Authorization\/roleAssignments@/.test(d) && /roleDefinitionId:[^\n]*\bclusterReaderRoleName\b/.test(d));
      const clusterReaderAssignment = custom === undefined ? null : /^resource \w+ '[^']+' = (if \((\w+)\) )?\{/.exec(custom);
      expect({ file: f.file, assignsCustom: Boolean(clusterReaderAssignment) }).toEqual({ file: f.file, assignsCustom: Boolean(rbacReader) });
      if (rbacReader && clusterReaderAssignment) {
        assigningFiles++;
        expect({ file: f.file, condition: clusterReaderAssignment[2] }).toEqual({ file: f.file, condition: rbacReader[2] });
        const mod = path.basename(f.file, '.bicep');
        // The module loop that deploys this file waits for the role definition and passes its name.
        const decl = main.slice(main.indexOf(`module ${mod} 'modules/${mod}.bicep'`));
        const moduleBody = decl.slice(0, decl.indexOf('\n]\n'));
        expect({ mod, dependsOn: /dependsOn:\s*\[[^\]]*\bclusterReaderRole\b/.test(moduleBody), passes: /clusterReaderRoleName:\s*clusterReaderRoleName\b/.test(moduleBody) })
          .toEqual({ mod, dependsOn: true, passes: true });
      }
    }
    expect(assigningFiles).toBe(2); // subscriptionRoles (clusterRoleScope = subscription) and clusterRoles (resourceGroups)
  });

  it('Terraform defines it from customRoles.json and assigns it at the same cluster scopes as RBAC Reader', () => {
    const defs = terraformCustomRoles(tf, path.join(INFRA, 'terraform')).filter((d) => d.roleName === clusterReader().roleName);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({ roleName: clusterReader().roleName, actions: [], notDataActions: [] });
    expect([...defs[0]!.dataActions].sort()).toEqual([...clusterReader().dataActions].sort());
    const def = tf.resources.azurerm_role_definition!.cluster_reader!;
    expect(def.name).toBe('${local.custom_roles.clusterReader.roleName} (${local.resource_token})');
    expect(def.count).toBe('${length(local.cluster_scopes) > 0 ? 1 : 0}');
    expect(def.assignable_scopes).toBe('${[for c in values(local.cluster_scopes) : c.scope]}');
    expect(tf.locals.custom_roles).toContain('../customRoles.json');
    const assignment = tf.resources.azurerm_role_assignment!.aks_cluster_reader!;
    const rbacReader = tf.resources.azurerm_role_assignment!.aks_rbac_reader!;
    expect(assignment.for_each).toBe(rbacReader.for_each);
    expect(assignment.scope).toBe(rbacReader.scope);
    expect(assignment.role_definition_id).toContain('${azurerm_role_definition.cluster_reader[0].role_definition_id}');
    expect(assignment.principal_id).toBe('${azurerm_user_assigned_identity.app.principal_id}');
  });

  it('docs/deploy.md lists the role and each of its data actions', () => {
    const doc = fs.readFileSync('docs/deploy.md', 'utf8');
    expect(doc).toContain(clusterReader().roleName);
    for (const a of clusterReader().dataActions) expect({ a, documented: doc.includes(a.replace('Microsoft.ContainerService/managedClusters/', '')) }).toEqual({ a, documented: true });
  });
});

describe('custom role "aks-aiops cluster scaler" (opt-in, enableScaling)', () => {
  const scaler = () => customRoles.clusterScaler!;

  it('grants exactly agent pool write and managed cluster read, start and stop: no data actions, deletes or wildcards', () => {
    expect(scaler().roleName).toBe('aks-aiops cluster scaler');
    expect([...(scaler().actions ?? [])].sort()).toEqual([
      'Microsoft.ContainerService/managedClusters/agentPools/write',
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/start/action',
      'Microsoft.ContainerService/managedClusters/stop/action',
    ]);
    expect(scaler().dataActions as string[] | undefined).toBeUndefined();
    const defs = bicepCustomRoles(bicep).filter((d) => d.roleName === scaler().roleName);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({ dataActions: [], notDataActions: [] });
    expect([...defs[0]!.actions].sort()).toEqual([...(scaler().actions ?? [])].sort());
  });

  it('Bicep defines and assigns it only when enableScaling is true, where the cluster read roles go', () => {
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    expect(main).toMatch(/^param enableScaling bool = false$/m);
    expect(main).toMatch(/module clusterScalerRole 'modules\/clusterScalerRole\.bicep' = if \(enableScaling && !empty\(clusterRoleScopes\)\) \{[^}]*assignableScopes:\s*clusterRoleScopes/);
    expect(main).toMatch(/grantScaling: enableScaling && clusterRoleScope == 'subscription'/);
    expect(main).toMatch(/grantScaling: enableScaling\n/);
    for (const mod of ['subscriptionRoles', 'clusterRoles']) {
      const code = bicep.find((f) => f.file.endsWith(`${mod}.bicep`))!.code;
      expect({ mod, conditional: /resource aksClusterScaler 'Microsoft\.Authorization\/roleAssignments@[^']+' = if \(grantScaling\) \{/.test(code) }).toEqual({ mod, conditional: true });
    }
    const fn = bicep.find((f) => f.file.endsWith('functionApp.bicep'))!.code;
    expect(fn).toMatch(/SCALING_ENABLED: enableScaling \? 'true' : 'false'/);
  });

  it('azd can turn it on (AKS_AIOPS_ENABLE_SCALING), and Bicep and Terraform both default to off', () => {
    const params = readJson<{ parameters: Record<string, { value: string }> }>('main.parameters.json').parameters;
    expect(params.enableScaling?.value).toBe('${AKS_AIOPS_ENABLE_SCALING=false}');
    const main = bicep.find((f) => f.file.endsWith(`${path.sep}main.bicep`))!.code;
    expect(main).toMatch(/^param enableScaling bool = false$/m);
    expect(tf.variables.enable_scaling).toMatchObject({ default: false });
    expect(fs.readFileSync('docs/deploy.md', 'utf8')).toMatch(/\| `enableScaling` +\| `enable_scaling` +\| `AKS_AIOPS_ENABLE_SCALING` +\|/);
  });

  it('Terraform defines and assigns it only when enable_scaling is true, at the same cluster scopes', () => {
    const def = tf.resources.azurerm_role_definition!.cluster_scaler!;
    expect(def.count).toBe('${var.enable_scaling && length(local.cluster_scopes) > 0 ? 1 : 0}');
    expect(def.assignable_scopes).toBe('${[for c in values(local.cluster_scopes) : c.scope]}');
    const assignment = tf.resources.azurerm_role_assignment!.aks_cluster_scaler!;
    expect(assignment.for_each).toBe('${var.enable_scaling ? local.cluster_scopes : {}}');
    expect(assignment.scope).toBe(tf.resources.azurerm_role_assignment!.aks_rbac_reader!.scope);
    expect(assignment.role_definition_id).toContain('${azurerm_role_definition.cluster_scaler[0].role_definition_id}');
    expect(tf.locals.app_settings.SCALING_ENABLED).toBe('${var.enable_scaling ? "true" : "false"}');
  });
});
