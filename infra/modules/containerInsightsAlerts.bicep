// The recommended Container Insights log search rules over one cluster workspace, for clusters that do not use
// managed Prometheus. Queries are in infra/kql/alert-ci-*.kql (shared with Terraform, validated in npm test);
// dimensions carry the cluster, namespace and object the webhook diagnoses.
param location string
param tags object
param workspaceId string
param actionGroupId string

var rules = loadJsonContent('../containerInsightsAlerts.json')
var queries = {
  'alert-ci-pod-restarts': loadTextContent('../kql/alert-ci-pod-restarts.kql')
  'alert-ci-oom-killed': loadTextContent('../kql/alert-ci-oom-killed.kql')
  'alert-ci-node-not-ready': loadTextContent('../kql/alert-ci-node-not-ready.kql')
  'alert-ci-pods-not-running': loadTextContent('../kql/alert-ci-pods-not-running.kql')
  'alert-ci-warning-events': loadTextContent('../kql/alert-ci-warning-events.kql')
}

resource ruleResources 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${rule.name}-${uniqueString(workspaceId)}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      evaluationFrequency: 'PT5M'
      windowSize: rule.windowSize
      scopes: [workspaceId]
      criteria: {
        allOf: [
          {
            query: queries[rule.query]
            timeAggregation: 'Count'
            dimensions: [for d in rule.dimensions: { name: d, operator: 'Include', values: ['*'] }]
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      autoMitigate: true
      actions: { actionGroups: [actionGroupId] }
    }
  }
]
