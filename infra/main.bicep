// aks-aiops: the whole deployment for `azd up` (infra/terraform describes the same one for `terraform apply`;
// test/integration/infra/parity.test.ts keeps the two in step). Subscription scope, because the identity gets Reader
// and AKS roles on the subscriptions it sweeps.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; used in resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region of every resource.')
param location string

@description('Resource group to create (empty: rg-<environmentName>).')
param resourceGroupName string = ''

@description('Suffix that makes global names unique. Defaults to a hash of subscription, environment and region.')
param resourceToken string = toLower(uniqueString(subscription().id, environmentName, location))

@description('Function app name (empty: func-aiops-<resourceToken>).')
param functionAppName string = ''

@description('Storage account name (empty: staiops<resourceToken>).')
param storageAccountName string = ''

@description('Memory of each Flex Consumption instance: 2048 MB holds a large cluster page set and the bundle comfortably; 512 saves money on small fleets, 4096 for very large ones.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound of Flex Consumption instances (sweeps fan out one message per cluster).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Resource id of an existing Log Analytics workspace for the results tables and App Insights (empty: create one).')
param existingLogAnalyticsWorkspaceId string = ''

// List parameters are comma-separated strings so azd can fill them from environment values (main.parameters.json).
@description('Comma-separated subscriptions the identity discovers and sweeps clusters in (Reader). Empty: this subscription only.')
param sweepSubscriptionIds string = ''

@description('Where the AKS read roles are granted: "subscription" (every discovery subscription) or "resourceGroups" (only clusterResourceGroups).')
@allowed(['subscription', 'resourceGroups'])
param clusterRoleScope string = 'subscription'

@description('Comma-separated <subscriptionId>/<resourceGroup> pairs holding the clusters, when clusterRoleScope = resourceGroups.')
param clusterResourceGroups string = ''

@description('Comma-separated resource ids of the Container Insights workspaces the clusters send to: Log Analytics Reader, and the recommended log search alert rules. Evidence queries are resource-centric on each cluster; a non-empty list turns them on.')
param containerInsightsWorkspaceIds string = ''

@description('Resource id of the Azure Monitor workspace of clusters using managed Prometheus (empty: no Prometheus rule group).')
param azureMonitorWorkspaceId string = ''

@description('Comma-separated email addresses that receive the alerts about aks-aiops itself (new critical finding, app health).')
param operatorEmails string = ''

@description('NCRONTAB schedule of the fleet sweep.')
param sweepSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the ingestion spool retry.')
param ingestionRetrySchedule string = '0 */5 * * * *'

@description('Register the simulator endpoints (off in production).')
param simulatorEnabled bool = false

@description('Let the scaling timer change clusters: defines and assigns the custom "aks-aiops cluster scaler" role (agent pool write, cluster start/stop) where the clusters are, and sets SCALING_ENABLED. Off: schedules are only planned.')
param enableScaling bool = false

