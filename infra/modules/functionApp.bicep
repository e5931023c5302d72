// The Function app on the Flex Consumption plan (FC1), Node 22, running as the user-assigned identity.
// App settings are exactly names that shared/config/config.ts reads (settingsSchema) plus the platform settings
// listed in infra/platformAppSettings.json; test/integration/infra checks both.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param instanceMemoryMB int
param maximumInstanceCount int
param appInsightsConnectionString string
param logsIngestionEndpoint string
param dcrImmutableId string
param containerInsightsWorkspaceCustomerId string
param sweepSubscriptionIds string
param sweepSchedule string
param ingestionRetrySchedule string
param simulatorEnabled bool
param enableScaling bool

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2', http20Enabled: true }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '22' }
    }
  }
}

var appSettings = {
  // platform: identity-based host storage and Application Insights with Entra auth
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // With the service URIs alone the host can fail to create its BlobServiceClient at start-up (a configuration race,
  // Azure/azure-functions-host#11787); the account name is the documented workaround. Kept with the URIs.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // app: shared/config/config.ts
  AZURE_CLIENT_ID: identityClientId
  RESULTS_SINK: 'loganalytics'
  LOGS_INGESTION_ENDPOINT: logsIngestionEndpoint
  LOGS_DCR_IMMUTABLE_ID: dcrImmutableId
  LOG_ANALYTICS_WORKSPACE_ID: containerInsightsWorkspaceCustomerId
  SWEEP_SCHEDULE: sweepSchedule
  SWEEP_SUBSCRIPTION_IDS: sweepSubscriptionIds
  INGESTION_RETRY_SCHEDULE: ingestionRetrySchedule
  SIMULATOR_ENABLED: simulatorEnabled ? 'true' : 'false'
  SCALING_SCHEDULE: '0 */5 * * * *'
  SCALING_ENABLED: enableScaling ? 'true' : 'false'
  LOG_LEVEL: 'info'
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
