// Application Insights (local auth off: telemetry is sent with the managed identity) and the data collection rule
// the app uploads results to (kind Direct: it has its own logs ingestion endpoint, no separate DCE).
param location string
param tags object
param workspaceId string
param appInsightsName string
param dcrName string
@description('Region of the DCR: the results workspace\'s region (a DCR must be in its destination workspace\'s region).')
param dcrLocation string

var tables = loadJsonContent('../tables.json')
var transformKql = loadTextContent('../kql/transform.kql')

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceId
    DisableLocalAuth: true
  }
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: dcrName
  location: dcrLocation
  tags: tags
  kind: 'Direct'
  properties: {
    description: 'aks-aiops results: findings, sweeps and diagnoses uploaded with the Logs Ingestion API.'
    streamDeclarations: toObject(tables, t => t.stream, t => { columns: map(t.columns, c => { name: c.name, type: c.type }) })
    destinations: {
      logAnalytics: [
        { name: 'aksAiopsWorkspace', workspaceResourceId: workspaceId }
      ]
    }
    dataFlows: [
      for t in tables: {
        streams: [t.stream]
        destinations: ['aksAiopsWorkspace']
        transformKql: transformKql
        outputStream: t.stream
      }
    ]
  }
}

output appInsightsName string = appInsights.name
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output dcrName string = dcr.name
output dcrImmutableId string = dcr.properties.immutableId
output logsIngestionEndpoint string = dcr.properties.endpoints.logsIngestion