var abbrs = {
  resourceGroup: 'rg-'
  functionApp: 'func-aiops-'
  plan: 'plan-aiops-'
  storage: 'staiops'
  identity: 'id-aiops-'
  workspace: 'log-aiops-'
  appInsights: 'appi-aiops-'
  dcr: 'dcr-aiops-'
  actionGroup: 'ag-aiops-'
}
var tags = { 'azd-env-name': environmentName, application: 'aks-aiops' }
var rgName = empty(resourceGroupName) ? '${abbrs.resourceGroup}${environmentName}' : resourceGroupName
var appName = empty(functionAppName) ? '${abbrs.functionApp}${resourceToken}' : functionAppName
var stName = empty(storageAccountName) ? take('${abbrs.storage}${resourceToken}', 24) : storageAccountName
var csv = {
  subscriptions: filter(map(split(sweepSubscriptionIds, ','), s => trim(s)), s => !empty(s))
  clusterGroups: filter(map(split(clusterResourceGroups, ','), s => trim(s)), s => !empty(s))
  workspaces: filter(map(split(containerInsightsWorkspaceIds, ','), s => trim(s)), s => !empty(s))
  emails: filter(map(split(operatorEmails, ','), s => trim(s)), s => !empty(s))
}
var discoverySubscriptions = empty(csv.subscriptions) ? [subscription().subscriptionId] : csv.subscriptions
var createWorkspace = empty(existingLogAnalyticsWorkspaceId)
// Where the AKS read roles (built-in and the custom cluster reader) go: every sweep subscription, or the chosen groups.
var clusterRoleScopes = clusterRoleScope == 'subscription' ? map(discoverySubscriptions, s => '/subscriptions/${s}') : map(csv.clusterGroups, g => '/subscriptions/${split(g, '/')[0]}/resourceGroups/${split(g, '/')[1]}')
var clusterReaderRoleName = guid(subscription().id, resourceToken, 'aks-aiops-cluster-reader')
var clusterScalerRoleName = guid(subscription().id, resourceToken, 'aks-aiops-cluster-scaler')

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: rgName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: '${abbrs.identity}${resourceToken}', location: location, tags: tags }
}

module workspace 'modules/workspace.bicep' = if (createWorkspace) {
  name: 'workspace'
  scope: rg
  params: { name: workspaceScope.name, location: location, tags: tags }
}

var workspaceId = createWorkspace ? workspace!.outputs.id : existingLogAnalyticsWorkspaceId
// A module scope must be known when the deployment starts, so it is computed from parameters, not from outputs.
var workspaceScope = {
  subscriptionId: createWorkspace ? subscription().subscriptionId : split(existingLogAnalyticsWorkspaceId, '/')[2]
  resourceGroup: createWorkspace ? rgName : split(existingLogAnalyticsWorkspaceId, '/')[4]
  name: createWorkspace ? '${abbrs.workspace}${resourceToken}' : last(split(existingLogAnalyticsWorkspaceId, '/'))
}

// The custom tables live in the workspace's own resource group (which may be another one for an existing workspace).
module customTables 'modules/customTables.bicep' = {
  name: 'customTables'
  scope: resourceGroup(workspaceScope.subscriptionId, workspaceScope.resourceGroup)
  dependsOn: [workspace, rg]
  params: { workspaceName: workspaceScope.name }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  dependsOn: [customTables]
  params: {
    location: location
    tags: tags
    workspaceId: workspaceId
    appInsightsName: '${abbrs.appInsights}${resourceToken}'
    dcrName: '${abbrs.dcr}${resourceToken}'
    // A DCR must be in its destination workspace's region; an existing workspace may be in another one.
    dcrLocation: createWorkspace ? location : reference(existingLogAnalyticsWorkspaceId, '2023-09-01', 'Full').location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: { name: stName, location: location, tags: tags }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: appName
    planName: '${abbrs.plan}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    logsIngestionEndpoint: monitoring.outputs.logsIngestionEndpoint
    dcrImmutableId: monitoring.outputs.dcrImmutableId
    containerInsightsWorkspaceCustomerId: empty(csv.workspaces) ? '' : reference(csv.workspaces[0], '2023-09-01').customerId
    sweepSubscriptionIds: join(discoverySubscriptions, ',')
    sweepSchedule: sweepSchedule
    ingestionRetrySchedule: ingestionRetrySchedule
    simulatorEnabled: simulatorEnabled
    enableScaling: enableScaling
  }
}

