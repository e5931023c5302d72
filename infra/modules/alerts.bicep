// Alerting: an action group for the app's /api/alerts webhook (receiver wired after the deploy, see below), the
// recommended Prometheus rules pointing at it, and the alerts about aks-aiops itself.
param location string
param tags object
param resourceToken string
param functionAppName string
param workspaceId string
param operatorEmails array
param azureMonitorWorkspaceId string

// The webhook action group is created without its receiver. The receiver URL carries the app's default function key,
// which exists only once the app is deployed and its host runs (keys live in blob storage, reached through the
// identity, whose roles take minutes to propagate): `listKeys` here, during `azd provision`, failed the first `azd up`
// with "error from host runtime". The azd hooks in azure.yaml (postprovision, postdeploy) run `aks-aiops wire-alerts`,
// which reads the key through ARM once the host serves it and PUTs the receiver (shared/deploy/alertWebhook.ts).
// A later provision PUTs this resource without the receiver; the postprovision hook adds it back at once.
resource webhookActionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-aiops-webhook-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'aiopsdiag'
    enabled: true
  }
}

// Alerts about aks-aiops itself go to people, not back into the app.
resource operatorsActionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-aiops-operators-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'aiopsops'
    enabled: true
    emailReceivers: [for (email, i) in operatorEmails: { name: 'operator-${i}', emailAddress: email, useCommonAlertSchema: true }]
  }
}

resource newCriticalFinding 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'aks-aiops-new-critical-finding-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'aks-aiops: new critical finding'
    description: 'A sweep found a critical problem that was not there in the previous sweep.'
    severity: 1
    enabled: true
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    scopes: [workspaceId]
    criteria: {
      allOf: [
        {
          query: loadTextContent('../kql/alert-new-critical-finding.kql')
          timeAggregation: 'Count'
          dimensions: [
            { name: 'ClusterName', operator: 'Include', values: ['*'] }
            { name: 'Check', operator: 'Include', values: ['*'] }
            { name: 'Namespace', operator: 'Include', values: ['*'] }
            { name: 'Name', operator: 'Include', values: ['*'] }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: { actionGroups: [operatorsActionGroup.id] }
  }
}

resource appSweepsStale 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'aks-aiops-no-sweeps-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'aks-aiops: no sweep results'
    description: 'No sweep row reached Log Analytics for an hour: the timer, discovery, the workers or ingestion is failing.'
    severity: 2
    enabled: true
    evaluationFrequency: 'PT30M'
    windowSize: 'PT1H'
    scopes: [workspaceId]
    criteria: {
      allOf: [
        {
          query: loadTextContent('../kql/alert-app-sweeps-stale.kql')
          timeAggregation: 'Total'
          metricMeasureColumn: 'Sweeps'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: [operatorsActionGroup.id] }
  }
}

resource appFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'aks-aiops-function-failures-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'aks-aiops: failing function invocations'
    description: 'Function invocations of the app fail repeatedly (Application Insights requests).'
    severity: 2
    enabled: true
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    scopes: [workspaceId]
    criteria: {
      allOf: [
        {
          query: replace(loadTextContent('../kql/alert-app-failures.kql'), '__FUNCTION_APP_NAME__', functionAppName)
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failures'
          dimensions: [{ name: 'OperationName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 5
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: [operatorsActionGroup.id] }
  }
}

// Recommended AKS rules for clusters that send metrics to Azure Monitor managed Prometheus. Each series carries the
// cluster, namespace and pod labels the webhook needs to diagnose.
resource prometheusRules 'Microsoft.AlertsManagement/prometheusRuleGroups@2023-03-01' = if (!empty(azureMonitorWorkspaceId)) {
  name: 'aks-aiops-recommended-${resourceToken}'
  location: location
  tags: tags
  properties: {
    description: 'Recommended AKS pod and node alerts, wired to the aks-aiops diagnostics webhook.'
    scopes: empty(azureMonitorWorkspaceId) ? [] : [azureMonitorWorkspaceId]
    enabled: true
    interval: 'PT1M'
    rules: [
      for rule in loadJsonContent('../prometheusRules.json'): {
        alert: rule.alert
        expression: rule.expression
        for: rule['for']
        severity: rule.severity
        labels: { severity: rule.label }
        annotations: { description: rule.description }
        enabled: true
        resolveConfiguration: { autoResolved: true, timeToResolve: 'PT10M' }
        actions: [{ actionGroupId: webhookActionGroup.id }]
      }
    ]
  }
}

output webhookActionGroupId string = webhookActionGroup.id
output operatorsActionGroupId string = operatorsActionGroup.id
