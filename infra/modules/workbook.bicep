// The aks-aiops workbook: fleet score over time, open findings by severity and check, recent diagnoses with root
// cause and evidence, sweep duration and partial sweeps, metric anomalies over time. Content: infra/workbook/aksAiops.workbook.json.
param location string
param tags object
param workspaceId string
param resourceToken string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid('aks-aiops-workbook', resourceToken)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'AKS AIOps'
    category: 'workbook'
    sourceId: workspaceId
    serializedData: loadTextContent('../workbook/aksAiops.workbook.json')
    version: 'Notebook/1.0'
  }
}

output id string = workbook.id