// Roles on resources in this resource group: storage data roles, Monitoring Metrics Publisher on the DCR and App Insights.
module resourceRoles 'modules/resourceRoles.bicep' = {
  name: 'resourceRoles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    dcrName: monitoring.outputs.dcrName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

// Cluster-scoped Kubernetes reads that Azure Kubernetes Service RBAC Reader lacks (nodes, storage and ingress classes,
// webhook configurations): a custom role, assignable where the clusters are. None when there is nowhere to assign it.
module clusterReaderRole 'modules/clusterReaderRole.bicep' = if (!empty(clusterRoleScopes)) {
  name: 'clusterReaderRole'
  // Guarded so the scope expression stays valid when the list is empty (and the module not deployed).
  scope: subscription(empty(clusterRoleScopes) ? subscription().subscriptionId : split(clusterRoleScopes[0], '/')[2])
  params: {
    roleDefinitionName: clusterReaderRoleName
    resourceToken: resourceToken
    assignableScopes: clusterRoleScopes
  }
}

// Opt-in write access for scheduled scaling (enableScaling): a custom role, assignable where the clusters are.
module clusterScalerRole 'modules/clusterScalerRole.bicep' = if (enableScaling && !empty(clusterRoleScopes)) {
  name: 'clusterScalerRole'
  scope: subscription(empty(clusterRoleScopes) ? subscription().subscriptionId : split(clusterRoleScopes[0], '/')[2])
  params: {
    roleDefinitionName: clusterScalerRoleName
    resourceToken: resourceToken
    assignableScopes: clusterRoleScopes
  }
}

// Discovery and, by default, read access to the clusters in every subscription swept.
module subscriptionRoles 'modules/subscriptionRoles.bicep' = [
  for subscriptionId in discoverySubscriptions: {
    name: 'subscriptionRoles-${subscriptionId}'
    scope: subscription(subscriptionId)
    dependsOn: [clusterReaderRole, clusterScalerRole]
    params: {
      principalId: identity.outputs.principalId
      grantClusterRoles: clusterRoleScope == 'subscription'
      grantScaling: enableScaling && clusterRoleScope == 'subscription'
      clusterReaderRoleName: clusterReaderRoleName
      clusterScalerRoleName: clusterScalerRoleName
    }
  }
]

// Cluster read roles narrowed to the resource groups the user chose.
module clusterRoles 'modules/clusterRoles.bicep' = [
  for group in (clusterRoleScope == 'resourceGroups' ? csv.clusterGroups : []): {
    name: 'clusterRoles-${uniqueString(group)}'
    scope: resourceGroup(split(group, '/')[0], split(group, '/')[1])
    dependsOn: [clusterReaderRole, clusterScalerRole]
    params: {
      principalId: identity.outputs.principalId
      clusterReaderRoleName: clusterReaderRoleName
      grantScaling: enableScaling
      clusterScalerRoleName: clusterScalerRoleName
    }
  }
]

// Evidence queries read Container Insights tables in the clusters' workspaces.
module workspaceReader 'modules/workspaceReader.bicep' = [
  for id in csv.workspaces: {
    name: 'workspaceReader-${uniqueString(id)}'
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: { principalId: identity.outputs.principalId, workspaceName: last(split(id, '/')) }
  }
]

// Nothing here reads the app's host (its webhook receiver is wired after the deploy by the azd hooks), so the alerts
// do not wait for the app or its roles.
module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    functionAppName: appName
    workspaceId: workspaceId
    operatorEmails: csv.emails
    azureMonitorWorkspaceId: azureMonitorWorkspaceId
  }
}

// The recommended Container Insights log search rules live next to the app and query each cluster workspace.
module containerInsightsAlerts 'modules/containerInsightsAlerts.bicep' = [
  for id in csv.workspaces: {
    name: 'ciAlerts-${uniqueString(id)}'
    scope: rg
    params: {
      location: location
      tags: tags
      workspaceId: id
      actionGroupId: alerts.outputs.webhookActionGroupId
    }
  }
]

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: { location: location, tags: tags, workspaceId: workspaceId, resourceToken: resourceToken }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output LOGS_INGESTION_ENDPOINT string = monitoring.outputs.logsIngestionEndpoint
output LOGS_DCR_IMMUTABLE_ID string = monitoring.outputs.dcrImmutableId
output LOG_ANALYTICS_WORKSPACE_RESOURCE_ID string = workspaceId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AZURE_ACTION_GROUP_ID string = alerts.outputs.webhookActionGroupId
output AZURE_WORKBOOK_ID string = workbook.outputs.id
